"""Real-browser fixtures: the app served on 127.0.0.1 with its Stripe emulator, and Chromium driving it.

Every test in tests/e2e/ is marked `e2e` here. They need Debian's Chromium at /usr/bin/chromium
(Playwright's own browser download does not work offline); `make e2e-deps` installs it when the
user is root, otherwise the tests are skipped with a message saying how to enable them.

Fixtures (reuse them, do not start another server):

- `live_town` (package scope: started once for tests/e2e/, stopped before the rest of the
  suite runs): a `tests.payments.town.LiveTown`. The app runs in a real werkzeug `make_server`
  thread on a free port of 127.0.0.1 (`live_town.url`), with its own temporary
  instance folder, upload folder, outbox and Whoosh index, and its own database: a fresh migrated
  SQLite file, or a private schema of TEST_DATABASE_URL when VITRINE_TEST_DB=postgres. The offline
  Stripe emulator runs as a subprocess and sends its webhooks to the app;
  `live_town.wait_for(event_type, object_id)` waits for the app to apply one. The fixture keeps an
  app context open, so factories (`tests.factories.make_shop` ...) and `db.session` work in a
  test body. The data lives for the whole e2e run: give users and shops unique names
  (`unique("name")`), never rely on an empty database.
- `browser` (package scope): Playwright's Chromium launched from /usr/bin/chromium.
- `open_page(device="desktop"|"phone", locale="fr"|"en", **context_options)` (function): a
  factory returning a fresh Page in its own context (cookies), `base_url` set to the live server,
  so `page.goto("/shops")` works; Europe/Paris time zone. "desktop" is 1280x800; "phone" is a
  390x844 touch screen with is_mobile. Contexts close after the test.
- `DEVICES`: the two device names, for `@pytest.mark.parametrize("device", DEVICES)`.

tests/e2e/live.py holds the same pieces as plain functions (own_database, launch_chromium,
new_context) for scripts/screenshots.py. Helpers for steps people take are in tests/e2e/steps.py
(sign_up, log_in, pay_by_card, tab_to for keyboard-only paths, fits_the_screen for reflow ...).
A test body that reads or writes the database through `db.session` must commit (or roll back)
before driving the browser: on SQLite an open write transaction locks the live server out. Selectors go by role and label, and waiting is Playwright's auto-wait and `expect`,
never a sleep.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import _postgres_url
from tests.e2e.live import (
    CHROMIUM,
    DEVICES,
    LIVE_SETTINGS,
    chromium_missing,
    launch_chromium,
    new_context,
    own_database,
)

__all__ = ["DEVICES"]  # tests import it from tests.e2e.live
ENABLE = "sudo apt-get install chromium (or `make e2e-deps` as root) enables the browser tests"
HERE = Path(__file__).parent


# What a browser shows and how it is driven does not depend on the database: these run once, on
# the SQLite run. The PostgreSQL run drives once (desktop, English) every journey where money,
# stock or a race is at stake, which is where the database shows (locks, transactions seen by
# the live server). The office's and the shopkeeper's editing journeys write plain rows that the
# PostgreSQL run checks without a browser (tests/curation, tests/shops, tests/campaigns...).
SQLITE_RUN_ONLY = {
    "test_accessibility",
    "test_accessible_forms",
    "test_add_in_place",
    "test_map",
    "test_map_clusters",
    "test_phone_and_dates",
    "test_resident_fixes",
    "test_screenshots",
    "test_smoke",
    # editing journeys: no money, no stock, no race
    "test_campaigns_journey",
    "test_changes_requested_journey",
    "test_curator_journey",
    "test_dashboard_length",
    "test_email_language",
    "test_follow_journey",
    "test_import_progress",
    "test_onboarding_journey",
    "test_shopkeeper_journey",
}
FIRST_VARIANT = {"mode": "desktop-en", "device": "desktop"}
ONCE = "browser rendering, input modes and editing journeys: checked on the SQLite run"


def sqlite_run_only(item) -> bool:
    """True for a test (or parameter set) the SQLite run alone checks (see SQLITE_RUN_ONLY)."""
    if Path(item.fspath).stem in SQLITE_RUN_ONLY:
        return True
    params = getattr(getattr(item, "callspec", None), "params", {})
    return any(params.get(name, first) != first for name, first in FIRST_VARIANT.items())


def pytest_collection_modifyitems(config, items):
    """Mark every test of this folder `e2e`, and skip them when there is no Chromium."""
    missing = chromium_missing()
    on_postgres = _postgres_url() is not None
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
            if missing:
                item.add_marker(pytest.mark.skip(reason=f"no {CHROMIUM}: {ENABLE}"))
            elif on_postgres and sqlite_run_only(item):
                item.add_marker(pytest.mark.skip(reason=ONCE))


@pytest.fixture(scope="package")
def e2e_database_url(tmp_path_factory):
    """A migrated database of the browser tests' own; other tests' cleanup never touches it."""
    with own_database(_postgres_url(), tmp_path_factory.mktemp("e2e-db")) as url:
        yield url


@pytest.fixture(scope="package")
def live_town(e2e_database_url, tmp_path_factory):
    """The app on a real HTTP server with its Stripe emulator, for all of tests/e2e/."""
    from tests.payments.town import open_town

    folder = tmp_path_factory.mktemp("e2e-town")
    with open_town(e2e_database_url, folder, LIVE_SETTINGS) as town:
        yield town


@pytest.fixture(scope="package")
def playwright_driver():
    """Playwright's driver process, for all of tests/e2e/."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)  # a shared 2-core machine: generous, never a sleep
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright_driver):
    """Debian's headless Chromium, driven by Playwright."""
    chromium = launch_chromium(playwright_driver)
    yield chromium
    chromium.close()


@pytest.fixture
def open_page(browser, live_town):
    """Return a factory: open_page(device, locale) gives a Page in a fresh browser context."""
    contexts = []

    def make(device: str = "desktop", locale: str = "fr", **overrides):
        context = new_context(browser, live_town.url, device, locale, **overrides)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
