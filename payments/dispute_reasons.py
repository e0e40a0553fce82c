"""Stripe's dispute reason codes in the reader's language (emails, the audit log).

Stripe sends a code ("fraudulent"); a French shopkeeper reads "fraude (paiement non autorisé)".
The codes are Stripe's documented list for `dispute.reason`; an unknown one shows as it is.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DISPUTE_REASONS = {
    "bank_cannot_process": _l("the bank cannot process the payment"),
    "check_returned": _l("cheque returned"),
    "credit_not_processed": _l("refund promised but not made"),
    "customer_initiated": _l("contested by the customer"),
    "debit_not_authorized": _l("debit not authorised"),
    "duplicate": _l("paid twice"),
    "fraudulent": _l("fraud (payment not authorised by the card holder)"),
    "general": _l("no specific reason"),
    "incorrect_account_details": _l("incorrect account details"),
    "insufficient_funds": _l("insufficient funds"),
    "product_not_received": _l("order not received"),
    "product_unacceptable": _l("order not as described"),
    "subscription_canceled": _l("subscription cancelled"),
    "unrecognized": _l("payment not recognised by the card holder"),
}


def dispute_reason_label(code: str | None) -> str:
    """The reason in words, "-" when there is none, an unknown code as it is."""
    if not code:
        return "-"
    label = DISPUTE_REASONS.get(code)
    return str(label) if label is not None else code
