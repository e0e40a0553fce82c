"""HTTP caching headers of the public pages, so that nginx can micro-cache what visitors see.

A visitor without a session (no cookie sent, none set) gets the same bytes as any other such
visitor in the same language: the page says `Cache-Control: public, no-cache` (browsers ask
again every time, mostly getting a 304 from the ETag) and `X-Accel-Expires: 1`, which nginx
alone reads (and strips): it may answer the same page to others for one second
(deploy/nginx-vitrine.conf). Anyone with a session (logged in, a cart, a message) gets
`private, no-cache`, and nginx passes them by (it skips requests carrying the session cookie).
"""

from __future__ import annotations

from flask import Flask, Response, request, session
from flask_login import current_user

# The pages whose anonymous version is the same for every visitor (and language).
PUBLIC_ENDPOINTS = frozenset(
    {
        "public.home",
        "public.directory",
        "public.shop",
        "public.product",
        "map.index",
        "search.page",
    }
)
EDGE_SECONDS = 1  # how long nginx may answer a page without asking the app
SHARED_PAGE = "vitrine.shared_page"  # WSGI environ key: (endpoint, view args) of a shared page


def is_shared(response: Response) -> bool:
    """True if this answer is the same for every visitor without a session."""
    return (
        response.status_code in (200, 304)
        and not session
        and not session.modified
        and not current_user.is_authenticated
        and "Set-Cookie" not in response.headers
    )


def set_public_headers(response: Response) -> Response:
    """Mark `response` shared (edge-cacheable for a second) or private, always revalidated."""
    if is_shared(response):
        # X-Accel-Expires first: nginx 1.22 (Debian 12) reads the headers in order and lets
        # X-Accel-Expires override Cache-Control only when it comes before it.
        response.headers.pop("Cache-Control", None)
        response.headers["X-Accel-Expires"] = str(EDGE_SECONDS)
        response.headers["Cache-Control"] = "public, no-cache"
    else:
        response.headers["Cache-Control"] = "private, no-cache"
        response.headers.pop("X-Accel-Expires", None)
    # The language comes from the session or the browser's Accept-Language.
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def init_app(app: Flask) -> None:
    """Set the headers on every public page (after the views, whatever rendered them)."""

    @app.after_request
    def public_page_headers(response: Response) -> Response:
        if request.endpoint in PUBLIC_ENDPOINTS and request.method in ("GET", "HEAD"):
            set_public_headers(response)
            if is_shared(response):
                # For the fast path (public/fast_path.py): which page this was, to count its
                # visit when it serves the page again without the view.
                request.environ[SHARED_PAGE] = (request.endpoint, dict(request.view_args or {}))
        return response
