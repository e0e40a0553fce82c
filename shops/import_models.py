"""CatalogueImport: one catalogue CSV on its way in, with the progress its status page shows."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db
from shops.csv_io import RowError
from shops.models import Shop

# An import's phase, in order (the status page reads them).
QUEUED = "queued"  # checked as far as the request could, waiting for a worker
CHECKING = "checking"  # the job validates every row (rows_done of rows_total)
PREPARING = "preparing"  # the job matches rows to products in memory (rows_done of rows_total)
SAVING = "saving"  # the rows are written, in one transaction
INDEXING = "indexing"  # written and committed; the search index catches up (rows_done: applied)
DONE = "done"
FAILED = "failed"  # nothing was written; `failure` and `errors` say why
RUNNING = (QUEUED, CHECKING, PREPARING, SAVING, INDEXING)

# Where each phase starts on the progress bar (percent) and how much of it its rows fill, after
# the time each took on a 20,000-row file (checking 16 %, preparing 11 %, saving 9 %, indexing 64 %).
PROGRESS_SHARES = {
    QUEUED: (0, 0),
    CHECKING: (0, 16),
    PREPARING: (16, 11),
    SAVING: (27, 0),
    INDEXING: (36, 64),
}

# Why an import failed (shown in the reader's language by the status page and the email).
ROW_ERRORS = "rows"  # rows to fix: listed in `errors`
FILE_ERROR = "file"  # the file as a whole: `file_error` holds the CsvError code
UNEXPECTED = "unexpected"  # a crash (the admin sees it on /admin/jobs)

# An import that has not moved for this long is taken as stopped: a new one may start.
STALE_AFTER = timedelta(minutes=30)


class CatalogueImport(db.Model):
    """A catalogue file imported by a job: the file until it is applied, its progress, its result."""

    __tablename__ = "catalogue_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(200), default="")
    phase: Mapped[str] = mapped_column(String(20), default=QUEUED)
    # Kept in the database, not on disk: the worker may run on another machine. Emptied once
    # the import ends. Deferred: the status page never loads it.
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    failure: Mapped[str | None] = mapped_column(String(20))
    file_error: Mapped[str | None] = mapped_column(String(40))  # CsvError code
    file_error_detail: Mapped[str] = mapped_column(String(200), default="")
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[line, column, message], ...]
    notify: Mapped[bool] = mapped_column(default=False)  # email the result (background imports)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    shop: Mapped[Shop] = relationship()
    started_by: Mapped[User | None] = relationship()

    @property
    def running(self) -> bool:
        """Still on its way (and not stopped for good: see `stalled`)."""
        return self.phase in RUNNING

    @property
    def stalled(self) -> bool:
        """Running, but nothing moved for STALE_AFTER: the worker is down or died."""
        return self.running and utcnow() - self.updated_at > STALE_AFTER

    @property
    def percent(self) -> int:
        """How far it went, for the progress bar (shares measured on a 20,000-row file)."""
        share = self.rows_done / self.rows_total if self.rows_total else 0.0
        start, width = PROGRESS_SHARES.get(self.phase, (100, 0))
        return start + int(width * min(share, 1.0))

    def row_errors(self) -> list[RowError]:
        """The listed problems of the rows (the first MAX_LISTED_ERRORS)."""
        return [
            RowError(line, column, message) for line, column, message in json.loads(self.errors)
        ]

    def set_row_errors(self, errors: list[RowError]) -> None:
        """Keep the listed problems of the rows."""
        self.errors = json.dumps(
            [[e.line, e.column, e.message] for e in errors], ensure_ascii=False
        )
