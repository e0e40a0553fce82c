"""Follow: a person follows a shop, and how far the shop's news has been told to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db
from shops.models import Shop


class Follow(db.Model):
    """A person follows a shop: its new products and reopenings reach them by email."""

    __tablename__ = "follows"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique (user_id, shop_id) index starts with it.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The shop's news up to this moment is told (or came before the follow): a digest tells
    # what happened after it, then moves it forward in the same transaction that claims it.
    news_since: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the last digest was claimed: at most one a day (the town's day) per shop.
    last_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    shop: Mapped[Shop] = relationship()

    __table_args__ = (UniqueConstraint("user_id", "shop_id", name="uq_follows_user_shop"),)

    def __repr__(self) -> str:
        return f"<Follow user={self.user_id} shop={self.shop_id}>"
