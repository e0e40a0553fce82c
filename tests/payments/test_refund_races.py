"""A refund asked twice at once, or refused by Stripe: the card and the shop's payout stay right."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from tests.conftest import alerts, csrf_token
from tests.payments.refund_helpers import (
    bakery_transfer,
    collected_bread,
    ledger,
    refunded_cents,
    refunds_at_stripe,
)
from tests.payments.town import counter_page, refund_at_counter, refund_token

MISSING_BAGUETTE = "Une baguette manquait."


def submit_at_once(town, order, forms: list[dict]) -> list:
    """Post the refund forms from as many browsers at the same instant; return the answers."""
    page = counter_page(order)
    clients = [town.browser(order.shop.owner) for _ in forms]
    ready = [
        {"csrf_token": csrf_token(c, page), **form} for c, form in zip(clients, forms, strict=True)
    ]
    barrier = threading.Barrier(len(forms))

    def click(client, form):
        barrier.wait()
        return client.post(f"{page}/refund", data=form)

    with ThreadPoolExecutor(len(forms)) as pool:
        return list(pool.map(click, clients, ready))


def test_a_double_click_on_refund_gives_back_the_amount_once(town):
    checkout, bread = collected_bread(town)
    refund_at_counter(town, bread, "1,00", "Un croissant en moins.")  # the order is "refunded"
    town.wait_for("charge.refunded", checkout.stripe_charge_id)
    page = counter_page(bread)
    form = {
        "amount": "2,00",
        "reason": MISSING_BAGUETTE,
        "refund_token": refund_token(town.browser(bread.shop.owner), page),
    }

    answers = submit_at_once(town, bread, [form, form])
    assert [a.status_code for a in answers] == [303, 303]
    town.wait_for("charge.refunded", checkout.stripe_charge_id)

    assert refunds_at_stripe(town, checkout) == [100, 200]
    assert refunded_cents(bread) == 300
    assert bakery_transfer(town, checkout, bread).amount_reversed == 300
    assert ledger(bread) == [
        ("transfer", 879, "succeeded"),
        ("refund", 100, "succeeded"),
        ("reversal", 100, "succeeded"),
        ("refund", 200, "succeeded"),
        ("reversal", 200, "succeeded"),
    ]

    # The same form sent once more, later (the back button): still one refund.
    again = town.browser(bread.shop.owner)
    resent = again.post(f"{page}/refund", data={"csrf_token": csrf_token(again, page), **form})
    assert resent.status_code == 303
    assert (
        "info",
        "This refund was already requested (the form was sent twice): it is made once.",
    ) in alerts(again.get(page))
    assert refunds_at_stripe(town, checkout) == [100, 200]
    assert refunded_cents(bread) == 300
    assert town.cli("payments", "reconcile").output.endswith("0 difference(s).\n")


def test_two_refunds_racing_for_the_same_euros_give_them_back_once(town):
    checkout, bread = collected_bread(town)
    refund_at_counter(town, bread, "1,00", "Un croissant en moins.")
    town.wait_for("charge.refunded", checkout.stripe_charge_id)
    page = counter_page(bread)
    owner = town.browser(bread.shop.owner)
    forms = [
        {"amount": "5,00", "reason": reason, "refund_token": refund_token(owner, page)}
        for reason in ("Pain rassis.", "Pain brûlé.")
    ]

    answers = submit_at_once(town, bread, forms)
    assert [a.status_code for a in answers] == [303, 303]
    town.wait_for("charge.refunded", checkout.stripe_charge_id)

    # 8,00 € left to refund: two refunds of 5,00 € cannot both fit; exactly one is made.
    assert refunds_at_stripe(town, checkout) == [100, 500]
    assert refunded_cents(bread) == 600
    assert bakery_transfer(town, checkout, bread).amount_reversed == 600
    assert [row for row in ledger(bread) if row[0] == "refund"] == [
        ("refund", 100, "succeeded"),
        ("refund", 500, "succeeded"),
    ]


def test_a_refund_stripe_refuses_takes_nothing_back_from_the_shop(town):
    checkout, bread = collected_bread(town)
    # The whole payment was refunded from Stripe's dashboard: nothing is left to refund there.
    town.stripe.v1.refunds.create({"payment_intent": checkout.stripe_payment_intent_id})
    town.wait_for("charge.refunded", checkout.stripe_charge_id)

    shown = refund_at_counter(town, bread, "2,00", MISSING_BAGUETTE)

    assert shown == [
        (
            "error",
            "The payment service refused this refund: nothing was given back and nothing was "
            "taken from your payout. Contact the town's office.",
        )
    ]
    transfer = bakery_transfer(town, checkout, bread)
    assert (transfer.amount, transfer.amount_reversed) == (879, 0)  # the bakery keeps its share
    assert refunded_cents(bread) == 0  # the 2,00 € can still be refunded
    assert ledger(bread) == [("transfer", 879, "succeeded"), ("refund", 200, "failed")]

    retried = town.cli("payments", "retry-transfers")
    assert retried.output == "0 planned, 0 tried, 0 still failing.\n"
    assert bakery_transfer(town, checkout, bread).amount_reversed == 0
