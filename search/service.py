"""The search service the views, the API and the benchmark call."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace

from flask import current_app

from marketplace.db import utcnow
from search import query, store, sync
from search.fallback import search_database
from search.log_writer import note_search
from search.params import SearchParams, parse_params
from search.results_cache import cached_results
from search.snapshot import snapshot_for
from search.suggest import complete


def _index_dir() -> str:
    return current_app.config["SEARCH_INDEX_DIR"]


def run_search(params: SearchParams, now=None) -> query.Results:
    """Search the live index (the database while the index is being rebuilt)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a proxy typed as Flask
    sync.catch_up_if_due(app)  # changes made through another app server
    try:
        snapshot = snapshot_for(_index_dir())
    except store.IndexUnavailable:
        # Lost or corrupted: rebuilt in the background, answered from the database meanwhile.
        current_app.logger.warning("search index unavailable: answering from the database")
        try:
            if sync.rebuild_in_background(app):
                return search_database(params)
            snapshot = snapshot_for(_index_dir())  # rebuilt in the foreground (tests)
        except Exception:
            current_app.logger.exception("search index rebuild failed")
            return search_database(params)
    when, tz, index_dir = now or utcnow(), current_app.config["TIMEZONE"], _index_dir()
    return cached_results(
        snapshot, params, when, tz, lambda: query.search(snapshot, params, index_dir, when, tz)
    )


def search_in_shop(shop_slug: str, q: str, page: int, per_page: int) -> query.Results:
    """The products of one shop matching `q` (a shop page's own search box), logged as a search."""
    params, _errors = parse_params({"q": q, "shop": shop_slug})
    params = replace(params, products_only=True, page=page, per_page=per_page)
    results = run_search(params)
    log_search(params, results)
    return results


def printable(text: str) -> str:
    """Text without control characters (PostgreSQL refuses NUL), spaces collapsed."""
    return " ".join("".join(c for c in text if unicodedata.category(c)[0] != "C").split())


def log_search(params: SearchParams, results: query.Results) -> None:
    """Keep the words, filters and result count for the city office (no user, no address)."""
    note_search(
        current_app._get_current_object(),  # type: ignore[attr-defined]  # current_app is a proxy
        printable(params.q)[:200],
        json.dumps(params.active_filters(), sort_keys=True),
        results.total,
    )


def corrected_query(q: str) -> str | None:
    """The "did you mean" of a query when its correction finds something (the dashboard)."""
    try:
        snapshot = snapshot_for(_index_dir())
    except store.IndexUnavailable:
        return None
    params = SearchParams(q=q, per_page=1)
    results = query.search(snapshot, params, _index_dir(), utcnow(), current_app.config["TIMEZONE"])
    return results.suggestion if results.total else None


def suggestions(prefix: str, locale: str) -> list[dict]:
    """Up to 8 completions for the search box."""
    try:
        snapshot = snapshot_for(_index_dir())
    except store.IndexUnavailable:
        return []
    return complete(snapshot, _index_dir(), prefix, locale)
