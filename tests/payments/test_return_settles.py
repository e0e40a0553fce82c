"""The return page settles a payment from Stripe's own answer when the webhook is late (Stripe's
advice for Checkout), and whichever of the two comes second changes nothing."""

from __future__ import annotations

from sqlalchemy import select, update

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.models import Checkout
from payments.events import record_payment
from payments.models import REFUND, LedgerEntry
from tests.conftest import page_text
from tests.payments.conftest import pay
from tests.payments.test_unpaid_checkouts import our_reservation_runs_out, waiting  # noqa: F401
from tests.payments.town import VISA, statuses, subjects_to

PAID = "Payment received: €21.90. Thank you! Your orders are confirmed."


def test_the_return_page_confirms_a_payment_whose_webhook_is_late(town, waiting):  # noqa: F811
    browser, checkout, url, _ = waiting
    session_id = checkout.stripe_session_id
    town.emulator.set_delivery(hold=True)  # Stripe has taken the money; its webhooks wait
    try:
        paid = pay(url, VISA)
        page = page_text(browser.get(paid.headers["Location"].removeprefix(town.url)))
        assert PAID in page  # PAYMENT_RETURN_WAIT_SECONDS is 0 in tests: no webhook waited for
        assert statuses(checkout) == ["confirmed", "confirmed"]
        read = town.wait_for("checkout.session.completed", session_id)
        assert read.event_id == f"return:{session_id}"
        mails = subjects_to(town.app, "camille@example.org")
        assert len([s for s in mails if "confirmed" in s.lower()]) == 2
    finally:
        town.emulator.set_delivery()

    town.emulator.release_events()
    webhook = town.wait_for("checkout.session.completed", session_id)
    assert webhook.event_id.startswith("evt_") and "already paid" in webhook.outcome
    assert (
        "already paid" in town.wait_for("payment_intent.succeeded", paid_intent(checkout)).outcome
    )
    assert subjects_to(town.app, "camille@example.org") == mails  # no second confirmation
    assert statuses(checkout) == ["confirmed", "confirmed"]


def test_a_session_stripe_has_not_been_paid_for_is_not_settled_by_the_page(town, waiting):  # noqa: F811
    """A declined card leaves the session unpaid: the page says so, waits and refreshes."""
    browser, checkout, url, _ = waiting
    pay(url, "4000 0000 0000 0002")
    page = browser.get(f"/checkout/{checkout.id}/return").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="3">' in page
    assert statuses(checkout) == ["pending_payment", "pending_payment"]


def test_a_payment_another_path_has_just_recorded_is_not_recorded_again(town, waiting):  # noqa: F811
    """The webhook and the return page at the same moment: the second must not refund twice."""
    _, checkout, _, _ = waiting
    our_reservation_runs_out(checkout)
    assert town.cli("orders", "expire").exit_code == 0  # late: paying will refund both orders
    stale = db.session.get(Checkout, checkout.id)
    assert stale.paid_at is None and [o.status for o in stale.orders] == ["expired"] * 2
    with db.engine.begin() as twin:  # the other path claims the payment and commits first
        twin.execute(update(Checkout).where(Checkout.id == checkout.id).values(paid_at=utcnow()))

    outcome = record_payment(stale, "pi_twin", "ch_twin")
    db.session.commit()

    assert outcome.summary == f"checkout {checkout.id} already paid"
    assert outcome.refunds == [] and outcome.confirmed == []
    refunds = db.session.scalars(select(LedgerEntry).where(LedgerEntry.kind == REFUND)).all()
    assert [r for r in refunds if r.order_id in {o.id for o in stale.orders}] == []


def paid_intent(checkout: Checkout) -> str:
    """The payment intent the checkout records, read from the database."""
    db.session.expire_all()
    return db.session.get(Checkout, checkout.id).stripe_payment_intent_id


def test_the_page_asks_stripe_within_a_budget_per_checkout(town, waiting):  # noqa: F811
    """Its refreshes (every 3 s, from any number of tabs) cannot spend the platform's Stripe quota."""
    browser, checkout, _, _ = waiting
    town.app.config["PAYMENT_RETURN_STRIPE_READS"] = "2 per minute"
    asked = [
        "stripe;dur="
        in browser.get(f"/checkout/{checkout.id}/return").headers.get("Server-Timing", "")
        for _ in range(3)
    ]
    assert asked == [True, True, False]
