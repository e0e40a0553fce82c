"""Keep the index in step: drain the outbox after each commit and when a process starts."""

from __future__ import annotations

import logging

from flask import Flask, current_app, has_app_context
from sqlalchemy.exc import SQLAlchemyError

from marketplace.extensions import db
from search import indexer, outbox, store

log = logging.getLogger(__name__)


def sync_now(app: Flask) -> str:
    """Catch up with the outbox, rebuilding a lost, corrupted or too old index."""
    return indexer.ensure_index(app.config["SEARCH_INDEX_DIR"], db.engine)


def _after_commit(session) -> None:
    """Runs inside session.commit(): a failure here is logged, never raised into the view."""
    if not has_app_context():
        return
    app = current_app._get_current_object()
    if not app.config.get("SEARCH_SYNC_AFTER_COMMIT", True):
        return  # the rows wait for the next drain (tests simulate a crash this way)
    try:
        indexer.drain(app.config["SEARCH_INDEX_DIR"], db.engine)
    except (store.IndexUnavailable, indexer.NeedsRebuild):
        try:
            sync_now(app)
        except Exception:
            log.exception("search index rebuild failed; `flask search rebuild` will retry")
    except Exception:
        log.exception("search outbox drain failed; the rows stay for the next drain")


def init_app(app: Flask) -> None:
    """Install the outbox listeners and the start-up catch-up of this process."""
    app.config.setdefault("SEARCH_SYNC_AFTER_COMMIT", True)
    app.config.setdefault("SEARCH_SYNC_ON_START", True)
    outbox.install(_after_commit)
    state = {"done": not app.config["SEARCH_SYNC_ON_START"]}

    @app.before_request
    def sync_on_start() -> None:
        """The first request of each process brings its index up to date (or rebuilds it)."""
        if state["done"]:
            return
        state["done"] = True
        try:
            sync_now(app)
        except SQLAlchemyError:
            log.exception("search start-up sync skipped: database not ready")
        except Exception:
            log.exception("search start-up sync failed")
