"""The answers of a snapshot of the index, kept while it is the live one: a popular search
("pain", a category) is counted once per minute and per index change, not at every request.

A search's result depends only on the snapshot (which changes with any indexed change), the
parameters, and the minute ("open now" is computed per minute per snapshot, as
search.filters.open_shop_ids already does). So the cache hangs on the snapshot itself and dies
with it, and its key is the parameters and the minute: nothing here can show a stale result.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import astuple
from datetime import datetime
from zoneinfo import ZoneInfo

SIZE = 256  # searches per snapshot and process; a Results is a page of hits and the facets

_LOCK = threading.Lock()


def cached_results(snapshot, params, now: datetime, tz: str, compute: Callable[[], object]):
    """Return the Results of `params` on `snapshot` this minute, computing them once."""
    minute = now.astimezone(ZoneInfo(tz)).replace(second=0, microsecond=0)
    key = (astuple(params), minute, tz)
    with _LOCK:
        entries = snapshot.__dict__.setdefault("_results_cache", OrderedDict())
        found = entries.get(key)
        if found is not None:
            entries.move_to_end(key)
            return found
    results = compute()  # outside the lock: two threads may both compute a new search, once
    with _LOCK:
        entries[key] = results
        while len(entries) > SIZE:
            entries.popitem(last=False)
    return results
