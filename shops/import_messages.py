"""What the import pages and emails say, in the reader's language (lazy: rendered where read)."""

from __future__ import annotations

from flask_babel import LazyString, format_number
from flask_babel import lazy_gettext as _l

from shops.csv_io import CsvError
from shops.import_models import (
    CHECKING,
    FILE_ERROR,
    INDEXING,
    PREPARING,
    QUEUED,
    ROW_ERRORS,
    SAVING,
    CatalogueImport,
)

CSV_MESSAGES = {
    "binary": _l("This file is not a CSV file."),
    "encoding": _l("This file's characters cannot be read. Save it as 'CSV UTF-8'."),
    "empty": _l("This file is empty."),
    "no_rows": _l("This file has a header but no products."),
    "missing_columns": _l("Columns missing from the first line: %(detail)s."),
    "malformed": _l("This file is not valid CSV (%(detail)s)."),
    "too_large": _l("This file is too large."),
    "too_many_rows": _l(
        "This file has more than %(detail)s products. Split it into several files and import"
        " them one after the other."
    ),
}

PHASES = {
    QUEUED: _l("Waiting for its turn…"),
    CHECKING: _l("Checking the rows…"),
    PREPARING: _l("Matching the rows with your products…"),
    SAVING: _l("Saving the products…"),
    INDEXING: _l("Updating the search so that residents find the products…"),
}

UNEXPECTED_FAILURE = _l(
    "The import stopped on an unexpected error. Nothing was imported: send the file again, and"
    " tell the town's office if it happens again."
)


def _file_message(code: str, detail: str) -> str:
    if code == "too_many_rows" and detail.isdigit():
        detail = format_number(int(detail))
    return str(CSV_MESSAGES[code]) % {"detail": detail}


def file_error_message(error: CsvError) -> LazyString:
    """The message for a file that cannot be read as a catalogue."""
    return LazyString(_file_message, error.code, error.detail)


def failure_message(record: CatalogueImport) -> LazyString | None:
    """Why a failed import did nothing (None unless it failed)."""
    if record.failure is None:
        return None
    if record.failure == FILE_ERROR and record.file_error in CSV_MESSAGES:
        return LazyString(_file_message, record.file_error, record.file_error_detail)
    if record.failure == ROW_ERRORS:
        return _l(
            "Nothing was imported: %(n)s problem(s) to fix in the file.", n=record.error_count
        )
    return UNEXPECTED_FAILURE
