"""Emails telling a shopkeeper what the town's office decided about their shop."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.mail import send_email
from marketplace.urls import external_url
from shops.models import Shop

SUBJECTS = {
    "approve": _l("Your shop is published on Vitrine"),
    "request_changes": _l("The town's office asks for changes to your shop"),
    "reject": _l("Your shop needs changes before publication"),
    "suspend": _l("Your shop is suspended on Vitrine"),
    "reinstate": _l("Your shop is back on Vitrine"),
}


def notify_shop_decision(shop: Shop, action: str) -> None:
    """Email the owner the decision and its reason (call after the commit)."""
    owner = shop.owner
    if owner is None or owner.deleted_at is not None:
        return
    send_email(
        owner.email,
        SUBJECTS[action],
        "shop_decision",
        locale=owner.locale,
        shop=shop,
        action=action,
        reason=shop.status_reason,
        link=external_url("merchant.dashboard"),
    )
