"""Search logs written in batches: one INSERT of many rows a second, not one per search.

Each search's words, filters and result count are kept in the process and written at most every
SEARCH_LOG_FLUSH_SECONDS (1 s; 0 in the tests: at each search) by the request that finds the
batch due, in a transaction of its own, outside the request's. A busy search page then costs
no write of its own; a crash may lose the last second of search logs (a statistic, never an
order, as the page views of marketplace/public/visits.py). A worker stopping writes what it holds.
"""

from __future__ import annotations

import atexit
import threading
import time

from flask import Flask
from sqlalchemy import insert, text
from sqlalchemy.exc import SQLAlchemyError

from marketplace.db import utcnow
from marketplace.extensions import db
from search.models import SearchLog


class _Batch:
    """This process's search logs not yet written."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rows: list[dict] = []
        self.flushed = time.monotonic()


def _batch_of(app: Flask) -> _Batch:
    batch = app.extensions.get("vitrine_search_logs")
    if batch is None:
        batch = app.extensions.setdefault("vitrine_search_logs", _Batch())
        atexit.register(flush_search_logs, app)
    return batch


def note_search(app: Flask, query: str, filters: str, result_count: int) -> None:
    """Keep one search's log row, and write the batch when it is due."""
    batch = _batch_of(app)
    row = {"query": query, "filters": filters, "result_count": result_count, "created_at": utcnow()}
    with batch.lock:
        batch.rows.append(row)
        due = time.monotonic() - batch.flushed >= app.config["SEARCH_LOG_FLUSH_SECONDS"]
        if due:
            batch.flushed = time.monotonic()
    if due:
        flush_search_logs(app)


def flush_search_logs(app: Flask) -> None:
    """Write the search logs kept since the last flush, in one statement."""
    batch = _batch_of(app)
    with batch.lock:
        rows, batch.rows = batch.rows, []
    if not rows:
        return
    with app.app_context():
        try:
            with db.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    # A statistic: the disk need not be waited for (as the page views).
                    conn.execute(text("SET LOCAL synchronous_commit TO OFF"))
                conn.execute(insert(SearchLog), rows)
        except SQLAlchemyError:
            app.logger.warning("%d search logs not written", len(rows), exc_info=True)
