"""A town voucher paid online: Stripe charges the rest, the shop's transfer is the resident's part,
and a refund gives back the resident's part to the card first, then the town's part to its budget."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from marketplace.campaigns.models import MATCHED, REDEEMED, VOUCHER
from marketplace.campaigns.participation import town_today
from marketplace.extensions import db
from marketplace.orders.models import Checkout
from payments.models import REFUND, TRANSFER, LedgerEntry
from tests.campaigns.helpers import make_campaign, make_curator
from tests.campaigns.redeem_helpers import balanced, join, one_voucher, redemptions
from tests.conftest import alerts, post_form
from tests.orders.helpers import form_as_shown
from tests.payments.conftest import pay
from tests.payments.town import VISA, fill_cart, hand_over, refund_at_counter, resident, statuses


def _entries(order, kind):
    return [
        (e.amount_cents, e.status)
        for e in db.session.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.order_id == order.id, LedgerEntry.kind == kind)
            .order_by(LedgerEntry.id)
        )
    ]


def test_a_voucher_paid_online_charges_the_rest_and_a_refund_is_split(town):
    office = make_curator()
    today = town_today()
    noel = make_campaign(
        office, VOUCHER, starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=30)
    )
    bakery, (bread,) = town.connected_shop("Boulangerie Moreau", {"Pain au levain": (2500, 10)})
    join(noel, bakery)
    voucher = one_voucher(noel, office)
    browser = town.browser(resident())
    fill_cart(browser, {bread: 1})
    form = form_as_shown(browser.get("/checkout").get_data(as_text=True))
    code = {"voucher": voucher.display_code}
    applied = browser.post("/checkout", data={**form, **code, "apply_voucher": "1"})

    sent = browser.post("/checkout", data={**form_as_shown(applied.get_data(as_text=True)), **code})

    assert sent.status_code == 303, alerts(sent)
    db.session.expire_all()
    checkout = db.session.scalars(select(Checkout)).one()
    session = town.stripe.v1.checkout.sessions.retrieve(checkout.stripe_session_id)
    assert (checkout.total_cents, session.amount_total) == (1500, 1500)  # 25 € less the town's 10 €
    assert pay(sent.headers["Location"], VISA).status_code == 303
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)
    assert statuses(checkout) == ["confirmed"]

    order = db.session.get(Checkout, checkout.id).orders[0]
    hand_over(town, order)
    charge = town.stripe.v1.charges.retrieve(db.session.get(Checkout, checkout.id).stripe_charge_id)
    fee = town.stripe.v1.balance_transactions.retrieve(charge.balance_transaction).fee
    # The shop is sent the resident's part; the town's part comes with the monthly statement.
    assert _entries(order, TRANSFER) == [(1500 - fee, "succeeded")]
    assert [r.status for r in redemptions(order)] == [REDEEMED]
    assert balanced(noel).redeemed == 1000

    shown = refund_at_counter(town, order, "20,00", "Pain brûlé.")
    town.wait_for("charge.refunded", charge.id)

    assert (
        "info",
        "€5.00 paid by the town went back to the campaign's budget, not to the card.",
    ) in shown
    assert town.stripe.v1.charges.retrieve(charge.id).amount_refunded == 1500  # never the town's
    assert _entries(order, REFUND) == [(1500, "succeeded")]
    (part,) = redemptions(order)
    assert (part.amount_cents, part.returned_cents) == (1000, 500)
    ledger = balanced(noel)
    assert (ledger.redeemed, ledger.spent, ledger.remaining) == (500, 500, noel.budget_cents - 500)


def test_cancelling_a_paid_order_refunds_the_card_and_gives_the_town_part_back_once(town):
    office = make_curator()
    today = town_today()
    matched = make_campaign(
        office,
        MATCHED,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=30),
        match_bps=2000,
        match_order_cap_cents=1000,
    )
    bakery, (bread,) = town.connected_shop("Boulangerie Moreau", {"Pain au levain": (2500, 10)})
    join(matched, bakery)
    browser = town.browser(resident())
    fill_cart(browser, {bread: 1})
    sent = browser.post("/checkout", data=form_as_shown(browser.get("/checkout").get_data(True)))
    assert sent.status_code == 303, alerts(sent)
    db.session.expire_all()
    checkout = db.session.scalars(select(Checkout)).one()
    assert checkout.total_cents == 2000  # 20 % of 25 € paid by the town
    pay(sent.headers["Location"], VISA)
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)
    order = db.session.get(Checkout, checkout.id).orders[0]

    page = f"/orders/{order.id}"
    assert post_form(browser, f"{page}/cancel", token_from=page).status_code == 303
    town.wait_for("charge.refunded", db.session.get(Checkout, checkout.id).stripe_charge_id)
    second = post_form(browser, f"{page}/cancel", token_from=page)  # a second click

    assert second.status_code == 303
    charge = town.stripe.v1.charges.retrieve(db.session.get(Checkout, checkout.id).stripe_charge_id)
    assert charge.amount_refunded == 2000  # what the card paid, not the town's 5 €
    assert [r.status for r in redemptions(order)] == ["released"]
    ledger = balanced(matched)
    assert (ledger.held, ledger.spent, ledger.remaining) == (0, 0, matched.budget_cents)
