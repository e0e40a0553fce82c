"""The API's error answers as RFC 9457 problem details (application/problem+json).

Each answer has a stable machine-readable `code` (and `type`, the same code as a URI), a `title`
that says what kind of problem it is in the asked language, a `detail` about this occurrence,
the HTTP `status`, and for bad input `errors`: each wrong field with its messages.
"""

from __future__ import annotations

import json

from flask import Response
from flask_babel import lazy_gettext as _l

PROBLEM_TYPE = "application/problem+json"
TYPE_PREFIX = "tag:vitrine,2026:problem:"  # a name, not a page to fetch (RFC 9457 section 3.1.1)

# code -> title; the code is the contract, the title may be reworded and is translated
TITLES = {
    "invalid-request": _l("The request does not follow the API contract"),
    "invalid-query": _l("Some query parameters are not valid"),
    "invalid-body": _l("Some fields of the body are not valid"),
    "unauthorized": _l("A valid API token is required"),
    "insufficient-scope": _l("This token does not have the permission needed"),
    "forbidden": _l("Not allowed"),
    "not-found": _l("Not found"),
    "method-not-allowed": _l("Method not allowed"),
    "conflict": _l("Conflicts with the current state"),
    "sku-taken": _l("This SKU is already used"),
    "status-conflict": _l("The order's status does not allow this"),
    "idempotency-key-in-use": _l("A request with this Idempotency-Key is still running"),
    "precondition-failed": _l("The resource changed since you read it"),
    "payload-too-large": _l("The request is too large"),
    "unsupported-media-type": _l("Unsupported Content-Type"),
    "unprocessable": _l("A shop rule refuses this request"),
    "idempotency-key-reused": _l("This Idempotency-Key was used with another request"),
    "inventory-rejected": _l("Some inventory items cannot apply"),
    "pickup-code-required": _l("The pickup code is required"),
    "wrong-pickup-code": _l("Wrong pickup code"),
    "reason-required": _l("A reason is required"),
    "rate-limited": _l("Too many requests"),
    "server-error": _l("Server error"),
    "unavailable": _l("Service unavailable"),
}
# the code of an error that names none, by HTTP status
STATUS_CODES = {
    400: "invalid-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    412: "precondition-failed",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "unprocessable",
    429: "rate-limited",
    500: "server-error",
    503: "unavailable",
}


def default_code(status: int) -> str:
    """The generic code of an HTTP error status."""
    return STATUS_CODES.get(status, "server-error" if status >= 500 else "invalid-request")


def problem_body(status: int, detail: str, errors: dict | None = None, code: str | None = None):
    """The problem document as a dict (`errors` only when fields are named)."""
    code = code or default_code(status)
    body = {
        "type": TYPE_PREFIX + code,
        "code": code,
        "title": str(TITLES[code]),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_response(status: int, detail: str, errors: dict | None = None, code: str | None = None):
    """An application/problem+json answer."""
    body = problem_body(status, detail, errors, code)
    return Response(json.dumps(body, ensure_ascii=False), status, mimetype=PROBLEM_TYPE)
