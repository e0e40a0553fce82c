"""RegisterCheck: what a national register said about a shop, and when (shown to the curator)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db

# Which register answered (`register`).
SIRENE = "sirene"
BAN = "ban"


class RegisterCheck(db.Model):
    """One answer of Sirene or of the BAN geocoder about a shop; the latest of each counts."""

    __tablename__ = "register_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    register: Mapped[str] = mapped_column(String(20))
    query: Mapped[str] = mapped_column(String(300))  # the SIRET, or the address asked about
    outcome: Mapped[str] = mapped_column(String(20))  # found, not_found, unavailable
    active: Mapped[bool | None] = mapped_column(Boolean)  # Sirene: the establishment is open
    legal_name: Mapped[str | None] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(String(300))  # as the register writes it
    naf: Mapped[str | None] = mapped_column(String(10))
    score: Mapped[float | None] = mapped_column(Float)  # BAN: confidence, 0 to 1
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
