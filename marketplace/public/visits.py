"""Counting visits to shop and product pages, and the searches that led there, without personal data.

A visit adds one to a daily counter (shop, product or 0, local day): no address, cookie, session
or user is kept. Robots are left out by a simple rule on the User-Agent header, and so are
prefetches and the shop's owner looking at their own pages. A visit whose Referer is one of our search pages (the town search, a shop's own
search box) also adds one to (page, day, words searched): the words are those of the referring
address, which the browser sends to our own pages (Referrer-Policy strict-origin-when-cross-origin).

Visits are tallied in the process and written at most every VISIT_FLUSH_SECONDS (1 s; 0 in the
tests: at each visit) by the request that finds the tally due, one upsert per page, day and
search, on an autocommit connection outside any request's transaction. A popular page under
load costs one upsert a second instead of one per view, all queued on the same counter row; a
crash may lose the last second of counts (a statistic, as the search logs).
"""

from __future__ import annotations

import atexit
import re
import threading
import time
from datetime import date
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from flask import Request, current_app, url_for
from sqlalchemy import Insert, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from marketplace.curation.dashboard import plausible_search
from marketplace.db import utcnow
from marketplace.public.stamps import autocommit_engine
from marketplace.sales.models import MAX_QUERY, SHOP_PAGE, PageView, SearchReferral
from search.service import printable
from shops.models import Shop

# Crawlers, link previews, monitors and scripts name themselves; a browser never sends these words.
BOT_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|preview|monitor|check|scan|"
    r"curl|wget|python|java/|go-http|okhttp|axios|node-fetch|libwww|httpclient|headless|lighthouse",
    re.IGNORECASE,
)
SHOP_SEARCH = re.compile(r"^/shops/[^/]+$")  # a shop's page, searched through its own box


def is_robot(request: Request) -> bool:
    """A crawler, a script or a prefetch, by its headers: not a resident looking at the page."""
    agent = request.user_agent.string or ""
    prefetch = "prefetch" in (
        request.headers.get("Sec-Purpose") or request.headers.get("Purpose") or ""
    )
    return not agent.strip() or prefetch or BOT_AGENT.search(agent) is not None


def referring_search(request: Request) -> str | None:
    """The words of the search page of ours that linked to this page, if it came from one."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    if referrer.path != url_for("search.page") and not SHOP_SEARCH.match(referrer.path):
        return None
    words = parse_qs(referrer.query).get("q", [""])[0]
    query = " ".join(printable(words).lower().split())[:MAX_QUERY]
    return query if plausible_search(query) else None


def _upsert(
    model, shop_where: list, values: dict, counter: str, dialect: str, n: int = 1
) -> Insert:
    """INSERT ... SELECT from the shop ... ON CONFLICT add `n`, in the engine's dialect."""
    columns = ["shop_id", *values, counter]
    source = select(Shop.id, *(literal(v) for v in values.values()), literal(n)).where(*shop_where)
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)
    statement = insert.from_select(columns, source)
    return statement.on_conflict_do_update(
        index_elements=["shop_id", *values], set_={counter: getattr(model, counter) + n}
    )


def local_today() -> date:
    """Today in the town."""
    return utcnow().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def count_visit(
    request: Request, slug: str, product_id: int = SHOP_PAGE, viewer_id: int | None = None
) -> None:
    """Add this visit to the page's daily counter, and to its search's, unless a robot made it.

    The shop's owner looking at their own page (`viewer_id`, checked inside the same statement)
    is not a visit. A statistic never breaks the page: a database error is logged and the
    visit forgotten.
    """
    if request.method != "GET" or is_robot(request):
        return
    key = (slug, product_id, local_today(), viewer_id, referring_search(request))
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy
    tally = _tally_of(app)
    with tally.lock:
        tally.counts[key] = tally.counts.get(key, 0) + 1
        due = time.monotonic() - tally.flushed >= app.config["VISIT_FLUSH_SECONDS"]
        if due:
            tally.flushed = time.monotonic()
    if due:
        flush_visits(app)


class _Tally:
    """This process's visits not yet written: (slug, product, day, viewer, words) -> count."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[tuple, int] = {}
        self.flushed = time.monotonic()


def _tally_of(app) -> _Tally:
    tally = app.extensions.get("vitrine_visits")
    if tally is None:
        tally = app.extensions.setdefault("vitrine_visits", _Tally())
        atexit.register(flush_visits, app)  # a worker stopping writes what it counted
    return tally


def flush_visits(app) -> None:
    """Write the visits counted since the last flush: one upsert per page, day and search."""
    tally = _tally_of(app)
    with tally.lock:
        counts, tally.counts = tally.counts, {}
    if not counts:
        return
    with app.app_context():
        engine = autocommit_engine()
        dialect = engine.dialect.name
        try:
            with engine.begin() as conn:
                for (slug, product_id, day, viewer_id, query), n in sorted(
                    counts.items(),
                    key=lambda item: repr(item[0]),  # one lock order for all
                ):
                    shop_where = [Shop.slug == slug]
                    if viewer_id is not None:
                        shop_where.append(Shop.owner_id != viewer_id)
                    page = {"product_id": product_id, "day": day}
                    conn.execute(_upsert(PageView, shop_where, page, "views", dialect, n))
                    if query:
                        referral = dict(page, query=query)
                        conn.execute(
                            _upsert(SearchReferral, shop_where, referral, "visits", dialect, n)
                        )
        except SQLAlchemyError:
            app.logger.warning("page views not counted", exc_info=True)
