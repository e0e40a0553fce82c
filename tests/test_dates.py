"""Dates and times are written in words, in the visitor's language and the town's time zone, with
the named formats of marketplace/templating.py: never "12/4/26, 9:44 PM"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from marketplace.templating import DATE_FORMATS, DATETIME_FORMATS, local_date, local_datetime

ROOT = Path(__file__).resolve().parents[1]
# 8:44 PM in UTC on Friday 4 December 2026 is 21:44 in Paris (UTC+1 in winter).
EVENING = datetime(2026, 12, 4, 20, 44, tzinfo=UTC)
US_SHORT = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b[AP]M\b")


def in_language(app, language, function, *args):
    with app.app_context(), app.test_request_context(headers={"Accept-Language": language}):
        return function(*args)


@pytest.mark.parametrize(
    ("name", "english", "french"),
    [
        ("when", "Friday 4 December, 21:44", "vendredi 4 décembre à 21:44"),
        ("when_year", "Friday 4 December 2026, 21:44", "vendredi 4 décembre 2026 à 21:44"),
        ("stamp", "4 Dec 2026, 21:44", "4 déc. 2026 à 21:44"),
        ("weekday_time", "Friday at 21:44", "vendredi à 21:44"),
        ("time", "21:44", "21:44"),
    ],
)
def test_datetimes_are_in_words_in_the_town_s_zone(app, name, english, french):
    assert in_language(app, "en", local_datetime, EVENING, name) == english
    assert in_language(app, "fr", local_datetime, EVENING, name) == french


def test_no_format_writes_a_us_short_date(app):
    for name in DATETIME_FORMATS:
        shown = in_language(app, "en", local_datetime, EVENING, name)
        assert not US_SHORT.search(shown), (name, shown)
    for name in DATE_FORMATS:
        shown = in_language(app, "en", local_date, EVENING.date(), name)
        assert not US_SHORT.search(shown), (name, shown)


def test_dates_are_in_words(app):
    day = date(2026, 12, 4)
    assert in_language(app, "en", local_date, day) == "4 December 2026"
    assert in_language(app, "fr", local_date, day) == "4 décembre 2026"
    assert in_language(app, "en", local_date, day, "day") == "Friday 4 December 2026"
    assert in_language(app, "fr", local_date, day, "month") == "décembre 2026"
    assert in_language(app, "fr", local_date, None) == ""


def test_french_writes_the_first_of_the_month_as_an_ordinal(app):
    # 23:30 UTC on 30 November is already 1 December in Paris: the town's day counts.
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert in_language(app, "fr", local_datetime, late) == "mardi 1er décembre à 00:30"
    assert in_language(app, "en", local_datetime, late) == "Tuesday 1 December, 00:30"
    assert in_language(app, "fr", local_date, date(2027, 1, 1)) == "1er janvier 2027"


def test_summer_time_is_the_town_s_too(app):
    summer = datetime(2026, 7, 14, 8, 0, tzinfo=UTC)
    assert in_language(app, "fr", local_datetime, summer, "time") == "10:00"


def test_an_unknown_format_name_is_a_mistake_not_a_guess(app):
    with pytest.raises(ValueError, match="unknown date format 'short'"):
        in_language(app, "en", local_datetime, EVENING, "short")


def test_templates_name_their_date_formats():
    """Every |local_datetime / |local_date in a template uses one of the named formats."""
    used = re.compile(r"\|\s*local_(datetime|date)\b(?:\(\s*['\"]([^'\"]*)['\"])?")
    wrong = []
    for path in sorted((ROOT / "templates").rglob("*.*")):
        for kind, name in used.findall(path.read_text(encoding="utf-8")):
            formats = DATETIME_FORMATS if kind == "datetime" else DATE_FORMATS
            if name and name not in formats:
                wrong.append(f"{path.relative_to(ROOT)}: local_{kind}({name!r})")
    assert not wrong, "use a named format of marketplace/templating.py:\n" + "\n".join(wrong)


def test_templates_never_format_dates_themselves():
    """strftime and isoformat in a template are for URLs and form values, never for reading."""
    risky = re.compile(r"\{\{[^}]*\.(strftime|isoformat)\(")
    allowed = re.compile(r"url_for\(|value=\"\{\{")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:90]}"
        for path in sorted((ROOT / "templates").rglob("*.*"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for part in re.findall(r"[^{]*\{\{[^}]*\}\}", line)
        if risky.search(part) and not allowed.search(part)
    ]
    assert not found, "write dates with |local_date or |local_datetime:\n" + "\n".join(found)
