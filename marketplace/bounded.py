"""Bounds on what users type into URLs and forms, so that odd input gets a 4xx, never a 500.

The database's integers are 32-bit signed (PostgreSQL INTEGER); Python's int() accepts
superscripts' neighbours ("٣") and str.isdigit() accepts "²", which int() refuses.
"""

from __future__ import annotations

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter

MAX_DB_INT = 2**31 - 1
MAX_PAGE = 100_000  # far beyond any listing; above it OFFSET would only scan for nothing
# Search cleans what users type (NUL included) and answers every string with results or none
# (tests/search/test_fuzz.py); a 400 there would break that contract.
CLEANS_ITS_OWN_QUERY = {"search.page", "search.suggest", "api.search_api.api_search"}
NUL_MESSAGE = _l("This field contains a character that is not allowed.")


class BoundedIntConverter(IntegerConverter):
    """<int:...> in URL rules: ASCII digits only, at most the database's largest id (else 404)."""

    regex = r"[0-9]{1,10}"

    def __init__(
        self, url_map, fixed_digits: int = 0, min: int | None = None, max: int | None = None
    ):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max or MAX_DB_INT)


def db_int(text: object) -> int | None:
    """The id written in `text` (ASCII digits, within the database's range), or None."""
    value = str(text or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 10:
        return None
    number = int(value)
    return number if number <= MAX_DB_INT else None


def page_arg(name: str = "page") -> int:
    """The page number of the query string: 1 when missing or unreadable, 404 when absurd."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return 1
    if not (raw.isascii() and raw.isdigit()):
        return 1
    if len(raw) > 6 or int(raw) > MAX_PAGE:
        abort(404)
    return max(int(raw), 1)


def has_nul(values) -> bool:
    """True if any of the text values holds a NUL character (PostgreSQL refuses them in text)."""
    return any(isinstance(v, str) and "\x00" in v for v in values or ())


class Form(FlaskForm):
    """FlaskForm that refuses NUL characters in any text field with a form error."""

    def validate(self, extra_validators=None) -> bool:
        """Validate the fields, then flag every field whose input holds a NUL."""
        valid = super().validate(extra_validators)
        for field in self:
            if has_nul(field.raw_data):
                field.errors = [*field.errors, NUL_MESSAGE]
                valid = False
        return valid


def register(app: Flask) -> None:
    """Bound <int:...> converters and refuse NUL characters in query strings (400)."""
    app.url_map.converters["int"] = BoundedIntConverter

    @app.before_request
    def refuse_nul_in_query():
        if request.endpoint in CLEANS_ITS_OWN_QUERY:
            return
        if "\x00" in request.path or any(has_nul(v) for v in request.args.listvalues()):
            abort(400)
