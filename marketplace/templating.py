"""Template filters and globals: money, local dates, category labels."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import lazy_gettext as _l

from marketplace.money import format_money
from shops.categories import get_category
from shops.hours import format_clock
from shops.pictograms import pictogram_file, shop_pictogram_file

WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


def current_locale() -> str:
    """Return the current language code ('fr' or 'en')."""
    return str(get_locale() or "fr")


def money_filter(cents: int | None) -> str:
    """Format cents as euros in the current language."""
    return format_money(cents, current_locale())


def category_label(code: str | None) -> str:
    """Return the label of a shop category code in the current language."""
    category = get_category(code)
    return category.label(current_locale()) if category else (code or "")


def local_datetime(value: datetime | None, fmt: str = "medium") -> str:
    """Format a UTC datetime in the town's time zone and the user's language."""
    return format_datetime(value, fmt) if value else ""


def local_date(value: date | None, fmt: str = "medium") -> str:
    """Format a date in the user's language."""
    return format_date(value, fmt) if value else ""


def decimal_filter(value: float | None, places: int | None = None) -> str:
    """Format a number for the user's language: 1,5 in French, 1.5 in English (fixed places if given)."""
    if value is None:
        return ""
    pattern = "#,##0." + "0" * places if places else "#,##0.##"
    return format_decimal(round(value, places or 2), format=pattern)


def register(app: Flask) -> None:
    """Register filters and globals on `app`."""
    app.add_template_filter(money_filter, "money")
    app.add_template_filter(category_label, "category_label")
    app.add_template_filter(local_datetime, "local_datetime")
    app.add_template_filter(local_date, "local_date")
    app.add_template_filter(decimal_filter, "decimal")
    app.add_template_filter(format_clock, "clock")
    app.add_template_filter(pictogram_file, "pictogram")  # static file of a type's icon
    app.add_template_filter(shop_pictogram_file, "shop_pictogram")

    @app.context_processor
    def inject_globals() -> dict:
        return {
            "current_locale": current_locale(),
            "weekday_names": WEEKDAYS,
            "town_name": app.config["TOWN_NAME"],
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
