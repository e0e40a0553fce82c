"""Money: euros typed by people parsed into integer cents, and cents shown in the locale."""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency

from marketplace.typography import french_spacing, is_french

MAX_PRICE_CENTS = 100_000_000  # one million euros: anything above is a typing mistake

_PRICE = re.compile(r"^\d{1,7}([.,]\d{1,2})?$")


class InvalidPrice(ValueError):
    """A price that is not a positive amount of euros with at most two decimals."""


def parse_price(text: str | int | float | None) -> int:
    """Turn "12,50", "12.50", "12" or "1 234,50 €" into cents; raise InvalidPrice otherwise."""
    if text is None:
        raise InvalidPrice("missing")
    raw = str(text).strip().replace("€", "").replace("\u00a0", "").replace("\u202f", "")
    raw = raw.replace(" ", "").strip()
    if raw.startswith("-"):
        raise InvalidPrice("negative")
    if not _PRICE.match(raw):
        raise InvalidPrice("format")
    try:
        cents = int(Decimal(raw.replace(",", ".")) * 100)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise InvalidPrice("format") from exc
    if cents <= 0:
        raise InvalidPrice("zero")
    if cents > MAX_PRICE_CENTS:
        raise InvalidPrice("too_large")
    return cents


def cents_to_decimal_text(cents: int, decimal_sep: str = ",") -> str:
    """Return "12,50" for 1250: the form in which a price is typed back into a form or CSV."""
    return f"{cents // 100}{decimal_sep}{cents % 100:02d}"


@functools.lru_cache(maxsize=8192)  # Babel's formatting costs ~0.1 ms; a catalogue page has 48
def format_money(cents: int | None, locale: str = "fr") -> str:
    """Format cents as a price for the locale: 12,50 € in French, €12.50 in English.

    French amounts take a narrow no-break space before "€", as between thousands ("1 234,50 €"):
    Babel's French pattern has a wider no-break space there.
    """
    if cents is None:
        return ""
    text = format_currency(Decimal(cents) / 100, "EUR", locale=locale)
    return french_spacing(text) if is_french(locale) else text
