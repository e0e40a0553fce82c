"""Measure the office dashboard's height in Chromium on the demo town (issue 17: 18,000 px).

    .venv/bin/python bench/dashboard_height.py [--postcode 75011]

Loads the demo town into a fresh SQLite file, serves the app on a free port, logs in as the demo
curator and prints the page's scroll height at 1280 px and 390 px wide (default 90 days).
Measured on 2026-12-06 (demo town 75011): before the top-10 cut 16,312 px (desktop) and
17,170 px (phone); with it 5,970 px and 6,738 px. The page no longer grows with the town.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    """Print the dashboard's height on a desktop and a phone."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postcode", default="75011")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from marketplace.app import create_app
    from marketplace.demo.accounts import ACCOUNTS, PASSWORD
    from marketplace.demo.loading import load_town
    from marketplace.extensions import db
    from tests.e2e.live import launch_chromium, new_context, own_database

    folder = Path(tempfile.mkdtemp(prefix="vitrine-dashboard-"))
    with own_database(None, folder) as url:
        settings = {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(folder / "instance"),
            "UPLOAD_DIR": str(folder / "uploads"),
            "SEARCH_INDEX_DIR": str(folder / "search-index"),
            "MAIL_OUTBOX_DIR": str(folder / "outbox"),
        }
        app = create_app("testing", settings)
        with app.app_context():
            load_town(args.postcode, None, 42, None)
            db.session.commit()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        curator = next(email for email, _name, role in ACCOUNTS if role == "curator")
        with sync_playwright() as driver:
            browser = launch_chromium(driver)
            for device in ("desktop", "phone"):
                page = new_context(browser, base, device, "fr").new_page()
                page.goto("/account/login")
                page.locator("input[name=email]").fill(curator)
                page.locator("input[name=password]").fill(PASSWORD)
                page.locator("form button[type=submit]").last.click()
                page.wait_for_load_state()
                page.goto("/curation/dashboard")
                height = page.evaluate("document.documentElement.scrollHeight")
                print(f"{device}: {height} px")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
