"""Opening hours in the OpenStreetMap syntax the town's files use: read, written back the same."""

from datetime import time

import pytest

from shops.hours import Interval, InvalidHours
from shops.osm_hours import format_opening_hours, parse_opening_hours


@pytest.mark.parametrize(
    "text",
    [
        "Mo-Fr 08:00-12:30,14:00-19:00; Sa 08:00-13:00; Su off",
        "Mo off; Tu-Sa 09:30-19:30; Su 09:00-13:00",
        "Mo-We 10:00-19:00; Th off; Fr-Su 10:00-19:00",
        "Mo,Tu 07:00-13:00; We-Su off",
        "Mo-Su 00:00-24:00",
        "Mo-Sa 18:00-24:00; Su off",
        "Mo 08:00-12:00; Tu 08:00-12:00,13:00-17:00; We 08:00-12:00; Th-Su off",
    ],
)
def test_parse_then_format_gives_the_same_text(text):
    assert format_opening_hours(parse_opening_hours(text)) == text


def test_split_days_and_closed_days_are_read_right():
    intervals = parse_opening_hours("Mo-Fr 08:00-12:30,14:00-19:00; Sa 08:00-13:00; Su off")
    assert intervals[:2] == [
        Interval(0, time(8), time(12, 30)),
        Interval(0, time(14), time(19)),
    ]
    assert len(intervals) == 11
    assert [i for i in intervals if i.weekday == 5] == [Interval(5, time(8), time(13))]
    assert [i for i in intervals if i.weekday == 6] == []


def test_a_later_rule_replaces_an_earlier_one_for_its_days():
    intervals = parse_opening_hours("Mo-Sa 09:00-19:00; We off; Sa 09:00-12:00")
    assert format_opening_hours(intervals) == (
        "Mo,Tu 09:00-19:00; We off; Th,Fr 09:00-19:00; Sa 09:00-12:00; Su off"
    )


def test_a_day_range_can_wrap_round_the_week():
    assert format_opening_hours(parse_opening_hours("Fr-Mo 10:00-18:00")) == (
        "Mo 10:00-18:00; Tu-Th off; Fr-Su 10:00-18:00"
    )


def test_empty_text_means_no_hours_and_24_7_means_always():
    assert parse_opening_hours("") == []
    assert format_opening_hours([]) == ""
    assert format_opening_hours(parse_opening_hours("24/7")) == "Mo-Su 00:00-24:00"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mo 25:00-26:00", "bad_time"),
        ("Mo 08:00-24:30", "bad_time"),
        ("Mo 08:60-12:00", "bad_time"),
        ("Xx 08:00-09:00", "bad_days"),
        ("Mo-Xx 08:00-09:00", "bad_days"),
        ("Mo 08:00", "bad_rule"),
        ("Mo", "bad_rule"),
        ("Mo 12:00-08:00", "closes_before_opens"),
        ("Mo 08:00-13:00,12:00-19:00", "overlap"),
    ],
)
def test_hours_outside_the_syntax_are_refused(text, code):
    with pytest.raises(InvalidHours) as error:
        parse_opening_hours(text)
    assert error.value.code == code
