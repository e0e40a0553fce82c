"""A cart from a bakery that takes cards and a florist paid at the counter, in a real browser.

The checkout page says how each shop is paid; one confirmation sends the resident to the
emulator's payment page for the bread only, and both orders then show as they are.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from tests.e2e.axe import axe_violations, describe
from tests.e2e.modes import MODES, Person
from tests.e2e.steps import VISA, email_for, fits_the_screen, press_add, unique
from tests.factories import PASSWORD, make_product, make_shop, make_user
from tests.orders.helpers import set_hours

# What the resident reads, in each language (the French comes from the catalogue).
WORDS = {
    "en": {
        "email": "Email",
        "password": "Password",
        "log_in": "Log in",
        "add": "Add to cart",
        "order": "Choose pickup times and order",
        "card": "Card payment online accepted",
        "counter": "Pay at the counter",
        "how": "How to pay {shop}",
        "online": "Pay online now by card (secure payment by Stripe)",
        "at_counter": "Paid at the counter when collecting",
        "place": "Place my order",
        "card_no": "Card number",
        "pay": r"^Pay ",
        "received": r"Payment received: €4\.50",
        "counter_line": "to pay at the counter",
        "online_line": "paid online by card",
        "my_orders": "My orders",
        "paid_online": "Paid online.",
        "pay_counter": "To pay at the counter.",
    },
    "fr": {
        "email": "Adresse e-mail",
        "password": "Mot de passe",
        "log_in": "Se connecter",
        "add": "Ajouter au panier",
        "order": "Choisir les créneaux de retrait et commander",
        "card": "Paiement par carte en ligne accepté",
        "counter": "Paiement au comptoir",
        "how": "Comment payer {shop}",
        "online": "Payer en ligne maintenant par carte (paiement sécurisé par Stripe)",
        "at_counter": "Paiement au comptoir lors du retrait",
        "place": "Valider ma commande",
        "card_no": "Numéro de carte",
        "pay": r"^Payer ",
        "received": r"Paiement reçu\s:\s4,50\s€",
        "counter_line": "à payer au comptoir",
        "online_line": "payée en ligne par carte",
        "my_orders": "Mes commandes",
        "paid_online": "Payée en ligne.",
        "pay_counter": "À payer au comptoir.",
    },
}


def bakery_and_florist(town):
    """A bakery onboarded on Stripe (it also takes the counter), a florist without Stripe."""
    bakery, (bread,) = town.connected_shop(
        unique("Boulangerie Mixte"), {"Pain au levain": (450, 10)}, pay_at_pickup=True
    )
    florist = make_shop(name=unique("Fleurs Mixtes"), category="fleuriste", pay_at_pickup=True)
    set_hours(florist)
    tulips = make_product(florist, "Bouquet de tulipes", 1800, stock=4)
    db.session.commit()
    return (bakery, bread), (florist, tulips)


def add_to_cart(page: Page, words: dict, shop, product) -> None:
    page.goto(f"/shops/{shop.slug}/products/{product.id}-{product.slug}")
    press_add(page, page.get_by_role("button", name=words["add"]))  # posted without a reload


def person_adds(person: Person, words: dict, product) -> None:
    """On the product's page, press Add (mouse or keyboard, posted with or without JavaScript)."""
    page = person.page
    page.goto(f"/shops/{product.shop.slug}/products/{product.id}-{product.slug}")
    count = page.locator("#cart-count")
    before = count.inner_text()
    person.press(page.get_by_role("button", name=words["add"]))
    expect(count).not_to_have_text(before)


@pytest.mark.parametrize("mode", MODES)
def test_a_mixed_cart_pays_the_bakery_online_and_the_florist_at_the_counter(
    open_page, live_town, mode
):
    locale = MODES[mode].locale
    words = WORDS[locale]
    (bakery, bread), (florist, tulips) = bakery_and_florist(live_town)
    name = unique("Nour Mixte")
    make_user(email_for(name), name=name).locale = locale
    db.session.commit()  # the test's own transaction must not hold SQLite's lock
    person = Person(open_page, live_town.app, MODES[mode])
    page = person.page
    person.log_in(email_for(name))

    # The shop pages say how each shop takes payment.
    page.goto(f"/shops/{bakery.slug}")
    expect(page.get_by_text(words["card"])).to_be_visible()
    page.goto(f"/shops/{florist.slug}")
    expect(page.get_by_text(words["counter"], exact=True)).to_be_visible()
    expect(page.get_by_text(words["card"])).to_have_count(0)
    person_adds(person, words, bread)
    person_adds(person, words, tulips)

    page.goto("/cart/")
    person.press(page.get_by_role("link", name=words["order"]))
    choice = page.get_by_role("group", name=words["how"].format(shop=bakery.name))
    expect(choice.get_by_label(words["online"])).to_be_checked()
    flowers = page.get_by_role("group", name=re.compile(f"^{re.escape(florist.name)}"))
    expect(flowers).to_contain_text(words["at_counter"])
    if mode == "phone-fr":
        fits_the_screen(page)
    if person.mode.javascript and not person.mode.keyboard:  # the same page in every mode
        assert not (found := axe_violations(page)), describe(found)
    person.press(page.get_by_role("button", name=words["place"]))

    expect(page.get_by_label(words["card_no"])).to_be_visible()
    expect(page.locator("body")).to_contain_text("Pain au levain")
    expect(page.locator("body")).not_to_contain_text("Bouquet de tulipes")
    person.type_into(page.get_by_label(words["card_no"]), VISA)
    person.press(page.get_by_role("button", name=re.compile(words["pay"])))

    # The return page turns to "paid" by itself (it waits for the webhook, then refreshes).
    expect(page.get_by_role("status")).to_contain_text(re.compile(words["received"]))
    orders = page.get_by_role("listitem")
    expect(orders.filter(has_text=bakery.name)).to_contain_text(words["online_line"])
    expect(orders.filter(has_text=florist.name)).to_contain_text(words["counter_line"])
    if person.mode.javascript and not person.mode.keyboard:
        assert not (found := axe_violations(page)), describe(found)

    page.goto("/orders")
    expect(page.get_by_role("heading", name=words["my_orders"], level=1)).to_be_visible()
    mine = page.locator("li.panel")
    expect(mine.filter(has_text=bakery.name)).to_contain_text(words["paid_online"])
    expect(mine.filter(has_text=florist.name)).to_contain_text(words["pay_counter"])
    if mode == "phone-fr":
        fits_the_screen(page)


def test_without_the_card_payment_the_florist_order_stands(open_page, live_town):
    """Back from the payment page without paying: the bread is back in the cart, the flowers stay."""
    (bakery, bread), (florist, tulips) = bakery_and_florist(live_town)
    name = unique("Inès Mixte")
    make_user(email_for(name), name=name).locale = "en"
    db.session.commit()
    page = open_page("desktop", "en")
    words = WORDS["en"]
    page.goto("/account/login")
    page.get_by_label(words["email"]).fill(email_for(name))
    page.get_by_label(words["password"], exact=True).fill(PASSWORD)
    page.get_by_role("button", name=words["log_in"]).click()
    add_to_cart(page, words, bakery, bread)
    add_to_cart(page, words, florist, tulips)
    page.goto("/checkout")
    page.get_by_role("button", name=words["place"]).click()

    expect(page.get_by_text("TEST MODE")).to_be_visible()
    page.get_by_role("link", name="Cancel and return to the shop").click()

    expect(page.get_by_role("heading", name="My cart", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Pain au levain")
    expect(page.locator("main")).not_to_contain_text("Bouquet de tulipes")
    expect(page.locator("main")).to_contain_text(
        f"Your orders to pay at the counter are confirmed ({florist.name}): see My orders."
    )
    page.goto("/orders")
    expect(page.locator("li.panel").filter(has_text=florist.name)).to_contain_text("Confirmed")
    expect(page.locator("li.panel").filter(has_text=bakery.name)).to_have_count(0)
