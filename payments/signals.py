"""Signals sent by payments, so that other parts (and the tests) can follow what Stripe told us."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with event_id=, event_type=, object_id=, outcome= once a webhook event is committed and
# what follows it (confirmation emails, refunds at Stripe) is done; also for the return page's
# read of a paid session (event_id "return:<session id>", payments/returning.py). Of the paths
# that report one payment, the later ones say "already paid", possibly before the first one's
# emails are out: follow those with marketplace.mail.mail_delivered.
stripe_event_applied = _signals.signal("stripe-event-applied")
