"""What list and read answers share: pages with Link headers, ETags and Cache-Control."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from flask import g, jsonify, request
from marshmallow import Schema
from sqlalchemy import Select, func, select

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
