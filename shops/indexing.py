"""The search seam: how shops asks the search index to catch up without importing search.

Dependencies point one way (shops <- search). Search registers its catch-up here at start-up
(`register_hooks` in marketplace/app.py). A job that writes many products (a catalogue import)
commits them inside `search_sync_deferred`, so that the commit does not index them on the
spot, then calls `catch_up_search_index(progress)`: they are indexed in the job, with progress,
and searchable before it says it is done.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator

from flask import Flask, current_app
from sqlalchemy.orm import Session, scoped_session

# One per app, so two apps in one process (the tests) stay apart.
EXTENSION_KEY = "vitrine.catch_up_search_index"
# In Session.info: search leaves this session's commits to an explicit catch-up.
SEARCH_SYNC_DEFERRED = "vitrine.search_sync_deferred"

Progress = Callable[[int], None]


def register_index_catch_up(app: Flask, catch_up: Callable[[Flask, Progress | None], object]):
    """Make `catch_up(app, progress)` the way `app` brings its search index in step."""
    app.extensions[EXTENSION_KEY] = catch_up


@contextlib.contextmanager
def search_sync_deferred(session: Session | scoped_session) -> Iterator[None]:
    """Commits in this block leave their search changes for catch_up_search_index()."""
    session.info[SEARCH_SYNC_DEFERRED] = True
    try:
        yield
    finally:
        session.info.pop(SEARCH_SYNC_DEFERRED, None)


def catch_up_search_index(progress: Progress | None = None) -> None:
    """Apply every pending change to this process's search index now, waiting for any writer.

    `progress` hears the number of changes applied so far, batch by batch.
    """
    catch_up = current_app.extensions.get(EXTENSION_KEY)
    if catch_up is not None:
        app = current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy typed as Flask
        catch_up(app, progress)


# The index knows of a product's stock only whether it is in stock. A checkout's conditional
# UPDATE of stock says so with this execution option, and reports the products it took out of
# stock or put back (note_stock_flips): search re-indexes those at commit, not every product
# sold (each re-index writes a segment and a new snapshot of the whole index).
STOCK_FLIPS_NOTED = "vitrine.stock_flips_noted"
STOCK_FLIPS = "vitrine.stock_flips"  # in Session.info: product ids to re-index at commit


def note_stock_flips(session: Session | scoped_session, product_ids: Iterable[int]) -> None:
    """Re-index these products at commit: this transaction took them out of stock or put them back."""
    session.info.setdefault(STOCK_FLIPS, set()).update(product_ids)
