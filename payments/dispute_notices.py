"""Telling each shop of a disputed payment, and the town office, what a dispute means for them."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.models import CURATOR, User
from marketplace.extensions import db
from marketplace.jobs import job
from marketplace.mail import send_email
from marketplace.orders.models import Checkout
from payments.models import DISPUTE_LOST, DISPUTE_OPENED, Dispute

SUBJECTS = {
    DISPUTE_OPENED: _l("A payment is disputed: order #%(id)s"),
    "won": _l("Dispute closed in your favour: order #%(id)s"),
    DISPUTE_LOST: _l("Dispute lost: order #%(id)s"),
}


def _office_addresses() -> list[tuple[str, str | None]]:
    office = current_app.config.get("OFFICE_EMAIL")
    if office:
        return [(office, None)]
    curators = db.session.scalars(
        select(User).where(User.role == CURATOR, User.deleted_at.is_(None))
    ).all()
    return [(c.email, c.locale) for c in curators]


@job()
def send_dispute_notices(dispute_ids: list[int]) -> None:
    """Email each shop of the disputed payment and the office (after the commit)."""
    for dispute_id in dispute_ids:
        dispute = db.session.get(Dispute, dispute_id)
        checkout = db.session.get(Checkout, dispute.checkout_id) if dispute else None
        if dispute is None or checkout is None:
            continue
        for order in checkout.orders:
            owner = order.shop.owner
            send_email(
                order.shop.email or owner.email,
                SUBJECTS[dispute.outcome] % {"id": order.id},
                "dispute_for_shop",
                locale=owner.locale,
                order=order,
                dispute=dispute,
            )
        for address, locale in _office_addresses():
            send_email(
                address,
                SUBJECTS[dispute.outcome] % {"id": checkout.orders[0].id},
                "dispute_for_office",
                locale=locale,
                checkout=checkout,
                dispute=dispute,
            )
