"""The search seam: how shops asks the search index to catch up without importing search.

Dependencies point one way (shops <- search). Search registers its catch-up here at start-up
(`register_hooks` in marketplace/app.py); a job that wrote many products (a catalogue import)
calls `catch_up_search_index()` so that they are searchable before it says it is done.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

# One per app, so two apps in one process (the tests) stay apart.
EXTENSION_KEY = "vitrine.catch_up_search_index"


def register_index_catch_up(app: Flask, catch_up: Callable[[Flask], object]) -> None:
    """Make `catch_up(app)` the way `app` brings its search index in step (called by search)."""
    app.extensions[EXTENSION_KEY] = catch_up


def catch_up_search_index() -> None:
    """Apply every pending change to this process's search index now, waiting for any writer."""
    catch_up = current_app.extensions.get(EXTENSION_KEY)
    if catch_up is not None:
        catch_up(current_app._get_current_object())  # type: ignore[attr-defined]  # a proxy typed as Flask
