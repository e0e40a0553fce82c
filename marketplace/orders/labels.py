"""Order statuses in the user's words."""

from __future__ import annotations

from flask_babel import gettext as _


def status_label(status: str) -> str:
    """Return the label of an order status in the current language."""
    return {
        "pending_payment": _("waiting for payment"),
        "confirmed": _("confirmed"),
        "ready": _("ready for pickup"),
        "collected": _("collected"),
        "expired": _("expired"),
        "failed": _("payment failed"),
        "cancelled": _("cancelled"),
        "refunded": _("refunded"),
    }.get(status, status)
