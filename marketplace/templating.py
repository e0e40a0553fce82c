"""Template filters and globals: money, local dates, distances, French colons, category labels."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime

from babel import dates
from flask import Flask, request
from flask_babel import format_date, format_decimal, get_locale, get_timezone, to_user_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from marketplace.curation.audit_labels import audit_action_label, audit_target_label
from marketplace.money import format_money
from marketplace.orders.reasons import reason_in_words
from marketplace.typography import colon_for, is_french
from payments.dispute_reasons import dispute_reason_label
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

# Every date and time shown is written with one of these named formats (English, French), in
# the town's time zone: clear words, a 24-hour clock, never a numeric date a reader could take
# for the US order ("12/4/26, 9:44 PM"). tests/test_dates.py checks that templates use only these.
DATETIME_FORMATS = {
    # "Friday 4 December, 21:44" / "vendredi 4 décembre à 21:44": pickups, slots.
    "when": ("EEEE d MMMM, HH:mm", "EEEE d MMMM 'à' HH:mm"),
    # The same with the year, for what is kept (order pages, receipts).
    "when_year": ("EEEE d MMMM y, HH:mm", "EEEE d MMMM y 'à' HH:mm"),
    # "4 Dec 2026, 21:44" / "4 déc. 2026 à 21:44": dense tables and histories.
    "stamp": ("d MMM y, HH:mm", "d MMM y 'à' HH:mm"),
    # "Saturday at 09:00" / "samedi à 09:00": the next opening, within the week.
    "weekday_time": ("EEEE 'at' HH:mm", "EEEE 'à' HH:mm"),
    "time": ("HH:mm", "HH:mm"),
    # Machine-readable, in links only (a pickup slot's tickets): never shown as text.
    "slot_key": ("yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm"),
}
DATE_FORMATS = {
    "date": ("d MMMM y", "d MMMM y"),  # "4 December 2026" / "4 décembre 2026"
    "day": ("EEEE d MMMM y", "EEEE d MMMM y"),  # "Friday 4 December 2026"
    "short_date": ("d MMM y", "d MMM y"),  # "4 Dec 2026" / "4 déc. 2026"
    "month": ("MMMM y", "MMMM y"),  # "December 2026" / "décembre 2026"
}


def current_locale() -> str:
    """Return the current language code ('fr' or 'en')."""
    return str(get_locale() or "fr")


def _pattern(formats: dict, name: str, day: int, locale: str | None = None) -> str:
    """The Babel pattern of a named format in `locale` (by default the current language)."""
    if name not in formats:
        raise ValueError(f"unknown date format {name!r}: use one of {sorted(formats)}")
    english, french = formats[name]
    if not is_french(locale or current_locale()):
        return english
    # French writes the first of the month as an ordinal: "1er décembre".
    return french.replace("d ", "d'er' ", 1) if day == 1 else french


def local_datetime(value: datetime | None, name: str = "when") -> str:
    """Format a UTC datetime in the town's time zone and the user's language, by format name."""
    if value is None:
        return ""
    return _local_datetime(value, name, str(get_locale() or "fr"), get_timezone())


@functools.lru_cache(maxsize=8192)
def _local_datetime(value: datetime, name: str, locale: str, zone) -> str:
    # Babel takes ~0.1 ms per date, and a checkout page writes two per pickup slot for a week
    # of slots (the same ones for every resident): each (moment, format, language, zone) once.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # as flask_babel: a naive datetime is UTC
    local_day = value.astimezone(zone).day
    pattern = _pattern(DATETIME_FORMATS, name, local_day, locale)
    return dates.format_datetime(value, pattern, tzinfo=zone, locale=locale)


def local_date(value: date | None, name: str = "date") -> str:
    """Format a date (a day of the town's calendar) in the user's language, by format name."""
    if value is None:
        return ""
    return format_date(value, _pattern(DATE_FORMATS, name, value.day))


def local_day(value: datetime) -> date:
    """The town's calendar day of a UTC datetime (for links such as ?day=2026-12-04)."""
    return to_user_timezone(value).date()


def money_filter(cents: int | None) -> str:
    """Format cents as euros in the current language."""
    return format_money(cents, current_locale())


def category_label(code: str | None) -> str:
    """Return the label of a shop category code in the current language."""
    category = get_category(code)
    return category.label(current_locale()) if category else (code or "")


def decimal_filter(value: float | None, places: int | None = None) -> str:
    """Format a number for the user's language: 1,5 in French, 1.5 in English (fixed places if given)."""
    if value is None:
        return ""
    pattern = "#,##0." + "0" * places if places else "#,##0.##"
    return format_decimal(round(value, places or 2), format=pattern)


def format_km(km: float) -> str:
    """Format a distance for the visitor's language: "1,2 km" in French, "1.2 km" in English."""
    return _("%(km)s km", km=decimal_filter(km, 1))


@pass_eval_context
def colon_filter(eval_ctx: EvalContext, label: str) -> str:
    """A label and its colon, "Total :" in French (narrow no-break space), "Total:" in English."""
    if eval_ctx.autoescape:  # HTML: the label is escaped (unless it is markup already)
        return Markup("{}{}").format(label, colon_for(current_locale()))
    return f"{label}{colon_for(current_locale())}"  # plain-text emails: nothing to escape


def register(app: Flask) -> None:
    """Register filters and globals on `app`."""
    app.add_template_filter(money_filter, "money")
    app.add_template_filter(category_label, "category_label")
    app.add_template_filter(local_datetime, "local_datetime")
    app.add_template_filter(local_date, "local_date")
    app.add_template_filter(local_day, "local_day")
    app.add_template_filter(decimal_filter, "decimal")
    app.add_template_filter(format_km, "km")
    app.add_template_filter(colon_filter, "colon")
    app.add_template_filter(audit_action_label, "audit_action")  # shop.published in words
    app.add_template_filter(audit_target_label, "audit_target")  # shop #3 in words
    app.add_template_filter(reason_in_words, "order_reason")  # "cancelled by the customer"
    app.add_template_filter(dispute_reason_label, "dispute_reason")  # Stripe's "fraudulent"
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
