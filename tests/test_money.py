"""Prices typed by people become integer cents; cents are shown the way each language writes them."""

import pytest

from marketplace.money import InvalidPrice, format_money, parse_price


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("12,50", 1250),
        ("12.50", 1250),
        ("12,5", 1250),
        ("12", 1200),
        ("0,05", 5),
        ("1 234,50 €", 123450),
        ("1\u202f234,50\u00a0€", 123450),
        (" 7,90 ", 790),
    ],
)
def test_prices_typed_the_french_or_english_way(typed, cents):
    assert parse_price(typed) == cents


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("-5,00", "negative"),
        ("0", "zero"),
        ("0,00", "zero"),
        ("12,505", "format"),
        ("12,50,1", "format"),
        ("abc", "format"),
        ("", "format"),
        (None, "missing"),
        ("10000000", "format"),
        ("1000000,01", "too_large"),
    ],
)
def test_prices_that_cannot_be_right_are_refused(typed, reason):
    with pytest.raises(InvalidPrice) as error:
        parse_price(typed)
    assert str(error.value) == reason


def test_cents_are_shown_in_the_user_s_language():
    # French: a narrow no-break space before "€", as between thousands (Babel puts a wider one).
    assert format_money(1250, "fr") == "12,50\u202f€"
    assert format_money(123450, "fr") == "1\u202f234,50\u202f€"
    assert format_money(-1250, "fr_FR") == "-12,50\u202f€"
    assert format_money(1250, "en") == "€12.50"
    assert format_money(None, "fr") == ""


def test_a_price_shown_in_french_reads_back_as_the_same_cents():
    for cents in (1, 1250, 123450, 99_999_999):
        assert parse_price(format_money(cents, "fr")) == cents
