"""Steps a person takes in the browser, shared by the journeys: find things by role and label.

The pages are driven in English (the labels below are the source strings); the screenshots and
tests/e2e/test_smoke.py show the French pages.
"""

from __future__ import annotations

import itertools
import re

from playwright.sync_api import Locator, Page, expect

from marketplace.extensions import db
from tests.conftest import link_path, outbox
from tests.factories import PASSWORD

VISA = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"
_counter = itertools.count(1)


def unique(name: str) -> str:
    """`name` made unique in this session (the live server's data lives for the whole run)."""
    return f"{name} {next(_counter)}"


def email_for(name: str) -> str:
    """An email address for a person called `name`."""
    return re.sub(r"[^a-z0-9]+", ".", name.lower()).strip(".") + "@example.org"


def sign_up(page: Page, town, name: str, email: str, shopkeeper: bool = False) -> None:
    """Sign up, then open the account from the emailed link; the person is then logged in."""
    page.goto("/account/register")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    if shopkeeper:
        page.get_by_label("I run a shop and want to list it").check()
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text(f"we sent a message to {email}")).to_be_visible()
    [mail] = [m for m in outbox(town.app) if m.startswith(f"To: {email}\n")]
    page.goto(link_path(mail))
    page.get_by_role("button", name="Confirm and open my account").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Log in through the login form."""
    page.goto("/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def open_menu_link(page: Page, name: str) -> None:
    """Follow a link of the site's main menu."""
    follow(page, page.get_by_role("navigation", name="Main menu").get_by_role("link", name=name))


def follow(page: Page, link: Locator) -> None:
    """Click a link (or a form's button) and wait until the page it opens has loaded.

    A click does not wait for the next page: a read that does not retry (`count()`,
    `evaluate`) made right after it sees the old page, or the new one half parsed."""
    with page.expect_navigation(wait_until="load"):
        link.click()


def open_search_filters(page: Page) -> Locator:
    """The search page's filters; on a phone they are folded: open them from "Filters" first."""
    # Whether the summary shows depends on the stylesheet: until it has loaded, a wide screen
    # shows the summary of a fold that app.css then hides (and clicking it times out).
    page.wait_for_load_state("load")
    filters = page.get_by_role("complementary", name="Filters")
    fold = filters.locator("details.fold")
    if not fold.evaluate("(e) => e.open") and filters.locator("summary").is_visible():
        filters.locator("summary").click()
    return filters


def see_payment_received(page: Page) -> None:
    """Back from Stripe's page, the return page says the payment was received: it reads the
    payment from Stripe, or asks again by itself until the webhook has come. No reload from the
    test: one made while the return page is still loading is aborted."""
    db.session.commit()  # no read transaction of the test holds up the server's writes (SQLite)
    expect(page.get_by_role("status")).to_contain_text("Payment received")


def pay_by_card(page: Page, card: str) -> None:
    """On the Stripe emulator's hosted page, type a card number and press Pay."""
    expect(page.get_by_text("TEST MODE")).to_be_visible()
    page.get_by_label("Card number").fill(card)
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()


def press_add(page: Page, button) -> None:
    """Press an "Add" button (a locator) and wait until the header's cart count has changed: the
    page posts it without reloading when JavaScript runs (static/js/add-to-cart.js)."""
    count = page.locator("#cart-count")
    before = count.inner_text()
    button.click()
    expect(count).not_to_have_text(before)


def fits_the_screen(page: Page) -> None:
    """The page needs no sideways scrolling (WCAG 1.4.10 reflow): nothing is wider than the screen."""
    page.wait_for_load_state("load")  # widths are only the stylesheet's once it has loaded
    width, screen, culprits = page.evaluate(WIDTHS)
    assert width <= screen, f"{page.url} is {width} px wide on a {screen} px screen: {culprits}"


# The page's width, the screen's, and the first elements that stick out (to say what to fix).
WIDTHS = """() => {
  const screen = document.documentElement.clientWidth;
  const out = [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > screen + 1)
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`);
  return [document.documentElement.scrollWidth, screen, out];
}"""


def tab_to(page: Page, target, limit: int = 80) -> None:
    """Press Tab until `target` (a locator) has the focus, and check that the focus is visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("(e) => e === document.activeElement"):
            style = target.evaluate(FOCUS_STYLE)
            assert style != "none", f"no visible focus on {target}"
            return
    raise AssertionError(f"{target} never got the focus after {limit} presses of Tab")


# How the focused element shows its focus: an outline, or a box shadow.
FOCUS_STYLE = """(e) => {
  const s = getComputedStyle(e);
  return s.outlineStyle !== "none" && s.outlineWidth !== "0px" ? s.outlineStyle : s.boxShadow;
}"""
