"""JSON over HTTP for the register adapters: a timeout, no retry, and a small in-process cache.

The cache is an in-process TTL cache, one per app and per register (not a table): the answers
are public data that change slowly, a shopkeeper asks the same number two or three times while
filling a form, and a process restart loses nothing that matters. What the curator must see later
is written to register_checks (shops/registers/models.py), not kept here. Failures are not cached,
so a register back online is asked again at once.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import OrderedDict
from typing import Any

from flask import current_app

USER_AGENT = "Vitrine (town marketplace; onboarding checks)"


class Unavailable(Exception):
    """The register did not answer usefully in time (network down, timeout, 5xx, not JSON)."""


def get_json(base_url: str, path: str, params: dict[str, str], timeout: float) -> Any:
    """GET base_url + path with `params` and return the decoded JSON; None on a 4xx answer.

    Raises Unavailable on anything else that is not a JSON 200.
    """
    url = f"{base_url.rstrip('/')}{path}?{urllib.parse.urlencode(params)}"
    if not url.startswith(("http://", "https://")):
        raise Unavailable(f"not an HTTP URL: {base_url}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310  # noqa: S310
            body = response.read(2_000_000)
    except urllib.error.HTTPError as error:
        if 400 <= error.code < 500 and error.code != 429:
            return None  # the register understood and refused the question: nothing to find
        raise Unavailable(f"HTTP {error.code}") from error
    except (OSError, ValueError) as error:  # URLError, timeouts, refused connections, bad URLs
        raise Unavailable(str(error)) from error
    try:
        return json.loads(body)
    except ValueError as error:
        raise Unavailable("not JSON") from error


class TTLCache:
    """A small thread-safe cache whose entries expire `ttl` seconds after they are stored."""

    def __init__(self, ttl: float, max_entries: int = 512) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        """The value stored under `key`, or None when absent or expired."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] < time.monotonic():
                self._entries.pop(key, None)
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: str, value: Any) -> None:
        """Store `value` under `key`, dropping the least recently used entry when full."""
        with self._lock:
            self._entries[key] = (time.monotonic() + self.ttl, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def cache_for(register: str) -> TTLCache:
    """The current app's cache for `register` (each app, hence each test, has its own)."""
    caches = current_app.extensions.setdefault("register_caches", {})
    if register not in caches:
        caches[register] = TTLCache(current_app.config["REGISTER_CACHE_SECONDS"])
    return caches[register]
