"""Real-browser fixtures: the app served on 127.0.0.1 with its Stripe emulator, and Chromium driving it.

Every test in tests/e2e/ is marked `e2e` here. They need Debian's Chromium at /usr/bin/chromium
(Playwright's own browser download does not work offline); `make e2e-deps` installs it when the
user is root, otherwise the tests are skipped with a message saying how to enable them.

Fixtures (reuse them, do not start another server):

- `live_town` (session): a `tests.payments.town.LiveTown`. The app runs in a real werkzeug
  `make_server` thread on a free port of 127.0.0.1 (`live_town.url`), with its own temporary
  instance folder, upload folder, outbox and Whoosh index, and its own database: a fresh migrated
  SQLite file, or a private schema of TEST_DATABASE_URL when VITRINE_TEST_DB=postgres. The offline
  Stripe emulator runs as a subprocess and sends its webhooks to the app;
  `live_town.wait_for(event_type, object_id)` waits for the app to apply one. The session keeps an
  app context open, so factories (`tests.factories.make_shop` ...) and `db.session` work in a
  test body. The data lives for the whole session: give users and shops unique names
  (`unique("name")`), never rely on an empty database.
- `browser` (session): Playwright's Chromium launched from /usr/bin/chromium.
- `open_page(device="desktop"|"phone", locale="fr"|"en")` (function): a factory returning a fresh
  Page in its own context (cookies), `base_url` set to the live server, so `page.goto("/shops")`
  works. "phone" is a 390x844 touch screen with is_mobile. Contexts close after the test.
- `DEVICES`: the two device names, for `@pytest.mark.parametrize("device", DEVICES)`.

Helpers for steps people take live in tests/e2e/steps.py (log in, sign up, pay on the emulator's
page ...). Selectors go by role and label, and waiting is Playwright's auto-wait and `expect`,
never a sleep.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from marketplace.app import create_app
from marketplace.extensions import db
from tests.conftest import _postgres_url

CHROMIUM = "/usr/bin/chromium"
DEVICES = ("desktop", "phone")
ENABLE = "sudo apt-get install chromium (or `make e2e-deps` as root) enables the browser tests"

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}
TIMEZONE = "Europe/Paris"
HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    """Mark every test of this folder `e2e`, and skip them when there is no Chromium."""
    missing = not (os.access(CHROMIUM, os.X_OK) and shutil.which("chromium"))
    for item in items:
        if HERE in Path(item.fspath).parents or Path(item.fspath).parent == HERE:
            item.add_marker(pytest.mark.e2e)
            if missing:
                item.add_marker(pytest.mark.skip(reason=f"no {CHROMIUM}: {ENABLE}"))


def _private_schema(url: str):
    """A PostgreSQL schema of the browser tests' own (the other tests use vitrine_test_<pid>)."""
    from sqlalchemy import create_engine, text

    schema = f"vitrine_e2e_{os.getpid()}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
    sep = "&" if "?" in url else "?"
    return engine, schema, f"{url}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def e2e_database_url(tmp_path_factory):
    """A database of the browser tests' own, migrated; other tests' cleanup never touches it."""
    url = _postgres_url() or f"sqlite:///{tmp_path_factory.mktemp('e2e-db') / 'e2e.db'}"
    engine = schema = None
    if url.startswith("postgresql"):
        engine, schema, url = _private_schema(url)
    app = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path_factory.mktemp("e2e-i"))},
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    yield url
    if engine is not None:
        from sqlalchemy import text

        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture(scope="session")
def live_town(e2e_database_url, tmp_path_factory):
    """The app on a real HTTP server with its Stripe emulator, for the whole session."""
    from tests.payments.town import open_town

    # Every journey logs in from 127.0.0.1 within seconds: a higher login limit, CSRF kept on.
    settings = {"LOGIN_RATE_LIMIT": "1000 per minute"}
    with open_town(e2e_database_url, tmp_path_factory.mktemp("e2e-town"), settings) as town:
        yield town


@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright's driver process for the session."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)  # a shared 2-core machine: generous, never a sleep
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """Debian's headless Chromium, driven by Playwright."""
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True)
    yield chromium
    chromium.close()


@pytest.fixture
def open_page(browser, live_town):
    """Return a factory: open_page(device, locale) gives a Page in a fresh browser context."""
    contexts = []

    def make(device: str = "desktop", locale: str = "fr"):
        context = browser.new_context(
            base_url=live_town.url,
            locale=locale,
            timezone_id=TIMEZONE,
            **VIEWPORTS[device],
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
