"""Money after the payment: a cancelled order refunded to the cent, shops paid at collection."""

from __future__ import annotations

import pytest

from marketplace.extensions import db
from marketplace.orders.models import Checkout
from tests.conftest import page_text, post_form
from tests.orders.helpers import stock_of
from tests.payments.town import hand_over, paid_cart, refund_at_counter, statuses


def charge_of(town, checkout):
    """The card payment as Stripe holds it."""
    checkout = db.session.get(Checkout, checkout.id)
    return town.stripe.v1.charges.retrieve(checkout.stripe_charge_id)


def transfers_of(town, checkout) -> dict[str, object]:
    """Stripe's transfers for this checkout, by destination account."""
    listed = town.stripe.v1.transfers.list({"transfer_group": f"checkout-{checkout.id}"})
    return {t.destination: t for t in listed.data}


def test_cancelling_one_shop_s_order_refunds_exactly_that_order(town):
    browser, checkout = paid_cart(town)
    brie = checkout.orders[1]
    assert charge_of(town, checkout).amount == 3180

    cancelled = post_form(browser, f"/orders/{brie.id}/cancel", token_from=f"/orders/{brie.id}")
    assert cancelled.status_code == 303
    refunded = town.wait_for("charge.refunded", checkout.stripe_charge_id)

    assert "refunded 1290 cents" in refunded.outcome
    charge = charge_of(town, checkout)
    assert (charge.amount_refunded, charge.refunded) == (1290, False)  # brie only, to the cent
    assert statuses(checkout) == ["confirmed", "cancelled", "confirmed"]
    orders = db.session.get(Checkout, checkout.id).orders
    assert [o.refunded_cents for o in orders] == [0, 1290, 0]
    assert stock_of(brie.lines[0].product) == 5  # back on the shelf
    assert "Cancelled" in page_text(browser.get(f"/orders/{brie.id}"))
    assert town.cli("payments", "reconcile").output.endswith("0 difference(s).\n")


@pytest.mark.parametrize(
    "town_settings",
    [{"PLATFORM_FEE_BPS": 500, "STRIPE_FEES_PAID_BY": "shop"}],
    ids=["town-takes-5%-shops-pay-stripe"],
)
def test_collection_pays_the_shop_its_share_and_a_refund_takes_it_back(town):
    _, checkout = paid_cart(town)
    bread, brie, honey = checkout.orders
    charge = charge_of(town, checkout)
    # Stripe took 1.5 % of 31,80 € (47.7, rounded to 48) + 25 cents = 73 cents for the whole
    # cart; shared pro rata 900:1290:990 by largest remainder, that is 21 + 29 + 23 cents.
    fee = town.stripe.v1.balance_transactions.retrieve(charge.balance_transaction).fee
    assert fee == 73

    hand_over(town, bread)
    transfer = transfers_of(town, checkout)[bread.shop.stripe_account_id]
    # 9,00 € - 5 % for the town (45) - its part of Stripe's fee (21)
    assert transfer.amount == 900 - 45 - 21 == 834
    assert transfer.source_transaction == charge.id and transfer.currency == "eur"
    assert db.session.get(type(bread), bread.id).transfer_id == transfer.id

    for order in (brie, honey):
        hand_over(town, order)
    paid_out = {t.destination: t.amount for t in transfers_of(town, checkout).values()}
    assert paid_out == {
        bread.shop.stripe_account_id: 834,
        brie.shop.stripe_account_id: 1290 - 65 - 29,  # 5 % of 12,90 € is 64.5, rounded up
        honey.shop.stripe_account_id: 990 - 50 - 23,  # 5 % of 9,90 € is 49.5, rounded up
    }

    shown = refund_at_counter(town, bread, "3,00", "Une baguette manquait.")
    assert (
        "success",
        "Refund sent: the customer will see it on their card within a few days.",
    ) in shown
    town.wait_for("charge.refunded", charge.id)
    transfer = town.stripe.v1.transfers.retrieve(transfer.id)
    assert transfer.amount_reversed == 300
    assert charge_of(town, checkout).amount_refunded == 300

    # The rest of the order: 6,00 € back to Camille, but only 5,34 € was left with the shop.
    refund_at_counter(town, bread, "6,00", "Pain rassis.")
    town.wait_for("charge.refunded", charge.id)
    transfer = town.stripe.v1.transfers.retrieve(transfer.id)
    assert (transfer.amount_reversed, transfer.reversed) == (834, True)
    assert charge_of(town, checkout).amount_refunded == 900
    assert statuses(checkout) == ["refunded", "collected", "collected"]
    assert town.cli("payments", "reconcile").output.endswith("0 difference(s).\n")


@pytest.mark.parametrize(
    "town_settings",
    [{"PLATFORM_FEE_BPS": 250, "STRIPE_FEES_PAID_BY": "platform"}],
    ids=["town-takes-2.5%-and-pays-stripe"],
)
def test_every_cent_adds_up_for_the_resident_and_each_shop(town):
    _, checkout = paid_cart(town)
    bread, brie, honey = checkout.orders
    hand_over(town, bread)
    hand_over(town, brie)
    refund_at_counter(town, brie, "2,90", "Un morceau trop petit.")
    counter = town.browser(honey.shop.owner)
    page = f"/merchant/shops/{honey.shop.slug}/orders/{honey.id}"
    cancelled = post_form(counter, f"{page}/cancel", {"reason": "Rupture de stock."}, page)
    assert cancelled.status_code == 303
    for _refund in range(2):  # Stripe confirms both refunds by webhook
        town.wait_for("charge.refunded", checkout.stripe_charge_id)

    orders = db.session.get(Checkout, checkout.id).orders
    charge = charge_of(town, checkout)
    # The resident paid once, exactly the orders; she got back exactly what was refunded.
    assert charge.amount == sum(o.total_cents for o in orders) == 3180
    assert charge.amount_refunded == sum(o.refunded_cents for o in orders) == 290 + 990

    # Each shop: transfers - reversals = collected totals - refunds - the town's 2.5 %.
    transfers = transfers_of(town, checkout)
    kept = {shop_account: t.amount - t.amount_reversed for shop_account, t in transfers.items()}
    for order in orders:
        collected = order.status in ("collected", "refunded")
        fee = (order.total_cents * 250 + 5_000) // 10_000 if collected else 0
        owed = order.total_cents - order.refunded_cents - fee if collected else 0
        assert kept.get(order.shop.stripe_account_id, 0) == owed, order.shop.name
    assert kept == {
        bread.shop.stripe_account_id: 900 - 23,  # 2.5 % of 9,00 € is 22.5, rounded up
        brie.shop.stripe_account_id: 1290 - 290 - 32,
    }
    assert town.cli("payments", "reconcile").output.endswith("0 difference(s).\n")
