"""Settling a payment when the resident comes back from Stripe, without waiting for the webhook.

Stripe's advice for Checkout: fulfil from the success page too, by reading the session, since
the webhook may come later than the resident. Both paths apply the same handler, once: the
return page's read is recorded as an event of its own (`return:<session id>`), and the payment
itself is claimed by a compare-and-set (payments/events.py), so whichever comes second finds
the checkout paid and changes nothing.
"""

from __future__ import annotations

import logging

from marketplace.domain_errors import InvalidTransition
from marketplace.extensions import db
from marketplace.orders.models import Checkout
from payments.client import UNREACHABLE, StripeError, get_client, is_configured
from payments.incoming import Incoming
from payments.webhook import apply_once

log = logging.getLogger(__name__)

SESSION_COMPLETED = "checkout.session.completed"


def settle_from_stripe(checkout: Checkout) -> bool:
    """Read the checkout's Stripe session; apply it if paid. True when Stripe says it is paid."""
    session_id = checkout.stripe_session_id
    if not session_id or not is_configured():
        return False
    db.session.rollback()  # no transaction stays open while Stripe answers
    try:
        session = get_client().v1.checkout.sessions.retrieve(session_id).to_dict()
    except (*UNREACHABLE, StripeError) as error:  # the webhook will tell; the page waits for it
        log.warning("checkout %s: could not read its Stripe session (%s)", checkout.id, error)
        return False
    if session.get("status") != "complete" or session.get("payment_status") != "paid":
        return False
    event = Incoming(
        id=f"return:{session_id}",
        type=SESSION_COMPLETED,
        obj=session,
        livemode=bool(session.get("livemode")),
    )
    try:
        apply_once(event, note="return page: ")
    except InvalidTransition:  # the webhook confirmed the orders at the same moment
        db.session.rollback()
    return True
