"""Files that follow the database transaction: a new file lives only if its row is committed.

An upload is written to disk before the row that names it is committed; a form refused after
that point (a later photo invalid, one photo too many, a duplicate SKU, a failed commit) must
not leave the file behind. Likewise a replaced photo is removed only once the change that
drops it is committed, so a rolled-back change never leaves a row naming a missing file.
Anything a crash leaves between the two is swept by `flask uploads prune` (uploads_sweep.py).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, SessionTransaction

from marketplace.extensions import db

_NEW = "vitrine.files_written"  # removed unless the transaction commits
_DOOMED = "vitrine.files_replaced"  # removed once the transaction commits


def keep_if_committed(*paths: Path) -> None:
    """Remove these freshly written files unless the current transaction commits."""
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that its end, commit or not, settles the files' fate
    session.info.setdefault(_NEW, []).extend(paths)


def remove_after_commit(*paths: Path) -> None:
    """Remove these files once the current transaction commits (kept if it rolls back)."""
    db.session().info.setdefault(_DOOMED, []).extend(paths)


def settle_after_commit(session: Session) -> None:
    """After a commit: the new files are kept and the replaced ones removed."""
    session.info.pop(_NEW, None)
    _unlink(session.info.pop(_DOOMED, []))


def settle_after_transaction(session: Session, transaction: SessionTransaction) -> None:
    """When the outer transaction ends without a commit: remove what it wrote, keep the rest."""
    if transaction.parent is not None:  # a savepoint: the outer transaction decides
        return
    _unlink(session.info.pop(_NEW, []))
    session.info.pop(_DOOMED, None)


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        Path(path).unlink(missing_ok=True)
