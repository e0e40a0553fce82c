"""Checkout, Order, OrderLine and OrderEvent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db
from shops.models import Product, Shop

# Payment methods of a checkout.
ONLINE = "online"  # paid by card through Stripe before the shop prepares
AT_PICKUP = "at_pickup"  # paid at the counter when collecting

# Checkout statuses: the payment of the whole cart.
CHECKOUT_OPEN = "open"  # waiting for payment (online)
CHECKOUT_COMPLETED = "completed"  # paid, or accepted for payment at pickup
CHECKOUT_EXPIRED = "expired"  # not paid in time; stock returned
CHECKOUT_FAILED = "failed"  # payment refused; stock returned


class Checkout(db.Model):
    """One payment for a whole cart; it holds one order per shop."""

    __tablename__ = "checkouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    total_cents: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=CHECKOUT_OPEN, index=True)
    stripe_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(255), index=True)
    stripe_charge_id: Mapped[str | None] = mapped_column(String(255))
    stripe_fee_cents: Mapped[int | None] = mapped_column(Integer)  # Stripe's processing fee
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # When the resident gave it up before paying: "My orders" leaves such checkouts out.
    abandoned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The one-time token of the checkout form that placed it: one checkout per form submitted.
    form_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # A mixed cart (some shops paid online, others at the counter) makes two checkouts from one
    # form: the online one points at its counter part, which stands whatever the payment does.
    counter_part_id: Mapped[int | None] = mapped_column(ForeignKey("checkouts.id"), unique=True)

    customer: Mapped[User | None] = relationship()
    orders: Mapped[list[Order]] = relationship(back_populates="checkout", order_by="Order.id")
    # How to reach a buyer who checked out without an account (None for account holders).
    guest: Mapped[GuestContact | None] = relationship(
        back_populates="checkout", cascade="all, delete-orphan"
    )
    counter_part: Mapped[Checkout | None] = relationship(
        remote_side="Checkout.id", back_populates="online_part"
    )
    online_part: Mapped[Checkout | None] = relationship(back_populates="counter_part")

    __table_args__ = (CheckConstraint("total_cents >= 0", name="total_non_negative"),)

    @property
    def buyer(self) -> Buyer | None:
        """Who bought it: the account, else the guest's contact (None once erased or deleted)."""
        customer = self.customer
        if customer is not None and customer.deleted_at is None:
            return Buyer(customer.name, customer.email, "", customer.locale, is_guest=False)
        guest = self.guest
        if guest is not None:
            return Buyer(guest.name, guest.email, guest.phone, guest.locale, is_guest=True)
        return None

    @property
    def awaits_payment(self) -> bool:
        """Still open for an online payment: not paid, expired or failed yet."""
        return self.status == CHECKOUT_OPEN and self.paid_at is None

    @property
    def counter_orders(self) -> list[Order]:
        """The orders placed with this one to be paid at the counter (a mixed cart's other part)."""
        if self.method == AT_PICKUP:
            return list(self.orders)
        return list(self.counter_part.orders) if self.counter_part is not None else []


class Order(db.Model):
    """One shop's part of a checkout, collected in store during a pickup slot."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkouts.id"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    pickup_starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    pickup_ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    pickup_code: Mapped[str] = mapped_column(String(12))
    total_cents: Mapped[int] = mapped_column(Integer)
    refunded_cents: Mapped[int] = mapped_column(Integer, default=0)
    transfer_id: Mapped[str | None] = mapped_column(String(255))
    stock_released: Mapped[bool] = mapped_column(Boolean, default=False)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A dispute on the payment (opened | won | lost): a flag, not a status (payments/disputes.py).
    dispute_status: Mapped[str | None] = mapped_column(String(10))
    disputed_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    checkout: Mapped[Checkout] = relationship(back_populates="orders")
    shop: Mapped[Shop] = relationship()
    customer: Mapped[User | None] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderEvent.id"
    )

    __table_args__ = (
        CheckConstraint("total_cents >= 0", name="total_non_negative"),
        CheckConstraint(
            "refunded_cents >= 0 AND refunded_cents <= total_cents", name="refund_range"
        ),
    )

    @property
    def buyer(self) -> Buyer | None:
        """Who bought it (its checkout's buyer)."""
        return self.checkout.buyer

    @property
    def display_code(self) -> str:
        """The pickup code as read aloud at the counter: ABC-123."""
        return f"{self.pickup_code[:3]}-{self.pickup_code[3:]}"


@dataclass(frozen=True)
class Buyer:
    """Whom an order's emails go to and whom the shop may call: an account or a guest."""

    name: str
    email: str
    phone: str  # national digits, 0612345678 (guests only; accounts have none)
    locale: str | None
    is_guest: bool

    @property
    def phone_display(self) -> str:
        """The phone as French people write it: 06 12 34 56 78."""
        return " ".join(self.phone[i : i + 2] for i in range(0, len(self.phone), 2))


class GuestContact(db.Model):
    """A guest's contact for one checkout; erased on request or after the retention period."""

    __tablename__ = "guest_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(
        ForeignKey("checkouts.id", ondelete="CASCADE"), unique=True
    )
    email: Mapped[str] = mapped_column(String(254), index=True)  # lower-cased
    phone: Mapped[str] = mapped_column(String(20))  # national digits: 0612345678
    name: Mapped[str] = mapped_column(String(120), default="")
    locale: Mapped[str | None] = mapped_column(String(5))  # the language of its emails
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    checkout: Mapped[Checkout] = relationship(back_populates="guest")


class OrderLine(db.Model):
    """A product bought, with its name and unit price as they were at checkout."""

    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product | None] = relationship()

    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    @property
    def total_cents(self) -> int:
        return self.unit_price_cents * self.quantity


class OrderEvent(db.Model):
    """One step of an order's history: who moved it from which status to which, and why."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    order: Mapped[Order] = relationship(back_populates="events")


def with_lines_and_buyer() -> tuple:
    """Loader options for lists of orders that show their lines and buyer (board, counter,
    tickets): one query per relation for the whole list instead of a few per order."""
    from sqlalchemy.orm import selectinload

    checkout = selectinload(Order.checkout)
    return (
        selectinload(Order.lines),
        checkout.selectinload(Checkout.customer),
        checkout.selectinload(Checkout.guest),
    )
