"""Conditional UPDATEs: the database, not the request's stale copy, decides who changes a row.

A status move, a stock release, a payment or a budget taken twice at the same moment (a double
click, a webhook beside the return page, the expiry job beside a payment) must apply once: the
UPDATE repeats what the request read in its WHERE clause, and whoever changed no row lost.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import CursorResult
from sqlalchemy.sql.dml import Delete, Update

from marketplace.extensions import db


def rows_changed(statement: Update | Delete) -> int:
    """Run an UPDATE or DELETE without syncing the session; return how many rows it changed."""
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    return cast(CursorResult, result).rowcount
