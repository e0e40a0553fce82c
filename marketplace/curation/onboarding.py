"""Bulk onboarding by the office: the town's shops CSV uploaded, previewed (a dry run that writes
no shop, account or email), then imported once by the curator who confirms it.

The lines are read and checked by shops.csv_shops, the code path of `flask shops import-shops`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import LazyString, format_number
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from marketplace.accounts.models import User
from marketplace.curation.models import EXPIRED, IMPORTED, PREVIEWED, ShopImport
from marketplace.db import utcnow
from marketplace.extensions import db
from shops.csv_io import CsvError
from shops.csv_shops import ShopCheck, ShopImportReport, apply_shops, check_shops
from shops.import_messages import CSV_MESSAGES

# What the page says of a file it cannot read (shops, not the catalogue's products).
FILE_MESSAGES = {
    **CSV_MESSAGES,
    "no_rows": _l("This file has a header but no shops."),
    "too_many_rows": _l(
        "This file has more than %(detail)s shops. Split it into several files and import them"
        " one after the other."
    ),
}


class FileRefused(Exception):
    """The file as a whole cannot be read as a list of shops."""

    def __init__(self, error: CsvError) -> None:
        super().__init__(error.code)
        self.error = error


class AlreadyImported(Exception):
    """The file was imported already (a second click, or another curator)."""


def _file_text(code: str, detail: str) -> str:
    if code == "too_many_rows" and detail.isdigit():
        detail = format_number(int(detail))
    return str(FILE_MESSAGES.get(code, FILE_MESSAGES["malformed"])) % {"detail": detail}


def file_message(error: CsvError) -> LazyString:
    """The message, in the reader's language, for a file that cannot be read."""
    return LazyString(_file_text, error.code, error.detail)


def start_preview(
    curator: User, filename: str, data: bytes, publish: bool, max_rows: int
) -> ShopImport:
    """Keep an uploaded file for its preview and import (flushed); FileRefused if unreadable."""
    check = check_shops(data, max_rows)
    if check.file_error is not None:
        raise FileRefused(check.file_error)
    record = ShopImport(
        started_by=curator,
        filename=filename[:200],
        publish=publish,
        data=data,
        lines=len(check.lines),
    )
    db.session.add(record)
    db.session.flush()
    return record


def preview(record: ShopImport) -> ShopCheck:
    """Check the kept file against the shops and accounts as they are now; writes nothing.

    Checked at each showing rather than stored, so that the problems read in the language of
    whoever opens the page.
    """
    return check_shops(record.data or b"")


def import_previewed(record: ShopImport, curator: User) -> ShopImportReport:
    """Import a previewed file once, leaving out the lines with problems (flushed).

    Returns what it did, to queue (import_registers.queue_after_import) after the commit.
    Raises AlreadyImported when the file was imported before: the status is claimed with one
    conditional UPDATE, so that two confirmations (a double click, two curators) import it once.
    """
    claimed = db.session.execute(
        update(ShopImport)
        .where(ShopImport.id == record.id, ShopImport.status == PREVIEWED)
        .values(status=IMPORTED, imported_by_id=curator.id, imported_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's result has a rowcount
        raise AlreadyImported()
    db.session.refresh(record)
    report = apply_shops(check_shops(record.data or b""), record.publish, curator.id, True)
    if report.file_error is not None:  # read at the upload; refused here only if the code changed
        raise FileRefused(report.file_error)
    record.created, record.updated, record.skipped = report.created, report.updated, report.skipped
    record.invited = len(report.invited)
    record.data = None  # the owners' emails are in their accounts now; the file goes
    db.session.flush()
    return report


def recent_imports(limit: int = 10) -> list[ShopImport]:
    """The latest files sent, newest first."""
    query = select(ShopImport).order_by(ShopImport.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def erase_unimported_files(now: datetime, days: int) -> int:
    """Erase the files previewed `days` ago or more and never imported; return how many (flushed).

    They hold the owners' names and emails, kept only for the import the curator did not
    confirm. The claim is the same conditional UPDATE as the import's, so a file is either
    imported or erased, never both.
    """
    erased = db.session.execute(
        update(ShopImport)
        .where(ShopImport.status == PREVIEWED, ShopImport.created_at < now - timedelta(days=days))
        .values(status=EXPIRED, data=None)
        .execution_options(synchronize_session=False)
    )
    return erased.rowcount  # type: ignore[attr-defined]  # an UPDATE's result has a rowcount
