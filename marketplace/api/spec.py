"""The OpenAPI 3 document, built from the URL map, the query schemas and the answer schemas."""

from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask, current_app, jsonify, render_template

from marketplace.api import schemas as s
from marketplace.api.parsing import QUERY_SCHEMAS, SEARCH_ENDPOINT
from marketplace.api.search_schemas import SearchOut
from marketplace.api.v1 import bp

PUBLIC, MERCHANT = "public", "merchant"
# endpoint -> (tag, request body, 2xx status and answer, error statuses besides 400 and 429)
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
ERROR_TEXT = {
    304: "Not modified: the ETag sent in If-None-Match is still current",
    400: "The request does not follow this contract (each wrong field is named)",
    401: "No valid API token",
    404: "Not found, or not this token's shop",
    409: "Conflicts with the current state (order status, SKU taken)",
    422: "Follows the contract, but a shop rule refuses it; nothing was changed",
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


def _operation(endpoint: str, view, rule) -> tuple[str, dict]:
    tag, body, (ok, answer), errors = OPERATIONS[endpoint]
    path, params = _path_and_params(rule)
    query_schema = QUERY_SCHEMAS[endpoint]
    if query_schema().fields:
        params.append({"in": "query", "schema": query_schema})
    statuses = {400, 429, *errors}
    if tag == PUBLIC:
        params.append(
            {
                "in": "header",
                "name": "If-None-Match",
                "required": False,
                "schema": {"type": "string"},
            }
        )
        statuses.add(304)
    else:
        statuses.add(401)
    responses = {
        str(ok): {"description": "OK", "content": {"application/json": {"schema": answer}}}
    }
    for status in sorted(statuses):
        responses[str(status)] = {"description": ERROR_TEXT[status]}
        if status != 304:
            responses[str(status)]["content"] = {"application/json": {"schema": "ErrorOut"}}
    doc = (view.__doc__ or "").strip()
    operation = {
        "operationId": endpoint.rsplit(".", 1)[-1],
        "tags": [tag],
        "summary": doc.splitlines()[0] if doc else endpoint,
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
            'orders with its own API token. Errors: {"error": {"code", "message", "details"}}.'
        },
        servers=[{"url": "/api/v1"}],
        tags=[
            {"name": PUBLIC, "description": "Open to all, read-only, cacheable (ETag)"},
            {"name": MERCHANT, "description": "With a shop's API token (Authorization: Bearer)"},
        ],
    )
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    spec.components.schema("ErrorOut", schema=s.ErrorOut)
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint not in OPERATIONS:
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            path, operation = _operation(rule.endpoint, view, rule)
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
