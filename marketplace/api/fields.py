"""Strict marshmallow fields for the API: JSON types as documented, query integers as digits."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields

from shops.schemas import MAX_STOCK, FlagField, PriceField, StockField

DIGITS = re.compile(r"^[0-9]{1,9}$")


class QueryInteger(fields.Integer):
    """An integer in a query string: plain digits only ("1.5", "+1", " 1", "1e3" are refused)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not DIGITS.match(value):
            raise ValidationError(str(_l("Enter a whole number.")))
        return super()._deserialize(int(value), attr, data, **kwargs)


class QueryFlag(fields.Boolean):
    """A yes/no query parameter: 1/0 or true/false."""

    truthy = {"1", "true"}
    falsy = {"0", "false"}


def _json_integer(value) -> int:
    # bool is a subclass of int in Python, but true is not a number in JSON.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(str(_l("Must be a whole number.")))
    return value


class PriceCents(PriceField):
    """The shared price rules, for a JSON integer number of cents."""

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        return super()._deserialize(_json_integer(value), "price_cents", data, **kwargs)


class StockUnits(StockField):
    """The shared stock rules, for a JSON integer (null: unlimited)."""

    def _deserialize(self, value, attr, data, **kwargs) -> int | None:
        if value is None:
            return None
        return super()._deserialize(_json_integer(value), attr, data, **kwargs)


class ThresholdUnits(fields.Field):
    """A low-stock alert threshold as a JSON integer from 0 (alert at or below), null: no alert."""

    def _deserialize(self, value, attr, data, **kwargs) -> int | None:
        if value is None:
            return None
        # bool is an int in Python, not a number in JSON; the form's rules, JSON's types.
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_STOCK:
            raise ValidationError(
                str(_l("Alert threshold: a whole number of units from 0, or null for no alert."))
            )
        return value


class StrictFlag(FlagField):
    """A JSON boolean."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(str(_l("Must be true or false.")))
        return value
