"""Forms with errors, in a real browser: a role=alert summary linking to each wrong field, each
field described by its message, and axe (tests/e2e/axe.py) finds nothing on the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations, describe
from tests.e2e.pages import build_town
from tests.e2e.steps import unique
from tests.e2e.visits import TILES, open_as


@pytest.fixture(scope="module")
def town(live_town):
    """A shop with its owner, and a resident."""
    return build_town(live_town, unique)


def assert_errors_are_announced(page) -> None:
    """A role=alert summary, and each invalid field described by its visible error message."""
    expect(page.get_by_role("alert").first).to_be_visible()
    invalid = page.locator("[aria-invalid=true]")
    assert invalid.count() > 0, "no field is marked aria-invalid"
    for field in invalid.all():
        ids = (field.get_attribute("aria-describedby") or "").split()
        messages = [page.locator(f"#{i}").inner_text() for i in ids if i.endswith("-error")]
        assert messages and all(m.strip() for m in messages), f"{field} has no error message"
    # The summary links to each wrong field; following the first link puts the focus there.
    summary = page.get_by_role("alert").first.get_by_role("link")
    assert summary.count() == invalid.count()
    target = summary.first.get_attribute("href")
    summary.first.click()
    expect(page.locator(target)).to_be_focused()


def test_forms_with_errors_announce_them_and_pass_axe(browser, live_town, town):
    failures = []
    context, page, watch = open_as(browser, live_town, None, locale="en")
    try:
        page.goto("/account/register")
        page.get_by_role("main").get_by_role("button", name="Create my account").click()
        assert_errors_are_announced(page)
        failures += [f"register: {describe(v)}" for v in [axe_violations(page)] if v]
        page.goto("/account/login")
        page.get_by_label("Email").fill(town.resident.email)
        page.get_by_label("Password", exact=True).fill("not the password")
        page.get_by_role("main").get_by_role("button", name="Log in").click()
        expect(
            page.get_by_role("main").get_by_role("alert").or_(page.get_by_role("status")).first
        ).to_be_visible()
        failures += [f"login: {describe(v)}" for v in [axe_violations(page)] if v]
    finally:
        context.close()

    context, page, watch = open_as(browser, live_town, town.shop.owner, locale="en")
    try:
        page.goto(f"/merchant/shops/{town.shop.slug}")
        page.get_by_label("Shop name").fill("")
        page.get_by_label("Postcode").fill("123")
        page.get_by_role("main").get_by_role("button", name="Save").click()
        assert_errors_are_announced(page)
        failures += [f"shop form: {describe(v)}" for v in [axe_violations(page)] if v]
        page.goto(f"/merchant/shops/{town.shop.slug}/products/new")
        page.get_by_label("Name").fill("Reblochon")
        page.get_by_label("Price (€, VAT included)").fill("douze")
        page.get_by_role("main").get_by_role("button", name="Save").click()
        assert_errors_are_announced(page)
        failures += [f"product form: {describe(v)}" for v in [axe_violations(page)] if v]
        page.goto(f"/merchant/shops/{town.shop.slug}/hours")
        page.get_by_label("Monday").fill("19:00-08:00")
        page.get_by_role("button", name="Save the hours").click()
        assert_errors_are_announced(page)
        failures += [f"hours form: {describe(v)}" for v in [axe_violations(page)] if v]
        failures += watch.problems(allowed_hosts=(TILES,))  # the shop form's map pin
    finally:
        context.close()
    assert not failures, "\n\n".join(failures)


def test_a_wrong_catalogue_import_lists_its_problems_and_passes_axe(browser, live_town, town):
    context, page, watch = open_as(browser, live_town, town.shop.owner, locale="en")
    try:
        page.goto(f"/merchant/shops/{town.shop.slug}/products/")
        page.get_by_text("Import a CSV file").click()  # opens its <details>
        wrong = b"sku,name,price,stock\nA1,,douze,3\nA2,Bleu,4.50,-1\n"
        page.get_by_label("CSV file").set_input_files(
            {"name": "products.csv", "mimeType": "text/csv", "buffer": wrong}
        )
        page.get_by_role("button", name="Import").click()
        expect(page.get_by_role("alert").first).to_contain_text("Nothing was imported")
        expect(page.get_by_role("table", name="Problems found")).to_be_visible()
        failures = [f"import report: {describe(v)}" for v in [axe_violations(page)] if v]
        page.get_by_role("main").get_by_role("button", name="Import").click()  # no file
        assert_errors_are_announced(page)
        failures += [f"import form: {describe(v)}" for v in [axe_violations(page)] if v]
        failures += watch.problems(allowed_hosts=(TILES,))  # the shop form's map pin
    finally:
        context.close()
    assert not failures, "\n\n".join(failures)
