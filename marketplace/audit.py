"""The audit log: an append-only record of every decision taken on a shop or product."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db


class AuditLog(db.Model):
    """Who did what to which object, when and why; never updated or deleted by the app."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_kind: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int] = mapped_column()
    reason: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[str | None] = mapped_column(Text)  # JSON {"field": [before, after]}
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


def record_action(
    actor_id: int | None,
    action: str,
    target_kind: str,
    target_id: int,
    reason: str | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditLog:
    """Add an audit row to the session (the caller's transaction commits it)."""
    entry = AuditLog(
        actor_id=actor_id,
        action=action,
        target_kind=target_kind,
        target_id=target_id,
        reason=reason,
        changes=json.dumps(changes, ensure_ascii=False, default=str) if changes else None,
    )
    db.session.add(entry)
    return entry


class AuditLogIsAppendOnly(Exception):
    """Something tried to change or delete an audit row."""


def refuse_audit_changes(session: Session, _flush_context, _instances) -> None:
    """The app may add audit rows, never change or delete one (the database refuses it too).

    A before_flush listener on every Session, installed by register_hooks in marketplace/app.py.
    """
    for obj in session.deleted:
        if isinstance(obj, AuditLog):
            raise AuditLogIsAppendOnly(f"audit row {obj.id} cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, AuditLog) and session.is_modified(obj):
            raise AuditLogIsAppendOnly(f"audit row {obj.id} cannot be changed")
