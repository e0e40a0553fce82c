"""Whole-page cache of the anonymous public pages, checked against the database.

Only visitors with nothing personal on the page are served from it: not logged in, an empty
cart, no flashed message. An entry is the page rendered once, keyed by (path and query,
language), and stamped with what it was rendered from: the shop's `version` (bumped in the
same transaction as any change to the shop, its hours, closures, products or photos, see
shops.versioning) and the stock it showed (stock changes through checkouts without touching
the shop row). Every request reads the current stamp with one small query and uses the entry
only if it matches, so any change, made by any process, shows on the next request. The town-wide
pages (home, directory, map) use the town stamp instead (serve_town_page), the search page the
identity of its answer (search.results_cache). The CSRF token of the page's forms is put in on
the way out (the entry holds a placeholder): the visitor's own, or for a visitor without a
session the visitors' token of the hour (marketplace.anon_csrf), so that they get no cookie.
Conditional GET: the ETag is the page's digest plus that secret or token, answered 304.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, current_app, g, request, session
from flask_login import current_user

from marketplace.anon_csrf import csrf_token, visitor_token
from marketplace.cart.storage import SESSION_KEY as CART_KEY

# Rendered in place of the visitor's CSRF token; replaced on the way out.
CSRF_PLACEHOLDER = "vitrine-csrf-placeholder-7c1d5e"
PAGE_KEY = "vitrine.page_key"  # WSGI environ key: the cache key a page was served under
DEFAULT_SIZE = 2048  # entries per process; a page is 10-20 kB
RENDER_LOCKS = 64  # pages rendered at once per process, at most (a thread pool is 4 to 8)


@dataclass(frozen=True)
class Entry:
    """A rendered page and the stamp it was rendered from."""

    parts: tuple[bytes, ...]  # the page's UTF-8 bytes, split where the CSRF token goes
    digest: str
    version: int
    stock: Any  # what the page showed of stock (compared by the page's own check)
    valid_until: datetime | None = None  # the page shows "open now": re-render at the next change
    # Reads the page's stamp again and says whether this entry still matches it (the fast path,
    # public/fast_path.py, serves the entry without the view when it does).
    recheck: Callable[[Entry], bool] | None = None


class PageCache:
    """A small thread-safe LRU of entries."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._render_locks = [threading.Lock() for _ in range(RENDER_LOCKS)]

    def render_lock(self, key: tuple) -> threading.Lock:
        """The lock held while rendering the page of `key` (shared with a few other keys)."""
        return self._render_locks[hash(key) % RENDER_LOCKS]

    def get(self, key: tuple) -> Entry | None:
        """Return the entry for `key` (most recently used from now on), or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        """Keep `entry`, dropping the least recently used beyond the size."""
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()


def cache_of(app) -> PageCache | None:
    """Return the app's page cache (created on first use), or None when PAGE_CACHE_SIZE is 0."""
    cache = app.extensions.get("vitrine_page_cache")
    if cache is None:
        size = int(app.config.get("PAGE_CACHE_SIZE", DEFAULT_SIZE))
        if size <= 0:
            return None
        cache = app.extensions.setdefault("vitrine_page_cache", PageCache(size))
    return cache


def is_anonymous_page() -> bool:
    """True if this request's page has nothing of the visitor's own but the CSRF token."""
    return (
        not current_user.is_authenticated
        and not session.get(CART_KEY)
        and "_flashes" not in session
    )


def render_entry(
    render: Callable[[], tuple[str, int, object, datetime | None]],
    recheck: Callable[[Entry], bool] | None = None,
) -> Entry:
    """Render a page with the CSRF placeholder; `render` returns (html, version, stock, until)."""
    g.csrf_token = CSRF_PLACEHOLDER  # flask_wtf.generate_csrf returns what g holds
    try:
        body, version, stock, valid_until = render()
    finally:
        g.pop("csrf_token", None)
    data = body.encode()
    digest = hashlib.sha256(data).hexdigest()[:32]
    parts = tuple(data.split(CSRF_PLACEHOLDER.encode()))
    return Entry(parts, digest, version, stock, valid_until, recheck)


def serve(
    fresh: Callable[[Entry], bool],
    render: Callable[[], tuple[str, int, object, datetime | None]],
    recheck: Callable[[Entry], bool] | None = None,
) -> Response:
    """Answer from the cache when `fresh` says the entry matches the stamp read now, else render.

    `recheck` reads the stamp again and compares it, so that the fast path can serve the entry
    on its own; without it, only this view serves it."""
    cache = cache_of(current_app)
    key = page_key(request.full_path, _locale())
    request.environ[PAGE_KEY] = key  # the fast path learns the page under the key used here

    def usable(entry: Entry | None) -> bool:
        return (
            entry is not None
            and (entry.valid_until is None or datetime.now(UTC) < entry.valid_until)
            and fresh(entry)
        )

    entry, hit = _cached_or_rendered(cache, key, usable, render, recheck)
    # The visitor's own CSRF secret, or (no session) the visitors' token of this hour.
    secret = session.get("csrf_token") or visitor_token()
    if request.if_none_match.contains(etag_of(entry, secret)):
        response = Response(status=304)
    else:
        token = csrf_token()
        response = Response(token.encode().join(entry.parts), mimetype="text/html")
        secret = session.get("csrf_token") or secret
    response.set_etag(etag_of(entry, secret))
    response.headers["X-Page-Cache"] = "hit" if hit else "miss"  # for benchmarks and ops
    return response


def _cached_or_rendered(cache, key, usable, render, recheck) -> tuple[Entry, bool]:
    """The usable entry of `key` (True), or the page rendered now and kept (False)."""
    if cache is None:
        return render_entry(render, recheck), False
    entry = cache.get(key)
    if entry is not None and usable(entry):
        return entry, True
    # One render per page at a time in this process: when a popular page goes stale (a change,
    # the next minute), the requests meanwhile wait for it instead of each rendering the same
    # page (a burst of slow renders: the latency's tail under load).
    with cache.render_lock(key):
        entry = cache.get(key)
        if entry is not None and usable(entry):
            return entry, True
        entry = render_entry(render, recheck)
        cache.put(key, entry)
        return entry, False


def serve_town_page(render: Callable[[], str]) -> Response:
    """Answer a town-wide page (home, directory, map) from the cache while nothing it shows changed.

    The stamp is stamps.town_stamp (every shop's version, the collections); "open now" and the
    collections' dates are times, so an entry is also kept only until the next minute (opening
    hours and closures are whole minutes)."""
    from marketplace.public.stamps import town_stamp

    now = datetime.now(UTC)
    stamp = town_stamp(now)
    until = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return serve(
        lambda entry: entry.stock == stamp,
        lambda: (render(), 0, stamp, until),
        lambda entry: entry.stock == town_stamp(datetime.now(UTC)),
    )


def page_key(full_path: str, locale: str) -> tuple[str, str]:
    """The cache key of a page: its path and query, and the language it is shown in."""
    return (full_path, locale)


def etag_of(entry: Entry, secret: str) -> str:
    """The page's ETag for a visitor whose forms carry `secret` (their own or the visitors')."""
    # The visitor's secret is in it: a page kept by another session would carry a stale token.
    return hashlib.sha256(f"{entry.digest}:{secret}".encode()).hexdigest()[:32]


def _locale() -> str:
    from marketplace.templating import current_locale

    return current_locale()


def next_change(hours, when: datetime, tz: str, closures=()) -> datetime:
    """Return when "open now" may next change: the next opening, closing, closure start or end
    within a day (closed this afternoon), or local midnight."""
    zone = ZoneInfo(tz)
    local = when.astimezone(zone)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), zone)
    times = [midnight]
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        for h in hours:
            if h.weekday == day.weekday():
                times += [
                    datetime.combine(day, h.opens, zone),
                    datetime.combine(day, h.closes, zone),
                ]
    for closure in closures:
        if closure.starts_time:
            times.append(datetime.combine(closure.starts_on, closure.starts_time, zone))
        if closure.ends_time:
            times.append(datetime.combine(closure.ends_on, closure.ends_time, zone))
    return min(t for t in times if t > local).astimezone(UTC)
