"""Buying without an account: a guest's contact on the checkout, and its orders joining an account.

A guest's orders join an account only on proof: the checkouts this browser placed itself (its
session holds them), or every guest order of an email once a link mailed to that address was
opened (the signed order link proves the mailbox). Typing someone else's email proves nothing,
so it claims nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.accounts.services import normalize_email
from marketplace.extensions import db
from marketplace.orders.models import Checkout, GuestContact


@dataclass(frozen=True)
class GuestDetails:
    """What a guest gives at checkout: an email, a French phone (national digits), maybe a name."""

    email: str
    phone: str
    name: str = ""
    locale: str | None = None

    def contact(self) -> GuestContact:
        """A new contact row holding these details (the caller attaches it to a checkout)."""
        return GuestContact(
            email=normalize_email(self.email),
            phone=self.phone,
            name=self.name.strip(),
            locale=self.locale,
        )


def claim_guest_orders(
    user: User, checkout_ids: Iterable[int], proven_email: str | None = None
) -> list[Checkout]:
    """Make `user`'s the guest checkouts with the account's email that the caller has proof of.

    `checkout_ids` are checkouts this browser placed; `proven_email` an address whose mailbox
    was proven (then every guest checkout with it is claimed). The contact rows are deleted:
    the account is the contact from now on. Returns the checkouts claimed.
    """
    email = normalize_email(user.email)
    wanted = (
        select(Checkout)
        .join(Checkout.guest)
        .where(Checkout.customer_id.is_(None), GuestContact.email == email)
    )
    if not (proven_email and normalize_email(proven_email) == email):
        ids = list(checkout_ids)
        if not ids:
            return []
        wanted = wanted.where(Checkout.id.in_(ids))
    claimed = list(db.session.scalars(wanted.order_by(Checkout.id)))
    for checkout in claimed:
        checkout.customer_id = user.id
        for order in checkout.orders:
            order.customer_id = user.id
        checkout.guest = None  # delete-orphan: the contact row goes
    db.session.flush()
    return claimed
