"""Keep the index in step: drain the outbox after each commit, when a process starts, and by poll.

Several gunicorn workers share one index folder: the one that commits a change applies it at once
(one writer at a time, `writer.lock`), and every worker's next search opens the newer index.
Several app servers each keep their own index, fed from the shared outbox: a search polls the
outbox at most every SEARCH_POLL_SECONDS, so a change made on another server shows within that.
A lost or corrupted index is rebuilt in a background thread while searches are answered from the
database (search/fallback.py), so reads never stop.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator

from flask import Flask, current_app, has_app_context, has_request_context, request
from sqlalchemy.exc import SQLAlchemyError

from marketplace.extensions import db
from search import indexer, outbox, store
from shops.indexing import SEARCH_SYNC_DEFERRED

log = logging.getLogger(__name__)


# A request applies at most one batch of the outbox; a bigger backlog (another server's, or a
# catalogue import's when its job runs elsewhere) goes on in a background thread, so that no
# request waits for thousands of documents.
REQUEST_DRAIN_ROWS = indexer.BATCH_ROWS


def sync_now(app: Flask, progress: Callable[[int], None] | None = None) -> str:
    """Catch up with the outbox, rebuilding a lost, corrupted or too old index."""
    return indexer.ensure_index(app.config["SEARCH_INDEX_DIR"], db.engine, progress)


def _drain_in_request(app: Flask) -> None:
    applied = indexer.drain(app.config["SEARCH_INDEX_DIR"], db.engine, max_rows=REQUEST_DRAIN_ROWS)
    if applied is not None and applied >= REQUEST_DRAIN_ROWS:
        rebuild_in_background(app)  # catches up (it rebuilds only a lost index)


def _state(app: Flask) -> dict:
    return app.extensions.setdefault(
        "vitrine.search_sync", {"started": False, "polled": 0.0, "rebuild": None}
    )


def rebuild_in_background(app: Flask) -> bool:
    """Start rebuilding the index in a thread unless one runs; return True if one is running."""
    if not app.config.get("SEARCH_REBUILD_IN_BACKGROUND", True):
        sync_now(app)
        return False
    state = _state(app)
    thread = state["rebuild"]
    if thread is not None and thread.is_alive():
        return True

    def run() -> None:
        with app.app_context():
            try:
                done = sync_now(app)
                log.info("search index %s in the background", done)
            except Exception:
                log.exception("background search rebuild failed; `flask search rebuild` retries")

    thread = threading.Thread(target=run, name="search-rebuild", daemon=True)
    state["rebuild"] = thread
    thread.start()
    return True


def start_up(app: Flask) -> None:
    """Once per process: catch up with the outbox, or rebuild a lost or corrupted index."""
    state = _state(app)
    if state["started"]:
        return
    state["started"] = True
    state["polled"] = time.monotonic()  # caught up now: the next poll is due a period later
    try:
        store.open_live(app.config["SEARCH_INDEX_DIR"])
    except store.IndexUnavailable as error:
        log.warning("search index unusable at start-up (%s): rebuilding", error)
        rebuild_in_background(app)
        return
    try:
        sync_now(app)
    except SQLAlchemyError:
        log.exception("search start-up sync skipped: database not ready")
    except Exception:
        log.exception("search start-up sync failed")


def catch_up_if_due(app: Flask) -> None:
    """Apply what other servers added to the outbox, at most once per SEARCH_POLL_SECONDS."""
    state = _state(app)
    now = time.monotonic()
    if now - state["polled"] < app.config.get("SEARCH_POLL_SECONDS", 1.0):
        return
    state["polled"] = now
    try:
        # Most polls find nothing new, and asking is cheap (the snapshot this process holds and
        # one indexed query); the drain opens the index and takes the writer lock.
        if not indexer.has_pending(app.config["SEARCH_INDEX_DIR"], db.engine):
            return
        _drain_in_request(app)  # skips if another writes
    except (store.IndexUnavailable, indexer.NeedsRebuild):
        rebuild_in_background(app)
    except Exception:  # a search must still answer: the next poll tries again
        log.exception("search outbox poll failed")


@contextlib.contextmanager
def batched_indexing(app: Flask) -> Iterator[None]:
    """Index the block's commits once at its end (for commands: a bulk load commits shop by shop).

    Each commit would otherwise write a small index segment of its own; the rows wait in the
    outbox, so searches in other processes meanwhile see the index as it was, never a half state.
    """
    before = app.config.get("SEARCH_SYNC_AFTER_COMMIT", True)
    app.config["SEARCH_SYNC_AFTER_COMMIT"] = False
    try:
        yield
    finally:
        app.config["SEARCH_SYNC_AFTER_COMMIT"] = before
    if before:
        sync_now(app)


def _after_commit(session) -> None:
    """Runs inside session.commit(): a failure here is logged, never raised into the view."""
    if not has_app_context():
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a proxy typed as Flask
    if not app.config.get("SEARCH_SYNC_AFTER_COMMIT", True):
        return  # the rows wait for the next drain (tests simulate a crash this way)
    if session.info.get(SEARCH_SYNC_DEFERRED):
        return  # a job applies them itself, with its progress (shops/indexing.py)
    try:
        if has_request_context():
            _drain_in_request(app)
        else:
            indexer.drain(app.config["SEARCH_INDEX_DIR"], db.engine)
    except (store.IndexUnavailable, indexer.NeedsRebuild):
        try:
            rebuild_in_background(app)
        except Exception:
            log.exception("search index rebuild failed; `flask search rebuild` will retry")
    except Exception:
        log.exception("search outbox drain failed; the rows stay for the next drain")


def init_app(app: Flask) -> None:
    """Set the sync's configuration defaults and whether this process still has to catch up."""
    app.config.setdefault("SEARCH_SYNC_AFTER_COMMIT", True)
    app.config.setdefault("SEARCH_SYNC_ON_START", True)
    app.config.setdefault("SEARCH_POLL_SECONDS", 1.0)
    # The test suite searches right after creating data: it rebuilds in the foreground.
    app.config.setdefault("SEARCH_REBUILD_IN_BACKGROUND", not app.testing)
    _state(app)["started"] = not app.config["SEARCH_SYNC_ON_START"]


def connect(app: Flask) -> None:
    """Install the outbox listeners on every Session and the first request's catch-up."""
    outbox.install(_after_commit)

    @app.before_request
    def sync_on_start() -> None:
        """The first request of a process catches up (gunicorn workers do it at boot)."""
        if request.blueprint == "health":
            return  # probes answer at once; /healthz must not wait for the database
        if not _state(app)["started"]:
            start_up(app)
