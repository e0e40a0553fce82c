"""The four ways residents use Vitrine, for journeys run in each of them (issue 15): a desktop in
English, a small phone in French, the keyboard alone, and a browser without JavaScript.

A Person walks a journey in one mode: `press` follows a link or presses a button (a click, or Tab
until it has the focus and Enter), `type_into` fills a field (or tabs to it and types), and `say`
gives a sentence of the interface in the person's language, from the app's own catalogue.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace

from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect

from tests.e2e.steps import tab_to
from tests.factories import PASSWORD


@dataclass(frozen=True)
class Mode:
    """A device, a language, and whether the person uses only the keyboard, or no JavaScript."""

    device: str
    locale: str
    keyboard: bool = False
    javascript: bool = True
    options: dict = field(default_factory=dict)


SMALL_PHONE = {"viewport": {"width": 375, "height": 667}}  # an iPhone SE, the smallest common
MODES = {
    "desktop-en": Mode("desktop", "en"),
    "phone-fr": Mode("phone", "fr", options=SMALL_PHONE),
    "keyboard-en": Mode("desktop", "en", keyboard=True),
    "no-javascript-fr": Mode("desktop", "fr", javascript=False),
}


class Person:
    """Someone walking through Vitrine in one `Mode`."""

    def __init__(self, open_page, app, mode: Mode) -> None:
        self.app, self.mode = app, mode
        options = dict(mode.options)
        if not mode.javascript:
            options["java_script_enabled"] = False
        self.page: Page = open_page(mode.device, mode.locale, **options)

    def now_speaking(self, locale: str) -> Person:
        """The same person in the same browser, once the interface speaks `locale`."""
        other = copy.copy(self)
        other.mode = replace(self.mode, locale=locale)
        return other

    def say(self, msgid: str, **values) -> str:
        """`msgid` as the interface shows it in this person's language."""
        with self.app.test_request_context(), force_locale(self.mode.locale):
            return gettext(msgid, **values)

    def press(self, target) -> None:
        """Follow a link or press a button, with the mouse or the keyboard.

        By keyboard a link is followed with Enter and a button pressed with Space (the key a
        `<div>` dressed as a button would not answer), so both keys are tried along the journeys.
        """
        if self.mode.keyboard:
            tab_to(self.page, target)
            self.page.keyboard.press("Space" if target.evaluate(IS_BUTTON) else "Enter")
        else:
            target.click()

    def type_into(self, target, text: str) -> None:
        """Type `text` into a field."""
        if self.mode.keyboard:
            tab_to(self.page, target)
            self.page.keyboard.press("ControlOrMeta+A")
            self.page.keyboard.type(text)
        else:
            target.fill(text)

    def log_in(self, email: str) -> None:
        """Log in through the login form."""
        self.page.goto("/account/login")
        main = self.page.get_by_role("main")
        self.type_into(main.get_by_label(self.say("Email")), email)
        self.type_into(main.get_by_label(self.say("Password"), exact=True), PASSWORD)
        self.press(main.get_by_role("button", name=self.say("Log in")))
        expect(self.page.get_by_role("button", name=self.say("Log out"))).to_be_visible()

    def add_to_cart(self, product) -> None:
        """Open the product's page and add one to the cart."""
        self.page.goto(f"/shops/{product.shop.slug}/products/{product.id}-{product.slug}")
        self.press(self.page.get_by_role("button", name=self.say("Add to cart")))
        cart = self.page.get_by_role("navigation", name=self.say("Main menu")).get_by_role(
            "link", name=self.say("Cart")
        )
        # The count's element is always there, hidden with "(0)" when the cart is empty: wait for
        # a number above zero, or the next step may open the cart before the add was answered.
        expect(cart).to_contain_text(re.compile(r"\([1-9][0-9]*\)"))

    def place_the_order(self) -> None:
        """From the cart, go to checkout and place the order (online payment: Stripe's page)."""
        menu = self.page.get_by_role("navigation", name=self.say("Main menu"))
        self.press(menu.get_by_role("link", name=self.say("Cart")))
        self.press(self.page.get_by_role("link", name=self.say("Choose pickup times and order")))
        self.press(self.page.get_by_role("button", name=self.say("Place my order")))
        expect(self.page.get_by_text(STRIPE[self.mode.locale]["banner"])).to_be_visible()

    def pay_by_card(self, card: str) -> None:
        """On the Stripe emulator's page, type a card number and pay."""
        words = STRIPE[self.mode.locale]
        self.type_into(self.page.get_by_label(words["number"]), card)
        self.press(self.page.get_by_role("button", name=words["pay"]))


# Whether an element is a button (Space presses it; Space on a link scrolls the page instead).
IS_BUTTON = """(e) => e.tagName === "BUTTON"
  || (e.tagName === "INPUT" && ["submit", "button"].includes(e.type))"""

# The Stripe emulator's hosted page, in each language (payments/emulator/pages.py).
STRIPE = {
    "en": {
        "banner": "TEST MODE",
        "number": "Card number",
        "pay": "Pay ",
        "cancel": "Cancel and return to the shop",
        "declined": "Your card was declined.",
    },
    "fr": {
        "banner": "MODE TEST",
        "number": "Numéro de carte",
        "pay": "Payer ",
        "cancel": "Annuler et revenir à la boutique",
        "declined": "Votre carte a été refusée.",
    },
}
