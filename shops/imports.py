"""Catalogue imports: checked in the request as far as its time allows, applied at once when
small, else recorded for a job (shops/import_jobs.py) that reports its progress as it goes.

All or nothing: every row is checked before any is written, and the rows are written in one
transaction, so a refused or failed import leaves the catalogue as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from marketplace.db import utcnow
from marketplace.extensions import db
from shops.csv_io import CsvError
from shops.csv_products import (
    ALIASES,
    REQUIRED,
    ImportReport,
    apply_products,
    check_products,
    open_table,
)
from shops.import_models import (
    CHECKING,
    DONE,
    FAILED,
    FILE_ERROR,
    INDEXING,
    PREPARING,
    ROW_ERRORS,
    RUNNING,
    SAVING,
    UNEXPECTED,
    CatalogueImport,
)
from shops.models import Shop


@dataclass(frozen=True)
class ImportLimits:
    """How much of an import a request may do (IMPORT_* settings)."""

    max_rows: int  # a bigger file is refused with a message
    check_seconds: float  # rows checked in the request; the job checks the rest
    inline_rows: int  # a file this small is imported by the request itself

    @classmethod
    def from_config(cls, config) -> ImportLimits:
        """Read the limits from the app's configuration."""
        return cls(
            config["IMPORT_MAX_ROWS"], config["IMPORT_CHECK_SECONDS"], config["IMPORT_INLINE_ROWS"]
        )


class ImportBusy(Exception):
    """Another import of this shop's catalogue is still running."""

    def __init__(self, running: CatalogueImport) -> None:
        super().__init__(running.id)
        self.running = running


class ImportRefused(Exception):
    """The file cannot be imported: its report says why (the file, or rows to fix)."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.file_error or report.error_count)
        self.report = report


def running_import(shop: Shop) -> CatalogueImport | None:
    """The shop's import still on its way, if any (one that stalled does not count)."""
    query = (
        select(CatalogueImport)
        .where(CatalogueImport.shop_id == shop.id, CatalogueImport.phase.in_(RUNNING))
        .order_by(CatalogueImport.id.desc())
    )
    return next((i for i in db.session.scalars(query) if not i.stalled), None)


def start_import(
    shop: Shop, user, filename: str, data: bytes, limits: ImportLimits
) -> tuple[CatalogueImport, bool]:
    """Check the file, then import it now if small, else record it for the job (flushed).

    Returns the import and whether the job must still run it. Raises ImportBusy while another
    import of the shop runs, and ImportRefused for a file that cannot be read, has too many rows
    or has rows to fix (those checked before `limits.check_seconds` ran out).
    """
    running = running_import(shop)
    if running is not None:
        raise ImportBusy(running)
    report = ImportReport()
    try:
        stream = open_table(data, ALIASES, REQUIRED)
        deadline = time.monotonic() + limits.check_seconds
        checked = check_products(stream, report, limits.max_rows, deadline, limits.inline_rows)
    except CsvError as error:
        report.file_error = error
    if not report.ok:
        raise ImportRefused(report)
    record = CatalogueImport(
        shop=shop, started_by=user, filename=filename[:200], rows_total=checked.rows
    )
    db.session.add(record)
    if checked.complete and checked.values is not None:
        apply_products(shop, checked.values, report)
        _set_result(record, report, DONE)
        db.session.flush()
        return record, False
    record.data, record.notify = data, True
    db.session.flush()
    return record, True


def import_recorded(record: CatalogueImport, progress: ProgressLog) -> None:
    """Check every row of a recorded import, then write them all (flushed, not committed).

    Raises ImportRefused with the rows to fix; on success the import is at INDEXING.
    """
    report = ImportReport()
    checked = None
    try:
        stream = open_table(record.data or b"", ALIASES, REQUIRED)
        progress.start(CHECKING)
        checked = check_products(stream, report, progress=progress.rows)
    except CsvError as error:
        report.file_error = error
    if not report.ok or checked is None or checked.values is None:
        raise ImportRefused(report)
    progress.start(PREPARING)
    apply_products(record.shop, checked.values, report, progress=progress.rows)
    progress.start(SAVING)
    db.session.flush()  # no write before this line: the progress rows above never wait on it
    _set_result(record, report, INDEXING)
    db.session.flush()


def finish_import(record: CatalogueImport) -> None:
    """Mark an import whose rows are committed and indexed as done."""
    record.phase, record.finished_at = DONE, utcnow()


def fail_import(record: CatalogueImport, report: ImportReport | None) -> None:
    """Mark an import as failed: why (from the report; None for a crash), and drop its file."""
    record.phase, record.finished_at, record.data = FAILED, utcnow(), None
    if report is None:
        record.failure = UNEXPECTED
    elif report.file_error is not None:
        record.failure = FILE_ERROR
        record.file_error = report.file_error.code
        record.file_error_detail = report.file_error.detail[:200]
    else:
        record.failure = ROW_ERRORS
        record.error_count = report.error_count
        record.set_row_errors(report.errors)


def _set_result(record: CatalogueImport, report: ImportReport, phase: str) -> None:
    record.phase, record.data = phase, None
    record.rows_done = 0 if phase == INDEXING else record.rows_total  # INDEXING: its own rows
    record.created, record.updated, record.unchanged = (
        report.created,
        report.updated,
        report.unchanged,
    )
    if phase == DONE:
        record.finished_at = utcnow()


class ProgressLog:
    """Writes an import's phase and rows done in short transactions of their own, so that the
    status page sees them while the job's own transaction is open.

    Writes stop before the rows are written (SAVING): on SQLite the rows' transaction holds the
    one write lock, and a progress write would wait for it.
    """

    EVERY = 1000  # rows between two writes

    def __init__(self, import_id: int) -> None:
        self.import_id = import_id
        self.written = 0

    def start(self, phase: str) -> None:
        """Record that the import entered `phase`, with no row of it done yet."""
        self.written = 0
        self._write(phase=phase, rows_done=0)

    def rows(self, done: int) -> None:
        """Record `done` rows of the current phase, every EVERY rows."""
        if done - self.written >= self.EVERY:
            self.written = done
            self._write(rows_done=done)

    def _write(self, **values) -> None:
        with Session(db.engine) as session, session.begin():
            session.execute(
                update(CatalogueImport)
                .where(CatalogueImport.id == self.import_id)
                .values(updated_at=utcnow(), **values)
            )
