"""The User model and the role vocabulary."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db

# Roles, from least to most trusted.
RESIDENT = "resident"  # buys from shops
SHOPKEEPER = "shopkeeper"  # runs one or more shops
CURATOR = "curator"  # the city's economic development office
ADMIN = "admin"  # creates curators, runs maintenance
ROLES = (RESIDENT, SHOPKEEPER, CURATOR, ADMIN)


def new_session_token() -> str:
    """Return a fresh random token that identifies a user's live sessions."""
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    """A person with an account; `session_token` rotates to log out every session."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), default=RESIDENT)
    locale: Mapped[str | None] = mapped_column(String(5))
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the owner proved the address (the sign-up link, or a reset or invitation link);
    # a signed-up account cannot log in before, so nobody can take an address they do not read.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Retention (marketplace/privacy/retention.py): the last login, and when the owner of an
    # inactive account was told it will be deleted (a login clears it).
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deletion_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def get_id(self) -> str:
        # Flask-Login stores this in the session: rotating it invalidates old sessions.
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_shopkeeper(self) -> bool:
        return self.role == SHOPKEEPER

    @property
    def is_curator(self) -> bool:
        return self.role in (CURATOR, ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
