"""Cached public pages served to visitors without a session before Flask's request machinery.

A cached page's answer is its stamp query plus bytes already rendered, but through Flask it also
paid for the request context, the session, the login manager, Babel, the rate limiter and a
dozen hooks: ~0.6 ms of CPU for a page whose own work is ~0.1 ms. This WSGI layer answers
the same request itself when it can prove the answer is the one Flask would give:

- the request is a GET or HEAD with no cookie and no Authorization header (no session, no
  login, no cart, no flashed message: the page is the one every such visitor gets);
- Flask served that page (path, query and language) to such a visitor before, as a shared page
  of the cache (public.http_cache marks it, page_cache.serve names its key), and we keep the
  headers it sent (security headers, Cache-Control, Vary...) to send them again (any other
  request goes on to Flask before anything is done here);
- the cache's entry for it is still true: its `recheck` reads the page's stamp from the
  database again, as the view does, so any change made by any process shows on the next request.

Anything else, and any error, goes to Flask unchanged. The per-request parts are made here as
the view and hooks make them: the visitors' CSRF token in the forms, the ETag (304 when it
matches), the request id, the access log line, and the shop or product visit counted.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from flask import Flask, Request
from werkzeug.http import quote_etag

from marketplace.anon_csrf import visitor_token
from marketplace.i18n import browser_locale
from marketplace.logging_setup import REQUEST_ID_HEADER, log_access, request_id_from
from marketplace.public.http_cache import SHARED_PAGE
from marketplace.public.page_cache import PAGE_KEY, cache_of, etag_of, page_key
from marketplace.public.visits import SHOP_PAGE, count_visit

# The pages it may serve: their views do nothing per request but the stamp and the visit (the
# search page is left to its view: it is rate-limited and logged per search).
ENDPOINTS = frozenset(
    {"public.home", "public.directory", "public.shop", "public.product", "map.index"}
)
VISITED = frozenset({"public.shop", "public.product"})
# Headers made per request (or by the server), never replayed.
PER_REQUEST = frozenset(
    {"content-length", "etag", REQUEST_ID_HEADER.lower(), "set-cookie", "date", "x-page-cache"}
)


class FastPath:
    """WSGI middleware answering a cached shared page without Flask (see the module docstring)."""

    def __init__(self, wsgi_app: Callable, app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.app = app
        # page key -> (headers Flask sent, endpoint, view args): learnt from Flask's answers.
        self.known: dict[tuple, tuple[list[tuple[str, str]], str, dict]] = {}
        # Their paths and queries, so that any other request goes on to Flask at no cost here.
        self.paths: set[str] = set()
        self.lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
            or "HTTP_COOKIE" in environ
            or "HTTP_AUTHORIZATION" in environ
        ):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        request = Request(environ)
        if request.full_path not in self.paths:
            return self._through_flask(environ, start_response)
        with self.app.app_context():
            key = page_key(request.full_path, browser_locale(request))
            known = self.known.get(key)
            if known is not None:
                try:
                    answer = self._answer(request, known, key, started)
                except Exception:  # the stamp failed (database gone...): Flask answers it
                    self.app.logger.exception("fast path failed: %s", request.path)
                    answer = None
                if answer is not None:
                    status, headers, body = answer
                    start_response(status, headers)
                    return body
        return self._through_flask(environ, start_response)

    def _answer(self, request: Request, known, key: tuple, started: float):
        cache = cache_of(self.app)
        entry = cache.get(key) if cache is not None else None
        if (
            entry is None
            or entry.recheck is None
            or (entry.valid_until is not None and datetime.now(UTC) >= entry.valid_until)
            or not entry.recheck(entry)
        ):
            return None
        headers, endpoint, view_args = known
        token = visitor_token()
        etag = etag_of(entry, token)
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER, ""))
        if request.if_none_match.contains(etag):
            status, body = 304, b""
        else:
            status, body = 200, token.encode().join(entry.parts)
        if endpoint in VISITED:
            count_visit(request, view_args["slug"], view_args.get("product_id", SHOP_PAGE))
        log_access(request, status, request_id, started)
        own = [
            ("ETag", quote_etag(etag)),
            (REQUEST_ID_HEADER, request_id),
            ("X-Page-Cache", "hit"),
        ]
        if status == 200:
            own.append(("Content-Length", str(len(body))))
        sent = [] if request.method == "HEAD" or status == 304 else [body]
        return ("200 OK" if status == 200 else "304 Not Modified"), headers + own, sent

    def _through_flask(self, environ: dict, start_response: Callable):
        def remember(status: str, headers: list, exc_info=None):
            shared, key = environ.get(SHARED_PAGE), environ.get(PAGE_KEY)
            names = {name.lower() for name, _value in headers}
            if (
                status.startswith("200")
                and shared is not None
                and key is not None
                and shared[0] in ENDPOINTS
                and "x-page-cache" in names
                and "set-cookie" not in names
            ):
                replay = [(n, v) for n, v in headers if n.lower() not in PER_REQUEST]
                with self.lock:
                    if len(self.known) >= MAX_KNOWN:
                        self.known.clear()
                        self.paths.clear()
                    self.known[key] = (replay, shared[0], shared[1])
                    self.paths.add(key[0])
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, remember)


MAX_KNOWN = 4096  # pages per process (twice the page cache's default size)


def install(app: Flask) -> None:
    """Put the fast path in front of the app's WSGI callable (inside any proxy fix)."""
    app.wsgi_app = FastPath(app.wsgi_app, app)  # type: ignore[method-assign]  # Flask's documented way to wrap its WSGI app
