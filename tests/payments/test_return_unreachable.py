"""Stripe stuck when Camille comes back from paying: the return page cannot read the payment,
answers within the Stripe time budget that it is not received yet, changes nothing, and the
webhook confirms the orders once when it comes."""

from __future__ import annotations

import pytest

from tests.conftest import page_text
from tests.payments.conftest import pay
from tests.payments.live_http import StripeLine
from tests.payments.test_unpaid_checkouts import waiting  # noqa: F401 - a fixture
from tests.payments.town import VISA, statuses, subjects_to

WAITING = "We have not received the payment yet. This page updates itself every few seconds."


@pytest.fixture
def stripe_line():
    """The line between the app and Stripe (the app's STRIPE_API_BASE)."""
    with StripeLine() as line:
        yield line


@pytest.fixture
def town_settings(stripe_line):
    """The app calls Stripe through the line, with a budget of 2 s for a whole call."""
    return {"STRIPE_API_BASE": stripe_line.url, "STRIPE_TIME_BUDGET_SECONDS": 2}


@pytest.fixture
def line(town, stripe_line):
    """The line, relaying to the town's own Stripe emulator."""
    stripe_line.upstream = town.emulator.url
    return stripe_line


def test_a_return_while_stripe_hangs_waits_for_the_webhook_and_confirms_once(
    line,
    town,
    waiting,  # noqa: F811
):
    browser, checkout, url, _ = waiting
    town.emulator.set_delivery(hold=True)
    try:
        paid = pay(url, VISA)  # the resident's browser talks to Stripe; our line to it hangs
        line.hang()
        back = browser.get(paid.headers["Location"].removeprefix(town.url))
        line.wait_for_hung(1)
        assert back.status_code == 200
        assert WAITING in page_text(back)
        assert statuses(checkout) == ["pending_payment", "pending_payment"]
        assert subjects_to(town.app, "camille@example.org") == []
    finally:
        line.restore()
        town.emulator.set_delivery()

    town.emulator.release_events()
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)
    assert statuses(checkout) == ["confirmed", "confirmed"]
    town.wait_for_mail("camille@example.org", "Your order at Boulangerie Moreau is confirmed")
    page = page_text(browser.get(f"/checkout/{checkout.id}/return"))
    assert "Payment received: €21.90. Thank you! Your orders are confirmed." in page
    confirmations = subjects_to(town.app, "camille@example.org")
    assert len(confirmations) == 2  # one per shop, not one more for the return page
