"""The OpenAPI 3 document, built from the URL map, the query schemas and the answer schemas."""

from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask, current_app, jsonify, render_template

from marketplace.api import schemas as s
from marketplace.api.parsing import QUERY_SCHEMAS, SEARCH_ENDPOINT
from marketplace.api.problems import PROBLEM_TYPE
from marketplace.api.search_schemas import SearchOut
from marketplace.api.spec_http import (
    IDEMPOTENCY_KEY,
    IF_MATCH,
    IF_NONE_MATCH,
    RATE_HEADERS,
    headers_of,
    links_of,
)
from marketplace.api.v1 import bp

PUBLIC, MERCHANT = "public", "merchant"
# endpoint -> (tag, request body, 2xx status and answer, error statuses of its own)
OPERATIONS: dict[str, tuple] = {
    "api.list_shops": (PUBLIC, None, (200, s.ShopPage), ()),
    "api.get_shop": (PUBLIC, None, (200, s.ShopOut), (404,)),
    "api.list_shop_products": (PUBLIC, None, (200, s.ProductPage), (404,)),
    "api.get_product": (PUBLIC, None, (200, s.ProductOut), (404,)),
    "api.list_categories": (PUBLIC, None, (200, s.CategoryList), ()),
    SEARCH_ENDPOINT: (PUBLIC, None, (200, SearchOut), ()),
    "api.get_my_shop": (MERCHANT, None, (200, s.MerchantShopOut), ()),
    "api.list_my_products": (MERCHANT, None, (200, s.MerchantProductPage), ()),
    "api.create_my_product": (MERCHANT, s.ProductBody, (201, s.MerchantProductOut), (409,)),
    "api.get_my_product": (MERCHANT, None, (200, s.MerchantProductOut), (404,)),
    "api.update_my_product": (
        MERCHANT,
        s.ProductBody(partial=True),
        (200, s.MerchantProductOut),
        (404, 409),
    ),
    "api.archive_my_product": (MERCHANT, None, (200, s.MerchantProductOut), (404,)),
    "api.update_my_inventory": (MERCHANT, s.InventoryBody, (200, s.InventoryOut), (422,)),
    "api.list_my_orders": (MERCHANT, None, (200, s.OrderPage), ()),
    "api.get_my_order": (MERCHANT, None, (200, s.OrderOut), (404,)),
    "api.change_my_order_status": (
        MERCHANT,
        s.OrderStatusBody,
        (200, s.OrderOut),
        (404, 409, 422),
    ),
}
# Single resources: an ETag on their answer, If-None-Match on the read, If-Match on the writes.
SINGLE_READS = {"api.get_shop", "api.get_product", "api.get_my_shop"} | {
    "api.get_my_product",
    "api.get_my_order",
}
CONDITIONAL_WRITES = {
    "api.update_my_product",
    "api.archive_my_product",
    "api.change_my_order_status",
}
ERROR_TEXT = {
    304: "Not modified: the ETag sent in If-None-Match is still current",
    400: "The request does not follow this contract (each wrong field is named)",
    401: "No valid API token (missing, revoked or expired)",
    403: "The token was not given the scope this operation needs (insufficient-scope)",
    404: "Not found, or not this token's shop",
    409: "Conflicts with the current state (order status, SKU taken, or a request with this "
    "Idempotency-Key still running)",
    412: "If-Match names another version: read the resource again (precondition-failed)",
    415: "The body is not Content-Type: application/json",
    422: "Follows the contract, but a shop rule refuses it, or the Idempotency-Key was used with "
    "another request; nothing was changed",
    429: "Too many requests: wait Retry-After seconds",
}


def _schema_name(schema) -> str:
    cls = resolve_schema_cls(schema)
    partial = not isinstance(schema, type) and schema.partial
    return cls.__name__ + ("Patch" if partial else "")  # type: ignore[union-attr]  # apispec's type allows a list; get_class(all=False) gives one class


def _path_and_params(rule) -> tuple[str, list[dict]]:
    params = []
    for name, converter in rule._converters.items():
        if type(converter).__name__ == "IntegerConverter":
            schema = {"type": "integer", "minimum": 1, "maximum": s.MAX_ID}
        else:
            schema = {"type": "string", "pattern": "^[a-z0-9-]{1,80}$"}
        params.append({"in": "path", "name": name, "required": True, "schema": schema})
    path = re.sub(r"<(?:[^:<>]+:)?([a-z_]+)>", r"{\1}", rule.rule)
    return path.removeprefix(bp.url_prefix or ""), params


def _statuses(endpoint: str, method: str, tag: str, body, errors, scope) -> set[int]:
    statuses = {400, 429, *errors}
    if tag == PUBLIC or endpoint in SINGLE_READS:
        statuses.add(304)
    if tag == MERCHANT:
        statuses.add(401)
    if scope:
        statuses.add(403)
    if body is not None:
        statuses.add(415)
    if method == "POST":
        statuses |= {409, 422}  # the Idempotency-Key's: still running, or used with another body
    if endpoint in CONDITIONAL_WRITES:
        statuses.add(412)
    return statuses


def _operation(endpoint: str, method: str, view, rule) -> tuple[str, dict]:
    tag, body, (ok, answer), errors = OPERATIONS[endpoint]
    path, params = _path_and_params(rule)
    query_schema = QUERY_SCHEMAS[endpoint]
    if query_schema().fields:
        params.append({"in": "query", "schema": query_schema})
    scope = getattr(view, "required_scope", None)
    statuses = _statuses(endpoint, method, tag, body, errors, scope)
    if 304 in statuses:
        params.append(IF_NONE_MATCH)
    if endpoint in CONDITIONAL_WRITES:
        params.append(IF_MATCH)
    if getattr(view, "idempotent", False):
        params.append(IDEMPOTENCY_KEY)
    ok_headers = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]
    if tag == PUBLIC or endpoint in SINGLE_READS | CONDITIONAL_WRITES or ok == 201:
        ok_headers.append("ETag")
    if isinstance(answer, type) and answer.__name__.endswith("Page"):
        ok_headers.append("Link")
    if ok == 201:
        ok_headers.append("Location")
    if method == "POST":
        ok_headers.append("Idempotent-Replayed")
    ok_answer = {
        "description": "OK",
        "headers": headers_of(*ok_headers),
        "content": {"application/json": {"schema": answer}},
    }
    if links := links_of(endpoint):
        ok_answer["links"] = links
    responses = {str(ok): ok_answer}
    for status in sorted(statuses):
        names = [*RATE_HEADERS]
        if status in (304, 412):
            names.append("ETag")
        if status == 429 or (status == 409 and method == "POST"):
            names.append("Retry-After")
        responses[str(status)] = {"description": ERROR_TEXT[status], "headers": headers_of(*names)}
        if status != 304:
            responses[str(status)]["content"] = {PROBLEM_TYPE: {"schema": "Problem"}}
    doc = (view.__doc__ or "").strip()
    summary = doc.splitlines()[0] if doc else endpoint
    operation = {
        "operationId": endpoint.rsplit(".", 1)[-1],
        "tags": [tag],
        "summary": summary,
        "description": f"{summary} Needs the token scope `{scope}`." if scope else summary,
        "parameters": params,
        "responses": responses,
    }
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    if tag == MERCHANT:
        operation["security"] = [{"bearerAuth": []}]
    return path, operation


def build_spec(app: Flask) -> dict:
    """The OpenAPI 3.0 document of every /api/v1 operation."""
    spec = APISpec(
        title="Vitrine API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin(schema_name_resolver=_schema_name)],
        info={
            "description": "Public listings of the town's shops, and each shop's catalogue and "
            "orders with its own API token. Errors are application/problem+json (RFC 9457) with "
            "a stable `code`; every answer has RateLimit-Limit, -Remaining and -Reset."
        },
        servers=[{"url": "/api/v1"}],
        tags=[
            {"name": PUBLIC, "description": "Open to all, read-only, cacheable (ETag)"},
            {"name": MERCHANT, "description": "With a shop's API token (Authorization: Bearer)"},
        ],
    )
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Problem", schema=s.ProblemOut)
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint not in OPERATIONS:
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            path, operation = _operation(rule.endpoint, method, view, rule)
            paths.setdefault(path, {})[method.lower()] = operation
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def spec_of(app: Flask) -> dict:
    """The app's OpenAPI document, built once."""
    if "api_spec" not in app.extensions:
        app.extensions["api_spec"] = build_spec(app)
    return app.extensions["api_spec"]


@bp.get("/openapi.json")
def openapi_json():
    """The OpenAPI 3 document."""
    return jsonify(spec_of(current_app._get_current_object()))  # type: ignore[attr-defined]  # current_app is a proxy typed as Flask


@bp.get("/docs")
def docs():
    """The API reference, rendered from the OpenAPI document on the server (no script)."""
    spec = spec_of(current_app._get_current_object())  # type: ignore[attr-defined]  # current_app is a proxy typed as Flask
    return render_template("api/docs.html", spec=spec, tags=[PUBLIC, MERCHANT])
