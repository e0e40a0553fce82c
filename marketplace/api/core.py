"""The /api/v1 blueprint and what every operation shares: errors, strict query strings,
pages with Link headers, ETags, bearer tokens and rate limits."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Sequence
from functools import wraps
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from limits import parse as parse_limit
from marshmallow import RAISE, Schema, ValidationError
from sqlalchemy import Select, func, select

from marketplace.errors import error_response
from marketplace.extensions import csrf, db, limiter
from search.views import api_bp as search_api_bp

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# One implementation of GET /api/v1/search (search/views.py), under this blueprint's rules.
bp.register_blueprint(search_api_bp, url_prefix="/")
csrf.exempt(bp)  # bearer tokens, never cookies: nothing for a forged form to ride on

SEARCH_ENDPOINT = "api.search_api.api_search"
SEARCH_PARAMS = frozenset(
    [
        "q",
        "category",
        "shop",
        "min_price",
        "max_price",
        "in_stock",
        "open_now",
        "near",
        "radius_km",
        "postcode",
        "sort",
        "page",
        "per_page",
    ]
)
QUERY_SCHEMAS: dict[str, type[Schema]] = {}  # endpoint -> the query string it accepts


class ApiError(Exception):
    """An answer in the API's error format."""

    def __init__(self, status: int, message: str, details: dict | None = None, headers=None):
        super().__init__(message)
        self.status, self.message, self.details = status, message, details or {}
        self.headers = headers or {}


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    response, status = error_response(error.status, error.message, error.details)
    response.headers.update(error.headers)
    return response, status


# ---- Rate limits (a hook, not a decorator: it also covers the nested search operation) --------


def _retry_after(limit_text: str, *key: str) -> int | None:
    """Count this request against `limit_text` for `key`; seconds to wait if over it."""
    item = parse_limit(limit_text)
    if limiter.limiter.hit(item, "api", *key):
        return None
    reset_at, _remaining = limiter.limiter.get_window_stats(item, "api", *key)
    return max(1, math.ceil(reset_at - time.time()))


@bp.before_request
def enforce_rate_limits():
    """One budget per client address, and one per presented token on top; 429 with Retry-After."""
    if not limiter.enabled:
        return
    config = current_app.config
    wait = _retry_after(config["API_RATE_LIMIT_PER_IP"], "ip", get_remote_address())
    if wait is None and (secret := _bearer()):
        digest = hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:24]
        wait = _retry_after(config["API_RATE_LIMIT_PER_TOKEN"], "token", digest)
    if wait is not None:
        raise ApiError(
            429,
            _("Too many attempts. Please wait a moment and try again."),
            headers={"Retry-After": str(wait)},
        )


def field_errors(error: ValidationError) -> dict:
    """Marshmallow's messages as {field: [messages]} (nested lists and dicts kept)."""
    messages = error.messages if isinstance(error.messages, dict) else {"_": error.messages}

    def clean(value):
        if isinstance(value, dict):
            return {str(k): clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return str(value)

    return clean(messages)


def invalid(error: ValidationError, message: str | None = None) -> ApiError:
    """A 400 naming each wrong field."""
    return ApiError(400, message or _("Some values are not valid."), field_errors(error))


# ---- Query strings ----------------------------------------------------------------------------


def query(schema: type[Schema]):
    """Declare the query parameters of an operation; anything else is refused with a 400."""

    def decorator(view):
        QUERY_SCHEMAS[f"{bp.name}.{view.__name__}"] = schema
        return view

    return decorator


def _allowed_params() -> frozenset[str] | None:
    if request.endpoint == SEARCH_ENDPOINT:
        return SEARCH_PARAMS
    schema = QUERY_SCHEMAS.get(request.endpoint or "")
    if schema is None:
        return None
    return frozenset(f.data_key or name for name, f in schema().fields.items())


@bp.before_request
def refuse_unknown_params():
    """Unknown or repeated query parameters are a 400, so a typo never silently widens a query."""
    allowed = _allowed_params()
    if allowed is None:
        return None
    details = {}
    for name, values in request.args.lists():
        if name not in allowed:
            details[name] = [_("Unknown parameter.")]
        elif len(values) > 1:
            details[name] = [_("Give this parameter once.")]
    if details:
        raise ApiError(400, _("Some query parameters are not accepted."), details)
    return None


def parse_query() -> dict:
    """The current operation's query parameters, checked by its declared schema."""
    schema = QUERY_SCHEMAS[request.endpoint or ""]()
    try:
        return schema.load(request.args.to_dict(), unknown=RAISE)
    except ValidationError as error:
        raise invalid(error, _("Some query parameters are not valid.")) from error


def _unstorable_text(value, path: str = "") -> dict:
    """Strings JSON can carry but text columns cannot: lone surrogates (\\ud800) and NUL."""
    if isinstance(value, dict):
        found = {}
        for key, item in value.items():
            found.update(_unstorable_text(item, f"{path}.{key}" if path else str(key)))
        return found
    if isinstance(value, list):
        found = {}
        for index, item in enumerate(value):
            found.update(_unstorable_text(item, f"{path}.{index}" if path else str(index)))
        return found
    if isinstance(value, str) and (
        "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value)
    ):
        return {path or "_": [_("Text must be valid Unicode, without NUL characters.")]}
    return {}


def parse_body(schema: Schema, partial: bool = False) -> dict:
    """The JSON body checked by `schema`; unknown fields are refused."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, _("Send a JSON object (Content-Type: application/json)."))
    if unstorable := _unstorable_text(data):
        raise ApiError(400, _("Some values are not valid."), unstorable)
    try:
        return schema.load(data, partial=partial, unknown=RAISE)
    except ValidationError as error:
        raise invalid(error) from error


# ---- Pages, ETags -----------------------------------------------------------------------------


def paginate(statement: Select, args: dict) -> tuple[Sequence, dict]:
    """Rows of the asked page and the page's metadata; Link headers are added on the way out."""
    page, per_page = args["page"], args["per_page"]
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    g.api_page = (page, per_page, total)
    return rows, {"page": page, "per_page": per_page, "total": total}


def _link_header(page: int, per_page: int, total: int) -> str:
    last = max(math.ceil(total / per_page), 1)
    args = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}

    def url(n: int) -> str:
        return f"{request.path}?{urlencode({**args, 'page': n, 'per_page': per_page})}"

    links = [(1, "first"), (last, "last")]
    if page > 1:
        links.append((min(page - 1, last), "prev"))
    if page < last:
        links.append((page + 1, "next"))
    return ", ".join(f'<{url(n)}>; rel="{rel}"' for n, rel in links)


@bp.after_request
def add_caching_headers(response):
    """Link headers on pages; ETag and If-None-Match on public reads; no caching of shop data."""
    if getattr(g, "api_page", None) and response.status_code == 200:
        response.headers["Link"] = _link_header(*g.api_page)
    if getattr(g, "api_token", None) is not None:
        response.headers["Cache-Control"] = "private, no-store"
    elif request.method in ("GET", "HEAD") and response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=0, must-revalidate"
        response.headers["Vary"] = "Accept-Language"
        response.add_etag()
        response.make_conditional(request)
    return response


def json_page(schema: type[Schema], rows: list, meta: dict):
    """A page of items as JSON."""
    return jsonify({"items": schema(many=True).dump(rows), **meta})


# ---- Tokens and rate limits -------------------------------------------------------------------


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def token_required(view):
    """Let a request through only with a live token; the token names the shop it acts for."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        from marketplace.api.tokens import find_active_token, record_use

        secret = _bearer()
        token = find_active_token(secret) if secret else None
        if token is None:
            raise ApiError(
                401,
                _("A valid API token is required (Authorization: Bearer …)."),
                headers={"WWW-Authenticate": 'Bearer realm="vitrine"'},
            )
        record_use(token)
        g.api_token, g.api_shop = token, token.shop
        return view(*args, **kwargs)

    return wrapped
