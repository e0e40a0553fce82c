"""Reading the audit log: search, pages and the CSV export (the log itself is append-only)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import Select, func, or_, select

from marketplace.accounts.models import RESIDENT, User
from marketplace.audit import AuditLog
from marketplace.curation.audit_labels import audit_field_label, audit_value_label
from marketplace.extensions import db
from shops.csv_io import write_csv

PER_PAGE = 50
CSV_COLUMNS = (
    "id",
    "created_at",
    "actor",
    "action",
    "target_kind",
    "target_id",
    "reason",
    "changes",
)


@dataclass(frozen=True)
class AuditFilters:
    """What the curator searches for in the log."""

    q: str = ""
    action: str = ""
    target_kind: str = ""
    target_id: int | None = None
    start: datetime | None = None  # UTC, inclusive
    end: datetime | None = None  # UTC, exclusive


def _query(filters: AuditFilters) -> Select:
    query = select(AuditLog, User).outerjoin(User, User.id == AuditLog.actor_id)
    if filters.q:
        like = f"%{filters.q.lower()}%"
        query = query.where(
            or_(
                func.lower(AuditLog.reason).like(like),
                func.lower(AuditLog.changes).like(like),
                func.lower(AuditLog.action).like(like),
                func.lower(User.name).like(like),
            )
        )
    if filters.action:
        query = query.where(AuditLog.action.like(f"{filters.action}%"))
    if filters.target_kind:
        query = query.where(AuditLog.target_kind == filters.target_kind)
    if filters.target_id is not None:
        query = query.where(AuditLog.target_id == filters.target_id)
    if filters.start:
        query = query.where(AuditLog.created_at >= filters.start)
    if filters.end:
        query = query.where(AuditLog.created_at < filters.end)
    return query.order_by(AuditLog.created_at.desc(), AuditLog.id.desc())


def actor_label(user: User | None) -> str:
    """Who acted: staff and shopkeepers by name; never a resident's name (personal data)."""
    if user is None:
        return gettext("Vitrine (automatic)")
    if user.role == RESIDENT or user.deleted_at is not None:
        return gettext("User #%(id)s", id=user.id)
    return user.name


def search_audit(filters: AuditFilters, page: int = 1) -> tuple[list[tuple[AuditLog, str]], int]:
    """One page of matching entries (newest first) with the actor's label, and the total."""
    query = _query(filters)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return [(entry, actor_label(user)) for entry, user in rows], total


def audit_csv(filters: AuditFilters) -> str:
    """Every matching entry as CSV (UTC ISO times, changes as JSON)."""
    rows = (
        [
            entry.id,
            entry.created_at.isoformat(),
            actor_label(user),
            entry.action,
            entry.target_kind,
            entry.target_id,
            entry.reason or "",  # typed by people: write_csv keeps formulas out
            entry.changes or "",
        ]
        for entry, user in db.session.execute(_query(filters))
    )
    return write_csv(CSV_COLUMNS, rows)


def parsed_changes(entry: AuditLog) -> dict:
    """The entry's {field: [before, after]}, or {}."""
    return json.loads(entry.changes) if entry.changes else {}


def change_rows(entry: AuditLog) -> list[tuple[str, object, object]]:
    """The entry's changes as (what, before, after) rows.

    Decisions store {field: [before, after]}; agent mode stores one more level,
    {"shop#3": {field: [before, after]}}, which read as a pair showed nothing.
    """
    rows: list[tuple[str, object, object]] = []
    for name, value in parsed_changes(entry).items():
        if isinstance(value, dict):
            obj = audit_field_label(name)
            rows.extend(
                (f"{obj} · {audit_field_label(field)}", *_pair(field, pair))
                for field, pair in value.items()
            )
        else:
            rows.append((audit_field_label(name), *_pair(name, value)))
    return rows


def _pair(name: str, value) -> tuple[object, object]:
    if isinstance(value, list | tuple) and len(value) == 2:
        return audit_value_label(name, value[0]), audit_value_label(name, value[1])
    return None, audit_value_label(name, value)
