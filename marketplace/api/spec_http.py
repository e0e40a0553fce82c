"""The HTTP parts of the OpenAPI document: response headers, conditional and idempotency
request headers, and the links from one operation's answer to the next (stateful clients)."""

from __future__ import annotations

SECONDS = {"type": "integer", "minimum": 0}
RATE_HEADERS = {
    "RateLimit-Limit": ("Requests allowed in the window (the budget that runs out first)", SECONDS),
    "RateLimit-Remaining": ("Requests left in the window", SECONDS),
    "RateLimit-Reset": ("Seconds until the window starts again", SECONDS),
}


def headers_of(*names: str) -> dict:
    """The OpenAPI description of these response headers (RateLimit-* always required)."""
    known = {
        **RATE_HEADERS,
        "ETag": (
            "Version of the resource: send it in If-None-Match or If-Match",
            {"type": "string"},
        ),
        "Link": ("Pages: first, last, prev and next (RFC 8288)", {"type": "string"}),
        "Location": ("Address of the created resource", {"type": "string"}),
        "Retry-After": ("Seconds to wait", SECONDS),
        "Idempotent-Replayed": (
            "true when this is the first answer to an earlier request with this Idempotency-Key",
            {"type": "string", "enum": ["true"]},
        ),
    }
    headers = {name: {"description": known[name][0], "schema": known[name][1]} for name in names}
    for name in RATE_HEADERS:
        headers[name]["required"] = True
    return headers


def _header_param(name: str, description: str, schema: dict | None = None) -> dict:
    return {
        "in": "header",
        "name": name,
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


IDEMPOTENCY_KEY = _header_param(
    "Idempotency-Key",
    "Optional. A retry with the same key and body gets the first answer without doing it twice "
    "(kept 24 h, per token); the same key with another body is a 422.",
    {"type": "string", "pattern": "^[!-~]{1,255}$"},
)
IF_MATCH = _header_param(
    "If-Match",
    "Optional. The ETag you read: the change applies only if it is still current (else 412).",
)
IF_NONE_MATCH = _header_param(
    "If-None-Match", "The ETag you have: 304 with no body while it is current."
)

# operationId -> the operations its answer leads to, and how (OpenAPI links, for stateful tests)
_PRODUCT_WRITES = {
    "UpdateMyProduct": "update_my_product",
    "ArchiveMyProduct": "archive_my_product",
}


def links_of(endpoint: str) -> dict:
    """OpenAPI links from this operation's answer: where a client (or a stateful test) goes next."""

    def link(operation_id: str, **parameters: str) -> dict:
        return {"operationId": operation_id, "parameters": parameters}

    etag = "$response.header.ETag"
    product_writes = {
        name: link(op, **{"path.product_id": "$response.body#/id", "header.If-Match": etag})
        for name, op in _PRODUCT_WRITES.items()
    }
    return {
        "api.list_shops": {
            "GetShop": link("get_shop", slug="$response.body#/items/0/slug"),
        },
        "api.get_shop": {
            "ListShopProducts": link("list_shop_products", slug="$response.body#/slug"),
        },
        "api.list_shop_products": {
            "GetProduct": link("get_product", product_id="$response.body#/items/0/id"),
        },
        "api.list_my_products": {
            "GetMyProduct": link("get_my_product", product_id="$response.body#/items/0/id"),
        },
        "api.create_my_product": {
            "GetMyProduct": link("get_my_product", product_id="$response.body#/id"),
            **product_writes,
        },
        "api.get_my_product": product_writes,
        "api.list_my_orders": {
            "GetMyOrder": link("get_my_order", order_id="$response.body#/items/0/id"),
        },
        "api.get_my_order": {
            "ChangeMyOrderStatus": link(
                "change_my_order_status",
                **{"path.order_id": "$response.body#/id", "header.If-Match": etag},
            ),
        },
    }.get(endpoint, {})
