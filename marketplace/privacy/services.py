"""A resident's personal data: export all of it as JSON; delete the account, keeping orders anonymous.

Orders stay (the shops' accounting needs them) but lose every link to the person: the customer
is set to NULL on orders and checkouts, the account row keeps only its id and the deletion date.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from werkzeug.security import check_password_hash

from marketplace.accounts.models import User, new_session_token
from marketplace.audit import AuditLog
from marketplace.campaigns.personal_data import campaign_data, forget_resident
from marketplace.cart.models import CartItem
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.follows.models import Follow
from marketplace.orders.models import Checkout, Order, OrderEvent
from shops.models import Shop

IN_PROGRESS = ("pending_payment", "confirmed", "ready")


class DeletionRefused(Exception):
    """The account cannot be deleted now; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def order_data(order: Order) -> dict:
    """One order as exported: shop, status, dates, amounts, lines and history."""
    return {
        "id": order.id,
        "shop": order.shop.name,
        "status": order.status,
        "created_at": _iso(order.created_at),
        "pickup_starts_at": _iso(order.pickup_starts_at),
        "pickup_ends_at": _iso(order.pickup_ends_at),
        "total_cents": order.total_cents,
        "refunded_cents": order.refunded_cents,
        "lines": [
            {
                "name": line.name,
                "unit_price_cents": line.unit_price_cents,
                "quantity": line.quantity,
            }
            for line in order.lines
        ],
        "history": [
            {"status": e.to_status, "at": _iso(e.created_at), "reason": e.reason}
            for e in order.events
        ],
    }


def export_personal_data(user: User) -> dict:
    """Everything Vitrine stores about `user`, as plain JSON-ready data."""
    orders = db.session.scalars(
        select(Order).where(Order.customer_id == user.id).order_by(Order.id)
    )
    cart = db.session.scalars(
        select(CartItem).where(CartItem.user_id == user.id).order_by(CartItem.id)
    )
    shops = db.session.scalars(select(Shop).where(Shop.owner_id == user.id).order_by(Shop.id))
    follows = db.session.scalars(
        select(Follow).where(Follow.user_id == user.id).order_by(Follow.id)
    )
    actions = db.session.scalars(
        select(AuditLog).where(AuditLog.actor_id == user.id).order_by(AuditLog.id)
    )
    return {
        "account": {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "role": user.role,
            "locale": user.locale,
            "created_at": _iso(user.created_at),
        },
        "orders": [order_data(o) for o in orders],
        "cart": [{"product_id": c.product_id, "quantity": c.quantity} for c in cart],
        "shops": [{"id": s.id, "name": s.name, "status": s.status} for s in shops],
        "follows": [
            {
                "shop": f.shop.name,
                "since": _iso(f.created_at),
                "last_news_at": _iso(f.last_notified_at),
            }
            for f in follows
        ],
        "actions": [
            {
                "action": a.action,
                "target": f"{a.target_kind}#{a.target_id}",
                "at": _iso(a.created_at),
            }
            for a in actions
        ],
        "campaigns": campaign_data(user),
        "exported_at": _iso(utcnow()),
    }


def deletion_refusal(user: User) -> str | None:
    """Why `user`'s account cannot be deleted now (a DeletionRefused code), or None."""
    if user.is_curator:
        return "staff"
    if db.session.scalar(select(Shop.id).where(Shop.owner_id == user.id).limit(1)) is not None:
        return "owns_shop"
    active = select(Order.id).where(Order.customer_id == user.id, Order.status.in_(IN_PROGRESS))
    if db.session.scalar(active.limit(1)) is not None:
        return "orders_in_progress"
    return None


def delete_account(user: User, password: str) -> None:
    """Delete the account after checking the password; anonymise its orders (raises DeletionRefused)."""
    if not user.password_hash or not check_password_hash(user.password_hash, password):
        raise DeletionRefused("wrong_password")
    refusal = deletion_refusal(user)
    if refusal is not None:
        raise DeletionRefused(refusal)
    erase_account(user, utcnow())


def erase_account(user: User, now: datetime) -> None:
    """Erase the person from the account and cut their orders off it (checks already made)."""
    db.session.execute(update(Order).where(Order.customer_id == user.id).values(customer_id=None))
    db.session.execute(
        update(Checkout).where(Checkout.customer_id == user.id).values(customer_id=None)
    )
    db.session.execute(
        update(OrderEvent).where(OrderEvent.actor_id == user.id).values(actor_id=None)
    )
    db.session.execute(delete(CartItem).where(CartItem.user_id == user.id))
    db.session.execute(delete(Follow).where(Follow.user_id == user.id))
    forget_resident(user)  # before the address below is replaced: it finds emailed vouchers
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.name = ""
    user.password_hash = None
    user.locale = None
    user.session_token = new_session_token()
    user.last_seen_at = None
    user.deletion_warned_at = None
    user.deleted_at = now
