"""One fix to whoosh-reloaded 2.7.5, applied once at import (only search/ imports whoosh).

While writing postings, W3PerDocReader.doc_field_length asks the file system whether a length
column exists for every posting of an unscored field (id, kind, category...) because a missing
column is not cached: about 40 % of an index build went to stat() calls.
"""

from __future__ import annotations

from whoosh.codec import whoosh3

_MISSING = object()


def _cached_reader(self, fieldname, column):
    found = self._readers.get(fieldname, _MISSING)
    if found is _MISSING:
        found = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = found
    return found


def apply() -> None:
    """Install the patch (idempotent)."""
    whoosh3.W3PerDocReader._cached_reader = _cached_reader


apply()
