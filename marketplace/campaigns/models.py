"""Town campaigns: the campaign and its budget, opted-in shops, residents' caps, vouchers, redemptions.

The ledger identity every test checks: budget = redeemed + held + remaining + released, where
spent_cents = held + redeemed (the live redemptions) and remaining = budget - spent - released.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db

# A campaign's rule.
VOUCHER = "voucher"  # single-use codes of a face value
MATCHED = "matched"  # the town pays match_bps of an order, up to a cap per order
KINDS = (VOUCHER, MATCHED)

# A campaign's status (one transition table in campaigns/services.py).
DRAFT = "draft"  # being prepared: nothing can be redeemed
ACTIVE = "active"  # budget can be taken (within its period)
PAUSED = "paused"  # held by the office: nothing taken, live redemptions stand
CLOSED = "closed"  # over for good: what was left is released back to the town
STATUSES = (DRAFT, ACTIVE, PAUSED, CLOSED)

# A voucher's status.
VOUCHER_ISSUED = "issued"  # can be redeemed
VOUCHER_HELD = "held"  # on a live order not collected yet
VOUCHER_REDEEMED = "redeemed"  # its order was collected
VOUCHER_VOID = "void"  # cancelled by the office (or its campaign closed)

# A redemption's status.
HELD = "held"  # the order is pending, confirmed or ready: the amount is taken from the budget
REDEEMED = "redeemed"  # the order was collected: the town owes the shop
RELEASED = "released"  # the order was cancelled, expired or failed: the amount went back, once


class Campaign(db.Model):
    """A town-funded campaign: its rule, its period, its budget and what was taken from it."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=DRAFT, index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # inclusive, in the town's time
    budget_cents: Mapped[int] = mapped_column(Integer)
    # held + redeemed: taken with one conditional UPDATE (services/budget.py), never above budget.
    spent_cents: Mapped[int] = mapped_column(Integer, default=0)
    released_cents: Mapped[int] = mapped_column(Integer, default=0)  # given back at close
    resident_cap_cents: Mapped[int | None] = mapped_column(Integer)  # None: no cap
    voucher_face_cents: Mapped[int | None] = mapped_column(Integer)  # voucher kind
    match_bps: Mapped[int | None] = mapped_column(Integer)  # matched kind: 2000 = 20 %
    match_order_cap_cents: Mapped[int | None] = mapped_column(Integer)  # matched, per order
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: every category
    postcodes: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: every postcode
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    shops: Mapped[list[CampaignShop]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("budget_cents > 0", name="budget_positive"),
        CheckConstraint("spent_cents >= 0 AND released_cents >= 0", name="taken_non_negative"),
        # The database refuses an overspent budget too, whatever the code does.
        CheckConstraint("spent_cents + released_cents <= budget_cents", name="within_budget"),
        CheckConstraint("starts_on <= ends_on", name="starts_before_ends"),
    )

    @property
    def remaining_cents(self) -> int:
        """What can still be taken: budget - spent - released."""
        return self.budget_cents - self.spent_cents - self.released_cents


class CampaignShop(db.Model):
    """A shop that opted in to a campaign (from its dashboard)."""

    __tablename__ = "campaign_shops"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    shop_id: Mapped[int] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    opted_in_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    campaign: Mapped[Campaign] = relationship(back_populates="shops")


class CampaignResident(db.Model):
    """What one resident has taken from a campaign: held against the per-resident cap."""

    __tablename__ = "campaign_residents"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    spent_cents: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (CheckConstraint("spent_cents >= 0", name="spent_non_negative"),)


class VoucherBatch(db.Model):
    """Vouchers issued together: emailed to a list or printed for the town hall."""

    __tablename__ = "voucher_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    count: Mapped[int] = mapped_column(Integer)
    face_cents: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(120), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    campaign: Mapped[Campaign] = relationship()
    vouchers: Mapped[list[Voucher]] = relationship(back_populates="batch", order_by="Voucher.id")


class Voucher(db.Model):
    """A single-use code of a face value (stored without dashes, upper-case)."""

    __tablename__ = "vouchers"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("voucher_batches.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(12), unique=True)
    face_cents: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default=VOUCHER_ISSUED, index=True)
    email: Mapped[str | None] = mapped_column(String(254))  # lower-cased
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    campaign: Mapped[Campaign] = relationship()
    batch: Mapped[VoucherBatch] = relationship(back_populates="vouchers")

    __table_args__ = (CheckConstraint("face_cents > 0", name="face_positive"),)

    @property
    def display_code(self) -> str:
        """The code as printed: XXXX-XXXX-XXXX."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


class CampaignRedemption(db.Model):
    """The town's part of one order: taken from the budget, redeemed at collection or released."""

    __tablename__ = "campaign_redemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    voucher_id: Mapped[int | None] = mapped_column(ForeignKey("vouchers.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)  # the town's part of the order
    returned_cents: Mapped[int] = mapped_column(Integer, default=0)  # given back by a refund
    status: Mapped[str] = mapped_column(String(10), default=HELD, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    collected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    statement_id: Mapped[int | None] = mapped_column(Integer)  # G's FK is added by 0029

    campaign: Mapped[Campaign] = relationship()
    voucher: Mapped[Voucher | None] = relationship()

    __table_args__ = (
        UniqueConstraint("campaign_id", "order_id", name="uq_campaign_redemptions_campaign_order"),
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint(
            "returned_cents >= 0 AND returned_cents <= amount_cents", name="returned_within_amount"
        ),
    )
