"""Save screenshots of the key pages to docs/screenshots/ (`make screenshots`).

Serves the demo town on 127.0.0.1 (a temporary SQLite database and folders, the offline Stripe
emulator), drives Debian's Chromium with Playwright, and writes <page>-<lang>-<device>.png for
home, search, shop, cart (with pickup times), order (with its QR code), board (the shopkeeper's
orders of the day) and curator (the curator's dashboard, once those screens exist), in French and
English, on a desktop (1280x800) and a phone (390x844).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    """Take the screenshots; print the files written and the pages left out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from tests.e2e.live import (
        CHROMIUM,
        DEVICES,
        LIVE_SETTINGS,
        chromium_missing,
        launch_chromium,
        own_database,
    )
    from tests.e2e.screenshots import LANGS, build_scene, curator_dashboard, take
    from tests.payments.town import open_town

    if chromium_missing():
        print(f"No {CHROMIUM}: sudo apt-get install chromium", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="vitrine-screenshots-") as tmp:
        folder = Path(tmp)
        with (
            own_database(None, folder) as url,
            open_town(url, folder, LIVE_SETTINGS) as town,
            sync_playwright() as driver,
        ):
            scene = build_scene(town)
            browser = launch_chromium(driver)
            written = []
            for lang in LANGS:
                for device in DEVICES:
                    written += take(browser, town, scene, lang, device, args.out)
            browser.close()
            missing = curator_dashboard(town.app) is None
    for path in written:
        print(f"{path}  {path.stat().st_size // 1024} KB")
    if missing:
        print("curator-*.png left out: the curator's dashboard does not exist yet.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
