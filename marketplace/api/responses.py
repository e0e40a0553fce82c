"""What list and read answers share: pages with Link headers, ETags, If-Match and Cache-Control."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from flask import g, jsonify, request
from flask_babel import gettext as _
from marshmallow import Schema
from sqlalchemy import Select, func, select
from werkzeug.http import generate_etag, quote_etag

from marketplace.api.errors import ApiError
from marketplace.extensions import db


def paginate(statement: Select, args: dict) -> tuple[list, dict]:
    """Rows of the asked page and the page's metadata; Link headers are added on the way out."""
    page, per_page = args["page"], args["per_page"]
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = list(db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)))
    g.api_page = (page, per_page, total)
    return rows, {"page": page, "per_page": per_page, "total": total}


def json_page(schema: type[Schema], rows: list, meta: dict):
    """A page of items as JSON."""
    return jsonify({"items": schema(many=True).dump(rows), **meta})


def single(body: dict, status: int = 200, location: str | None = None):
    """One resource as JSON with its strong ETag (If-None-Match on a read gives a 304)."""
    response = jsonify(body)
    response.status_code = status
    response.set_etag(generate_etag(response.get_data()))
    if location:
        response.headers["Location"] = location
    if request.method == "GET":
        response.make_conditional(request)
    return response


def require_current(body: dict) -> None:
    """Refuse with 412 a write whose If-Match names another version than `body`'s.

    Without If-Match the write goes ahead (clients written before ETags keep working).
    """
    if "If-Match" not in request.headers:
        return
    etag = generate_etag(jsonify(body).get_data())
    if not request.if_match.contains(etag):
        raise ApiError(
            412,
            _("It changed since you read it: read it again, then send your change."),
            headers={"ETag": quote_etag(etag)},
            code="precondition-failed",
        )


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
