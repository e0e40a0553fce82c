"""How each search query-string value is read: forgiving text, where an empty value is no filter
and a value that cannot be read is refused with a message in the user's language."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import NoReturn

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields

MAX_QUERY = 2000  # characters accepted; longer text is cut, never refused
MAX_PRICE_EUR = Decimal(100_000)
MAX_RADIUS_KM = 50.0
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}
FLAG_TEXT = "1/true/yes/on or 0/false/no/off"


class _Forgiving:
    """A query-string value: empty (or, where `blank_is_unset`, only spaces) means not given."""

    blank_is_unset = True

    def __init__(self, *args, message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.message = message

    def _deserialize(self, value, attr, data, **kwargs):
        if value == "" or (self.blank_is_unset and not value.strip()):
            return None
        return self.read(value)

    def read(self, raw: str):
        """The value of `raw` (not blank), or refuse it."""
        raise NotImplementedError

    def refuse(self, message=None) -> NoReturn:
        """Refuse the value with this field's message (or `message`), in the user's language."""
        raise ValidationError(str(message or self.message))


class Words(fields.String):
    """What to find: any text, cut at MAX_QUERY characters."""

    def _deserialize(self, value, attr, data, **kwargs):
        return value[:MAX_QUERY]


class Choice(_Forgiving, fields.String):
    """One of a fixed set of codes (spaces trimmed)."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def read(self, raw: str) -> str:
        value = raw.strip()
        if value not in self.choices:
            self.refuse()
        return value


class SortOrder(Choice):
    """A sort order: only an empty value is the default (spaces are a wrong order)."""

    blank_is_unset = False


class Matching(_Forgiving, fields.String):
    """Text matching a pattern (spaces trimmed): a slug, a postcode."""

    def __init__(self, pattern: re.Pattern, **kwargs):
        super().__init__(**kwargs)
        self.pattern = pattern

    def read(self, raw: str) -> str:
        value = raw.strip()
        if not self.pattern.match(value):
            self.refuse()
        return value


class Euros(_Forgiving, fields.String):
    """A price in euros ("2.50" or "2,50"), read as cents."""

    def read(self, raw: str) -> int:
        try:
            value = Decimal(raw.replace(",", ".").strip())
        except InvalidOperation:
            self.refuse(_l("Enter a price in euros, such as 12.50."))
        if not value.is_finite() or value < 0 or value > MAX_PRICE_EUR:
            self.refuse(_l("Enter a price between 0 and 100,000 €."))
        return int((value * 100).to_integral_value())


class Flag(_Forgiving, fields.String):
    """Yes or no, in the words of FLAG_TEXT."""

    def read(self, raw: str) -> bool:
        value = raw.strip().lower()
        if value not in TRUE | FALSE:
            self.refuse(_l("Use 1 or 0."))
        return value in TRUE


class Position(_Forgiving, fields.String):
    """latitude,longitude in degrees."""

    def read(self, raw: str) -> tuple[float, float]:
        try:
            lat_text, lon_text = raw.split(",")
            lat, lon = float(lat_text), float(lon_text)
        except ValueError:
            lat = lon = math.nan  # refused below, with the same message
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.refuse(_l("Give a position as latitude,longitude."))
        return lat, lon


class Kilometres(_Forgiving, fields.Float):
    """A distance from 0 (excluded) to MAX_RADIUS_KM."""

    def read(self, raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not 0 < value <= MAX_RADIUS_KM:
            self.refuse(_l("Enter a distance from 0.1 to 50 km."))
        return value


class WholeNumber(_Forgiving, fields.Integer):
    """A whole number within [low, high]; only an empty value is the default (not spaces)."""

    blank_is_unset = False

    def __init__(self, low: int, high: int, **kwargs):
        super().__init__(metadata={"minimum": low, "maximum": high}, **kwargs)
        self.low, self.high = low, high

    def read(self, raw: str) -> int:
        try:  # isdigit() also accepts "²", which int() refuses
            value = int(raw) if raw.strip().isdigit() else None
        except ValueError:
            value = None
        if value is None or not self.low <= value <= self.high:
            self.refuse(
                _l("Enter a whole number from %(low)s to %(high)s.", low=self.low, high=self.high)
            )
        return value
