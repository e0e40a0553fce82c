"""A running catalogue import's page follows the job without reloading (issue 15): the progress bar
moves, then the result replaces it where the person is; axe sees no timed reload (tests/e2e/pages.py
runs it on this state), and without JavaScript "Refresh now" asks again."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import update

from marketplace.extensions import db
from shops.import_models import CHECKING, DONE, CatalogueImport
from tests.e2e.modes import MODES, Person
from tests.e2e.steps import tab_to, unique
from tests.factories import make_shop


def move(import_id: int, **values) -> None:
    """What the job writes while it runs, committed at once (the server reads it)."""
    db.session.execute(
        update(CatalogueImport).where(CatalogueImport.id == import_id).values(**values)
    )
    db.session.commit()


def a_running_import():
    shop = make_shop(name=unique("Épicerie Import"))
    record = CatalogueImport(shop_id=shop.id, filename="grand.csv", phase=CHECKING, rows_total=2000)
    db.session.add(record)
    db.session.commit()
    return shop, record.id


def test_the_running_import_page_updates_itself_in_place(open_page, live_town):
    shop, import_id = a_running_import()
    person = Person(open_page, live_town.app, MODES["keyboard-en"])
    page = person.page
    person.log_in(shop.owner.email)
    page.goto(f"/merchant/shops/{shop.slug}/products/imports/{import_id}")
    progress = page.locator("#import-progress")
    expect(progress).to_have_attribute("value", "0")
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    expect(page.get_by_text("This page refreshes itself until the import ends.")).to_be_visible()
    refresh = page.get_by_role("link", name="Refresh now")
    tab_to(page, refresh)  # the keyboard's place on the page, which the updates must keep
    page.evaluate("() => { window.notReloaded = true; }")

    move(import_id, rows_done=1000)
    expect(page.get_by_text("1000 of 2000 rows")).to_be_visible()
    expect(progress).not_to_have_attribute("value", "0")
    expect(refresh).to_be_focused()  # the same state: only the numbers changed
    move(import_id, phase=DONE, rows_done=2000, created=2000)
    expect(page.get_by_text("Import done: 2000 added, 0 updated, 0 unchanged.")).to_be_visible()
    assert page.evaluate("() => window.notReloaded === true")


def test_without_javascript_refresh_now_shows_how_far_it_went(open_page, live_town):
    shop, import_id = a_running_import()
    person = Person(open_page, live_town.app, MODES["no-javascript-fr"])
    page, say = person.page, person.say
    person.log_in(shop.owner.email)
    page.goto(f"/merchant/shops/{shop.slug}/products/imports/{import_id}")
    expect(
        page.get_by_text(say("This page refreshes itself until the import ends."))
    ).to_be_hidden()
    move(import_id, rows_done=1000)
    person.press(page.get_by_role("link", name=say("Refresh now")))
    expect(
        page.get_by_text(say("%(done)s of %(total)s rows", done=1000, total=2000))
    ).to_be_visible()
