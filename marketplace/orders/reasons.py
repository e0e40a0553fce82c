"""The reasons the app itself gives for an order's change, in the reader's language.

They are stored in English in the order's history (order_events.reason, like the words people
type there) and translated when shown: a French page never reads "cancelled by the customer".
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

BY_CUSTOMER = "cancelled by the customer"
NOT_PAID_IN_TIME = "payment not received in time"
PAYMENT_UNAVAILABLE = "payment service unavailable"
PAYMENT_ABANDONED = "payment abandoned"

SYSTEM_REASONS = {
    BY_CUSTOMER: _l("cancelled by the customer"),
    NOT_PAID_IN_TIME: _l("payment not received in time"),
    PAYMENT_UNAVAILABLE: _l("payment service unavailable"),
    PAYMENT_ABANDONED: _l("payment abandoned"),
}


def reason_in_words(reason: str | None) -> str:
    """A reason the app wrote, translated; one typed by a person, as they typed it."""
    if not reason:
        return ""
    label = SYSTEM_REASONS.get(reason)
    return str(label) if label is not None else reason
