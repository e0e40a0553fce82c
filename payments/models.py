"""Payment records: webhook events applied once, and the ledger of money moved per order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db
from marketplace.orders.models import Order

# Ledger entry kinds.
TRANSFER = "transfer"  # the shop's share sent to its Stripe account at collection
REVERSAL = "reversal"  # part of a transfer taken back after a refund
REFUND = "refund"  # money given back to the resident's card

# Ledger entry statuses (payments/ledger_states.py holds the transitions between them).
PLANNED = "planned"  # written and committed, not sent yet: sending it is safe
SENT = "sent"  # committed just before the call: its outcome is looked up at Stripe before any retry
SUCCEEDED = "succeeded"  # Stripe made it (stripe_id), or no money moved through Stripe
FAILED = "failed"  # Stripe refused it, or it was replaced before being sent: final, never resent


class StripeEvent(db.Model):
    """A webhook event already applied; its id as primary key makes applying twice impossible."""

    __tablename__ = "stripe_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(200), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LedgerEntry(db.Model):
    """One movement of money for an order, with the deterministic key used to make it at Stripe."""

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=PLANNED, index=True)
    # Used for one call with one set of parameters, forever: a changed amount is a new row.
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    # The one-time token of the form that asked for it: a double submit finds this row.
    request_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # For a reversal: the transfer row it takes money back from.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    stripe_id: Mapped[str | None] = mapped_column(String(255))
    reason: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    order: Mapped[Order] = relationship()
    parent: Mapped[LedgerEntry | None] = relationship(remote_side=[id])


# A dispute's outcome, as flagged on the orders of the disputed payment (DESIGN.md).
DISPUTE_OPENED = "opened"
DISPUTE_WON = "won"
DISPUTE_LOST = "lost"


class Dispute(db.Model):
    """A resident's bank contesting a payment (a chargeback), as Stripe reports it."""

    __tablename__ = "disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    stripe_dispute_id: Mapped[str] = mapped_column(String(255), unique=True)
    checkout_id: Mapped[int | None] = mapped_column(ForeignKey("checkouts.id"), index=True)
    charge_id: Mapped[str | None] = mapped_column(String(255))
    amount_cents: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(100))
    stripe_status: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(10), default=DISPUTE_OPENED)
    funds_withdrawn: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
