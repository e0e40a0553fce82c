"""An attacker at the checkout and the counter: guessed codes, own-shop orders, another shop's counter."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from marketplace.campaigns.models import MATCHED, VOUCHER_ISSUED, Voucher
from marketplace.cart.services import stored_items
from marketplace.extensions import db
from marketplace.orders.models import Order
from tests.campaigns.helpers import make_curator
from tests.campaigns.redeem_helpers import balanced, join, one_voucher, redemptions, town_shop
from tests.campaigns.test_redemption_views import orders_count, this_month, words
from tests.conftest import alerts, post_form
from tests.curation.helpers import audit_entries
from tests.factories import login, make_shop, make_user
from tests.orders.helpers import form_as_shown, in_english
from tests.payments.town import fill_cart


@pytest.fixture
def office(app):
    return make_curator()


@pytest.fixture
def camille(app, client):
    user = make_user("camille@example.org", name="Camille")
    in_english(client)
    login(client, user)
    return user


BLOCKED = "Too many wrong voucher codes were tried. Wait 60 min before trying another code."
UNKNOWN = "This voucher code is unknown: check it and type it again."


def test_guessed_codes_at_the_checkout_stop_the_lookups_for_a_while(app, client, office, camille):
    app.config["VOUCHER_GUESS_LIMIT"] = "3 per hour"
    noel = this_month(office, "voucher")
    bakery, bread = town_shop("Boulangerie Moreau", 1500)
    join(noel, bakery)
    voucher = one_voucher(noel, office)
    fill_cart(client, {bread: 1})
    form = form_as_shown(client.get("/checkout").get_data(as_text=True))

    guesses = [
        client.post(
            "/checkout", data={**form, "voucher": f"ABCD-EFGH-JK{n}{n}", "apply_voucher": "1"}
        )
        for n in range(3)
    ]
    real = client.post(
        "/checkout", data={**form, "voucher": voucher.display_code, "apply_voucher": "1"}
    )

    assert [g.status_code for g in guesses] == [400, 400, 400]
    assert all(("error", UNKNOWN) in alerts(g) for g in guesses)
    assert real.status_code == 429 and ("error", BLOCKED) in alerts(real)
    assert "The town pays €" not in words(real)  # the real code was not even looked up
    assert orders_count() == 0 and list(stored_items(camille.id).values()) == [1]
    assert db.session.get(Voucher, voucher.id).status == VOUCHER_ISSUED
    balanced(noel)


def test_a_code_that_exists_does_not_count_as_a_guess(app, client, office, camille):
    app.config["VOUCHER_GUESS_LIMIT"] = "2 per hour"
    noel = this_month(office, "voucher")
    bakery, bread = town_shop("Boulangerie Moreau", 1500)
    voucher = one_voucher(noel, office)  # the bakery does not take part
    fill_cart(client, {bread: 1})
    form = form_as_shown(client.get("/checkout").get_data(as_text=True))
    for _ in range(3):
        refused = client.post("/checkout", data={**form, "voucher": voucher.code})
        assert refused.status_code == 400
        assert not any(text == BLOCKED for _, text in alerts(refused))
    join(noel, bakery)
    applied = client.post("/checkout", data={**form, "voucher": voucher.code, "apply_voucher": "1"})
    assert applied.status_code == 200, alerts(applied)


def _pay_at_pickup_order(client, bread) -> Order:
    fill_cart(client, {bread: 1})
    shown = client.get("/checkout").get_data(as_text=True)
    assert client.post("/checkout", data=form_as_shown(shown)).status_code == 303
    return db.session.scalars(select(Order).order_by(Order.id.desc())).first()


def test_guessed_codes_at_a_counter_are_stopped_per_shop(app, client, office, camille):
    app.config["VOUCHER_GUESS_LIMIT"] = "3 per hour"
    noel = this_month(office, "voucher")
    bakery, bread = town_shop("Boulangerie Moreau", 1500)
    join(noel, bakery)
    voucher = one_voucher(noel, office)
    order = _pay_at_pickup_order(client, bread)
    counter = in_english(app.test_client())
    login(counter, bakery.owner)
    page = f"/merchant/shops/{bakery.slug}/orders/{order.id}"

    for n in range(3):
        wrong = post_form(counter, f"{page}/voucher", {"voucher": f"ZZZZ-ZZZZ-ZZ{n}{n}"}, page)
        assert wrong.status_code == 303
    blocked = post_form(
        counter, f"{page}/voucher", {"voucher": voucher.display_code}, page, follow_redirects=True
    )

    assert ("error", BLOCKED) in alerts(blocked)
    assert redemptions(order) == [] and db.session.get(Voucher, voucher.id).status == VOUCHER_ISSUED
    balanced(noel)


def test_a_shopkeeper_gets_no_town_money_on_their_own_shop(app, client, office):
    noel = this_month(office, "voucher")
    matched = this_month(office, MATCHED, name="Coup de pouce", match_bps=5000)
    bakery, bread = town_shop("Boulangerie Moreau", 1500)
    join(noel, bakery)
    join(matched, bakery)
    voucher = one_voucher(noel, office)
    owner = bakery.owner
    assert owner.is_confirmed
    in_english(client)
    login(client, owner)
    fill_cart(client, {bread: 1})
    shown = client.get("/checkout")
    form = form_as_shown(shown.get_data(as_text=True))

    refused = client.post("/checkout", data={**form, "voucher": voucher.code, "apply_voucher": "1"})

    assert "The town pays €" not in words(shown)  # no matched spending on one's own shop
    assert (
        "error",
        "Boulangerie Moreau is your own shop: the town does not pay for its owner's orders.",
    ) in alerts(refused)
    # Placed without the voucher, then shown at the owner's own counter: refused there too.
    order = _pay_at_pickup_order(client, bread)
    page = f"/merchant/shops/{bakery.slug}/orders/{order.id}"
    at_counter = post_form(
        client, f"{page}/voucher", {"voucher": voucher.code}, page, follow_redirects=True
    )
    assert any("is your own shop" in text for _, text in alerts(at_counter))
    assert redemptions(order) == []
    balanced(noel, matched)


def test_another_shops_counter_cannot_redeem_on_an_order(app, client, office, camille):
    noel = this_month(office, "voucher")
    bakery, bread = town_shop("Boulangerie Moreau", 1500)
    join(noel, bakery)
    voucher = one_voucher(noel, office)
    order = _pay_at_pickup_order(client, bread)
    rival = make_shop(name="Boulangerie Rivale")
    db.session.commit()
    counter = in_english(app.test_client())
    login(counter, rival.owner)
    token_page = f"/merchant/shops/{rival.slug}/orders/"

    via_own_slug = post_form(
        counter,
        f"/merchant/shops/{rival.slug}/orders/{order.id}/voucher",
        {"voucher": voucher.code},
        token_page,
    )
    via_other_slug = post_form(
        counter,
        f"/merchant/shops/{bakery.slug}/orders/{order.id}/voucher",
        {"voucher": voucher.code},
        token_page,
    )
    anonymous = app.test_client().post(
        f"/merchant/shops/{bakery.slug}/orders/{order.id}/voucher", data={"voucher": voucher.code}
    )
    resident = client.post(
        f"/merchant/shops/{bakery.slug}/orders/{order.id}/voucher", data={"voucher": voucher.code}
    )

    assert via_own_slug.status_code == 404 and via_other_slug.status_code == 404
    assert anonymous.status_code in (302, 400, 403) and resident.status_code in (400, 403)
    assert redemptions(order) == [] and db.session.get(Voucher, voucher.id).status == VOUCHER_ISSUED
    balanced(noel)


def test_a_second_account_does_not_bypass_the_address_count(app, office):
    """Guesses spread over two accounts from one address are counted together."""
    app.config["VOUCHER_GUESS_LIMIT"] = "2 per hour"
    noel = this_month(office, "voucher")
    bakery, bread = town_shop("Boulangerie Moreau", 1500)
    join(noel, bakery)
    voucher = one_voucher(noel, office)
    statuses = []
    for email in ("a@example.org", "b@example.org"):
        browser = in_english(app.test_client())
        login(browser, make_user(email))
        fill_cart(browser, {bread: 1})
        form = form_as_shown(browser.get("/checkout").get_data(as_text=True))
        statuses.append(
            browser.post("/checkout", data={**form, "voucher": "ZZZZ-ZZZZ-ZZZZ"}).status_code
        )
    last = browser.post("/checkout", data={**form, "voucher": voucher.code, "apply_voucher": "1"})
    assert statuses == [400, 400] and last.status_code == 429


def test_a_voucher_taken_at_the_counter_is_in_the_audit_log_naming_the_shopkeeper(
    app, client, office, camille
):
    noel = this_month(office, "voucher")
    bakery, bread = town_shop("Boulangerie Moreau", 1500)
    join(noel, bakery)
    voucher = one_voucher(noel, office)
    order = _pay_at_pickup_order(client, bread)
    counter = in_english(app.test_client())
    login(counter, bakery.owner)
    page = f"/merchant/shops/{bakery.slug}/orders/{order.id}"

    post_form(counter, f"{page}/voucher", {"voucher": voucher.code}, page)

    (entry,) = audit_entries(action="campaign.voucher_redeemed_at_counter")
    assert (entry.actor_id, entry.target_id) == (bakery.owner.id, noel.id)
    changes = json.loads(entry.changes or "{}")
    assert changes["order"] == [None, order.id] and changes["amount_cents"] == [None, 1000]
