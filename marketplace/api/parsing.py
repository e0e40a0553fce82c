"""Reading a request: declared query strings (anything else refused) and JSON bodies."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from marshmallow import RAISE, Schema, ValidationError

from marketplace.api.errors import ApiError, invalid
from marketplace.api.v1 import bp
from search.params import SearchParamsSchema

SEARCH_ENDPOINT = "api.search_api.api_search"
# endpoint -> the query string it accepts; search's view lives in search/, its schema too
QUERY_SCHEMAS: dict[str, type[Schema]] = {SEARCH_ENDPOINT: SearchParamsSchema}


def query(schema: type[Schema]):
    """Declare the query parameters of an operation; anything else is refused with a 400."""

    def decorator(view):
        QUERY_SCHEMAS[f"{bp.name}.{view.__name__}"] = schema
        return view

    return decorator


def _allowed_params() -> frozenset[str] | None:
    schema = QUERY_SCHEMAS.get(request.endpoint or "")
    if schema is None:
        return None
    return frozenset(f.data_key or name for name, f in schema().fields.items())


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
        raise ApiError(
            400, _("Some query parameters are not accepted."), details, code="invalid-query"
        )
    return None


def parse_query() -> dict:
    """The current operation's query parameters, checked by its declared schema."""
    schema = QUERY_SCHEMAS[request.endpoint or ""]()
    try:
        return schema.load(request.args.to_dict(), unknown=RAISE)
    except ValidationError as error:
        raise invalid(error, _("Some query parameters are not valid."), "invalid-query") from error


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
    """The JSON body checked by `schema`; unknown fields are refused, another Content-Type is 415."""
    if request.mimetype != "application/json":
        raise ApiError(
            415,
            _("Send the body as JSON (Content-Type: application/json)."),
            code="unsupported-media-type",
        )
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, _("Send a JSON object."), code="invalid-body")
    if unstorable := _unstorable_text(data):
        raise ApiError(400, _("Some values are not valid."), unstorable, code="invalid-body")
    try:
        return schema.load(data, partial=partial, unknown=RAISE)
    except ValidationError as error:
        raise invalid(error) from error
