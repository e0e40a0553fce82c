"""The ledger row state machine: planned -> sent -> succeeded | failed, and its one function.

A row is committed as planned before anything is asked of Stripe, and committed as sent just
before the call: a row found in "sent" (a timeout, a crash) may have been made at Stripe, so
it is looked up there before any retry. "failed" is final: Stripe's answer to a key is saved
and replayed, so what is still owed after a refusal is a new row with a new key.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from marketplace.db import utcnow
from marketplace.extensions import db
from payments.models import FAILED, PLANNED, SENT, SUCCEEDED, LedgerEntry

TRANSITIONS: frozenset[tuple[str, str]] = frozenset({
    (PLANNED, SENT),  # about to call Stripe with the row's key
    (PLANNED, FAILED),  # replaced before being sent (the amount owed changed): nothing at Stripe
    (SENT, SUCCEEDED),  # Stripe answered with the object, or it was found there afterwards
    (SENT, FAILED),  # Stripe refused it
})  # fmt: skip


class InvalidLedgerTransition(Exception):
    """A change the table does not allow, or one another worker made first."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"{current} -> {target}")
        self.current = current
        self.target = target


def move_entry(
    entry: LedgerEntry, target: str, *, stripe_id: str | None = None, error: str | None = None
) -> None:
    """Move `entry` to `target` if the table allows it, as a compare-and-set (flushes).

    Two workers retrying the same row cannot both send it: the second one's update finds
    the row no longer planned and raises.
    """
    current = entry.status
    if (current, target) not in TRANSITIONS:
        raise InvalidLedgerTransition(current, target)
    values = {"status": target, "updated_at": utcnow()}
    if stripe_id is not None:
        values["stripe_id"] = stripe_id
    if target in (SUCCEEDED, FAILED):
        values["error"] = error[:500] if error else None
    db.session.flush()
    changed = db.session.execute(  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult (rowcount)
        update(LedgerEntry)
        .where(LedgerEntry.id == entry.id, LedgerEntry.status == current)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.refresh(entry)
        raise InvalidLedgerTransition(entry.status, target)
    for key, value in values.items():
        set_committed_value(entry, key, value)
