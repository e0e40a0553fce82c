"""A guest's personal data: export it, erase it (proof: a link mailed to the address), expire it.

A guest's email, phone and name live in one contact row per checkout (guest_contacts). Erasing
or expiring deletes those rows; the orders stay for the shops' accounting, with nobody's name.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select

from marketplace.accounts.services import normalize_email
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.models import Checkout, GuestContact, Order
from marketplace.privacy.services import IN_PROGRESS, DeletionRefused, order_data


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _contacts(email: str) -> list[GuestContact]:
    return list(
        db.session.scalars(
            select(GuestContact)
            .where(GuestContact.email == normalize_email(email))
            .order_by(GuestContact.checkout_id)
        )
    )


def export_guest_data(email: str) -> dict:
    """Everything Vitrine stores about the guest who used `email`, as JSON-ready data."""
    contacts = _contacts(email)
    orders = [o for c in contacts for o in c.checkout.orders]
    return {
        "contacts": [
            {
                "checkout_id": c.checkout_id,
                "email": c.email,
                "phone": c.phone,
                "name": c.name,
                "locale": c.locale,
                "created_at": _iso(c.created_at),
            }
            for c in contacts
        ],
        "orders": [order_data(o) for o in orders],
        "exported_at": _iso(utcnow()),
    }


def _in_progress():
    return exists().where(Order.checkout_id == Checkout.id, Order.status.in_(IN_PROGRESS))


def erase_guest_data(email: str) -> int:
    """Delete the guest's contact from every checkout of `email`; return how many.

    Refused (DeletionRefused('orders_in_progress')) while an order still needs the shop to
    reach them: they collect or cancel it first, as an account holder would.
    """
    contacts = _contacts(email)
    ids = [c.checkout_id for c in contacts]
    busy = select(Checkout.id).where(Checkout.id.in_(ids), _in_progress())
    if ids and db.session.scalar(busy.limit(1)) is not None:
        raise DeletionRefused("orders_in_progress")
    for contact in contacts:
        db.session.delete(contact)
    db.session.flush()
    return len(contacts)


def purge_guest_contacts(now: datetime, days: int) -> int:
    """Delete guest contacts older than `days` whose orders are all over; return how many."""
    cutoff = now - timedelta(days=days)
    old = (
        select(GuestContact.id)
        .join(Checkout, Checkout.id == GuestContact.checkout_id)
        .where(GuestContact.created_at < cutoff, ~_in_progress())
    )
    ids = list(db.session.scalars(old))
    if ids:
        db.session.execute(delete(GuestContact).where(GuestContact.id.in_(ids)))
    return len(ids)
