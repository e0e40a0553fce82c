"""Campaign statements: what the town owes one shop for one campaign and one month, frozen at issue.

A statement copies everything it shows (the parties' legal details, each order's amounts) so that
a later change to a shop, an order or a redemption never alters an issued one: such a change
reaches the next statement as an adjustment line.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db

# A statement line's kind.
ORDER_LINE = "order"  # a redemption collected in the statement's month
ADJUSTMENT = "adjustment"  # a change (a refund) to a redemption paid on an earlier statement


class StatementIsFrozen(Exception):
    """Something tried to change or delete an issued statement or one of its lines."""


class CampaignStatement(db.Model):
    """One shop's month of one campaign, as issued to the town's treasury."""

    __tablename__ = "campaign_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    total_cents: Mapped[int] = mapped_column(Integer)
    order_count: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The parties as they stood at issue (the payer, then the payee).
    campaign_name: Mapped[str] = mapped_column(String(120))
    town_name: Mapped[str] = mapped_column(String(200))
    town_siret: Mapped[str] = mapped_column(String(14))
    town_address: Mapped[str] = mapped_column(String(300))
    shop_name: Mapped[str] = mapped_column(String(300))  # the legal name when Sirene gave one
    shop_siret: Mapped[str] = mapped_column(String(14))
    shop_address: Mapped[str] = mapped_column(String(300))

    lines: Mapped[list[CampaignStatementLine]] = relationship(
        back_populates="statement", order_by="CampaignStatementLine.id"
    )

    __table_args__ = (
        UniqueConstraint("campaign_id", "shop_id", "month", name="uq_campaign_statements_month"),
    )


class CampaignStatementLine(db.Model):
    """One order on a statement (or an adjustment to one paid before), amounts copied at issue."""

    __tablename__ = "campaign_statement_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("campaign_statements.id"), index=True)
    redemption_id: Mapped[int] = mapped_column(ForeignKey("campaign_redemptions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    order_id: Mapped[int] = mapped_column(Integer)  # a copy: the order row may be purged later
    collected_at: Mapped[datetime] = mapped_column(UTCDateTime())
    order_total_cents: Mapped[int] = mapped_column(Integer)
    town_cents: Mapped[int] = mapped_column(Integer)  # the town's part when collected
    returned_cents: Mapped[int] = mapped_column(Integer)  # given back by refunds, as of issue
    # What this line adds to the statement: town - returned, less what earlier lines paid.
    owed_cents: Mapped[int] = mapped_column(Integer)

    statement: Mapped[CampaignStatement] = relationship(back_populates="lines")


def refuse_statement_changes(session: Session, _flush_context, _instances) -> None:
    """An issued statement and its lines are never changed or deleted: a correction is a line
    on a later statement. A before_flush listener installed by register_hooks (marketplace/app.py).
    """
    frozen = (CampaignStatement, CampaignStatementLine)
    for obj in session.deleted:
        if isinstance(obj, frozen):
            raise StatementIsFrozen(f"{type(obj).__name__} {obj.id} cannot be deleted")
    for obj in session.dirty:
        # A new line added to a statement's collection marks it dirty without changing it.
        if isinstance(obj, frozen) and session.is_modified(obj, include_collections=False):
            raise StatementIsFrozen(f"{type(obj).__name__} {obj.id} cannot be changed")
