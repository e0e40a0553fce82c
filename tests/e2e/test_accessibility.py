"""Accessibility in a real browser: axe-core finds no serious or critical WCAG 2.1 A/AA violation
on any page type (tests/e2e/pages.py lists them), forms announce their errors, the skip link and
the focus work, and no page breaks its Content-Security-Policy or calls a third party.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from marketplace.accounts.models import ADMIN, CURATOR, RESIDENT
from tests.e2e.live import new_context
from tests.e2e.pages import ANONYMOUS, SHOPKEEPER, axe_violations, build_town, describe, page_urls
from tests.e2e.steps import fits_the_screen, unique
from tests.factories import PASSWORD

TILES = "tile.openstreetmap.org"  # the only third party a page may call (the map's tiles)


@pytest.fixture(scope="module")
def town(live_town):
    """The shop, order and people every page type needs."""
    return build_town(live_town, unique)


class Watch:
    """What a page did wrong besides axe: CSP violations, script errors, third-party requests."""

    def __init__(self, page, own_origins: set[str]) -> None:
        self.csp, self.errors, self.outside = [], [], []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

        def route(route):
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(route.request.url))
            if origin in own_origins or route.request.url.startswith("data:"):
                route.continue_()
            else:  # offline tests: nothing leaves the machine, but each attempt is recorded
                self.outside.append(route.request.url)
                route.abort()

        page.route("**/*", route)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)

    def problems(self, allowed_hosts: tuple[str, ...] = ()) -> list[str]:
        """Everything wrong so far, as sentences."""
        calls = [u for u in self.outside if urlsplit(u).hostname not in allowed_hosts]
        found = [f"CSP violation: {m}" for m in self.csp]
        found += [f"script error: {e}" for e in self.errors]
        found += [f"third-party request: {u}" for u in calls]
        return found


def origins(live_town) -> set[str]:
    """The live app and the Stripe emulator (the payment pages)."""
    return {live_town.url.rstrip("/"), live_town.emulator.url.rstrip("/")}


def open_as(browser, live_town, who_user, device="desktop", locale="fr", **options):
    """A page in a fresh context, logged in as `who_user` (None: anonymous), and its Watch."""
    context = new_context(browser, live_town.url, device, locale, **options)
    page = context.new_page()
    watch = Watch(page, origins(live_town))
    if who_user is not None:
        form = context.request.get("/account/login").text()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        answer = context.request.post(
            "/account/login",
            form={"csrf_token": token, "email": who_user.email, "password": PASSWORD},
            max_redirects=0,
        )
        assert answer.status == 302, answer.text()[:300]
    return context, page, watch


def check_pages(page, watch, urls: dict[str, str], also=None) -> list[str]:
    """Visit each URL; return what axe, the watch and the `also(page)` check found, page by page."""
    failures = []
    for endpoint, url in urls.items():
        response = page.goto(url)
        if response is None or response.status != 200:
            failures.append(f"{endpoint} {url}: HTTP {response and response.status}")
            continue
        violations = axe_violations(page)
        # The map's tiles: the town map, and the shop page's small map (static/js/shop-map.js).
        with_tiles = endpoint in ("map.index", "public.shop")
        problems = watch.problems(allowed_hosts=(TILES,) if with_tiles else ())
        try:
            also and also(page)
        except AssertionError as error:
            problems.append(str(error))
        watch.csp.clear(), watch.errors.clear(), watch.outside.clear()
        if violations or problems:
            failures.append(f"{endpoint} {url}:\n{describe(violations)}\n" + "\n".join(problems))
    return failures


@pytest.mark.parametrize("who", [ANONYMOUS, RESIDENT, SHOPKEEPER, CURATOR, ADMIN])
def test_axe_finds_no_serious_violation_on_any_page_type(browser, live_town, town, who):
    user = {
        ANONYMOUS: None,
        RESIDENT: town.resident,
        SHOPKEEPER: town.shop.owner,
        ADMIN: town.admin,
    }.get(who, town.curator)
    urls = page_urls(live_town.app, town, who)
    if not urls:
        pytest.skip(f"this app has no {who} page yet")
    context, page, watch = open_as(browser, live_town, user)
    try:
        failures = check_pages(page, watch, urls)
    finally:
        context.close()
    assert not failures, "\n\n".join(failures)


def test_key_pages_pass_axe_on_a_phone_in_english(browser, live_town, town):
    urls = page_urls(live_town.app, town, ANONYMOUS)
    wanted = (
        "public.home",
        "search.page",
        "public.shop",
        "public.product",
        "map.index",
        "public.accessibility",
    )
    context, page, watch = open_as(browser, live_town, town.resident, "phone", "en")
    try:
        # On a phone, no page needs sideways scrolling (WCAG 1.4.10, reflow).
        failures = check_pages(page, watch, {e: urls[e] for e in wanted}, fits_the_screen)
        resident_pages = page_urls(live_town.app, town, RESIDENT)
        failures += check_pages(page, watch, resident_pages, fits_the_screen)
    finally:
        context.close()
    assert not failures, "\n\n".join(failures)


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
        failures += watch.problems()
    finally:
        context.close()
    assert not failures, "\n\n".join(failures)


def test_the_skip_link_comes_first_and_moves_the_focus_to_the_content(open_page):
    page = open_page("desktop", "en")
    page.goto("/shops")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # visible when focused, hidden otherwise
    outline = skip.evaluate("(e) => getComputedStyle(e).outlineStyle")
    assert outline != "none", "the focus must be visible"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_checks_see_what_they_look_for(browser, live_town, town):
    """axe and the watch are real: an unlabelled field and an inline style are both caught."""
    context, page, watch = open_as(browser, live_town, None)
    try:
        page.goto("/shops")
        page.evaluate(
            """() => {
              document.querySelector("main").append(document.createElement("input"));
              const style = document.createElement("style");
              style.textContent = "body { color: red }";
              document.head.append(style);
            }"""
        )
        found = {v["id"] for v in axe_violations(page)}
        expect(page.locator("main input:not([id])")).to_have_count(1)
        assert "label" in found
        assert any("style" in p for p in watch.problems()), watch.problems()
    finally:
        context.close()


def test_search_suggestions_run_from_their_file_under_the_csp(browser, live_town, town):
    """The autocomplete (static/js/suggest.js, once an inline script) is a listbox for arrows."""
    context, page, watch = open_as(browser, live_town, None, locale="en")
    try:
        page.goto("/shops")
        box = page.get_by_role("combobox", name="Search products and shops")
        box.press_sequentially("Tomme de Sav")
        options = page.get_by_role("listbox", name="Search products and shops").get_by_role(
            "option"
        )
        expect(options.filter(has_text="Tomme de Savoie").first).to_be_visible()
        box.press("ArrowDown")
        expect(box).to_have_attribute("aria-activedescendant", re.compile(r"^suggest-0-0$"))
        expect(options.first).to_have_attribute("aria-selected", "true")
        box.press("Escape")
        expect(box).to_have_attribute("aria-expanded", "false")
        assert not watch.problems()
    finally:
        context.close()
