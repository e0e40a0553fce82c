"""Search logs past their retention: counted per day and query, then the rows deleted.

The daily counts (search_log_daily) keep what the office's dashboard reads (most searched
words, searches with no result) without the filters or the time of each search.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, func, select

from marketplace.extensions import db
from search.models import SearchLog, SearchLogDaily

MAX_QUERY = 200


def normalise_query(query: str) -> str:
    """The words as the dashboard groups them: lower-cased, spaces collapsed."""
    return " ".join(query.lower().split())[:MAX_QUERY]


def _day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def aggregate_search_logs(now: datetime, days: int) -> tuple[int, int]:
    """Count the searches older than `days` into search_log_daily, delete them; return (rows, days).

    Adds to a day already counted (the cutoff moves during a day), so nothing is counted twice:
    the rows counted are deleted in the same transaction.
    """
    cutoff = now - timedelta(days=days)
    top = db.session.scalar(select(func.max(SearchLog.id)).where(SearchLog.created_at < cutoff))
    if top is None:
        return 0, 0
    old = (SearchLog.created_at < cutoff, SearchLog.id <= top)
    searches: Counter[tuple[date, str]] = Counter()
    without_result: Counter[tuple[date, str]] = Counter()
    rows = db.session.execute(
        select(SearchLog.query, SearchLog.result_count, SearchLog.created_at).where(*old)
    )
    for query, result_count, created_at in rows:
        key = (_day(created_at), normalise_query(query))
        searches[key] += 1
        if result_count == 0:
            without_result[key] += 1
    days_seen = {day for day, _ in searches}
    counted = {
        (row.day, row.query): row
        for row in db.session.scalars(
            select(SearchLogDaily).where(SearchLogDaily.day.in_(days_seen))
        )
    }
    for (day, query), count in searches.items():
        row = counted.get((day, query))
        if row is None:
            row = SearchLogDaily(day=day, query=query, searches=0, without_result=0)
            db.session.add(row)
        row.searches += count
        row.without_result += without_result[(day, query)]
    db.session.flush()
    result = db.session.execute(delete(SearchLog).where(*old))
    return result.rowcount or 0, len(days_seen)  # type: ignore[attr-defined]  # a DELETE's CursorResult
