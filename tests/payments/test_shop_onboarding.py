"""Léa connects her flower shop to Stripe; until then her customers pay at the counter."""

from __future__ import annotations

import requests

from marketplace.extensions import db
from shops.models import Shop
from tests.conftest import alerts, page_text, post_form
from tests.factories import make_product, make_shop
from tests.payments.town import check_out, fill_cart, last_checkout, resident, statuses


def flower_shop():
    """Léa's shop, published, not connected to Stripe; she reads Vitrine in English."""
    shop = make_shop(name="Fleurs de Léa", category="fleuriste", slot_capacity=50, prep_minutes=0)
    shop.owner.locale = "en"
    tulips = make_product(shop, "Bouquet de tulipes", 1800, stock=4)
    db.session.commit()
    return shop, tulips


def test_a_shopkeeper_connects_a_stripe_account_and_can_be_paid_online(town):
    shop, _ = flower_shop()
    counter = town.browser(shop.owner)
    settings = f"/merchant/shops/{shop.slug}/payments/"
    assert "Connect a Stripe account" in page_text(counter.get(settings))

    sent = post_form(counter, f"/merchant/shops/{shop.slug}/payments/connect", token_from=settings)
    assert sent.status_code == 303
    onboarding = sent.headers["Location"]
    assert onboarding.startswith(f"{town.emulator.url}/express/onboarding/")
    db.session.expire_all()
    account = db.session.get(Shop, shop.id).stripe_account_id
    assert account and not db.session.get(Shop, shop.id).payouts_enabled

    assert "TEST MODE — no real payment" in requests.get(onboarding, timeout=10).text
    done = requests.post(
        onboarding, data={"business_name": "Fleurs de Léa"}, allow_redirects=False, timeout=10
    )
    back = done.headers["Location"]
    assert back == f"{town.url}/merchant/shops/{shop.slug}/payments/return"
    town.wait_for("account.updated", account)
    assert db.session.get(Shop, shop.id).payouts_enabled is True  # told by the webhook

    returned = counter.get(back.removeprefix(town.url))
    assert returned.status_code == 303
    assert (
        "success",
        "Your Stripe account is connected: you can be paid for online orders.",
    ) in alerts(counter.get(returned.headers["Location"]))
    assert "customers can pay your orders online" in page_text(counter.get(settings))


def test_a_shop_without_stripe_is_paid_at_the_counter_and_the_rest_of_the_cart_online(town):
    _, (bread,) = town.connected_shop("Boulangerie Moreau", {"Pain au levain": (450, 10)})
    _, tulips = flower_shop()
    browser = town.browser(resident())
    fill_cart(browser, {bread: 1, tulips: 1})

    page = page_text(browser.get("/checkout"))
    assert "Not available for this cart" not in page
    assert "Paid at the counter when collecting" in page
    placed = check_out(browser, "online")  # an older form's choice for the whole cart

    assert placed.status_code == 303
    assert placed.headers["Location"].startswith(f"{town.emulator.url}/c/pay/")
    online = last_checkout().online_part  # the counter part is written last
    assert [o.shop.name for o in online.orders] == ["Boulangerie Moreau"]
    assert statuses(online.counter_part) == ["confirmed"]
    assert online.counter_part.orders[0].shop.name == "Fleurs de Léa"
    session = town.stripe.v1.checkout.sessions.retrieve(online.stripe_session_id)
    assert session.amount_total == 450
