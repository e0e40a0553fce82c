"""French phone numbers as people type them: kept as ten national digits, the rest refused."""

import pytest

from marketplace.orders.phone import NotAFrenchPhone, normalize_phone


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("06 12 34 56 78", "0612345678"),
        ("06.12.34.56.78", "0612345678"),
        ("06-12-34-56-78", "0612345678"),
        ("01\u00a042\u00a000\u00a000\u00a000", "0142000000"),  # no-break spaces, pasted
        ("+33 6 12 34 56 78", "0612345678"),
        ("+33 (0)6 12 34 56 78", "0612345678"),
        ("+33 06 12 34 56 78", "0612345678"),
        ("0033 9 87 65 43 21", "0987654321"),
        ("+262 692 12 34 56", "0692123456"),  # La Réunion
    ],
)
def test_french_numbers_are_kept_as_national_digits(typed, kept):
    assert normalize_phone(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "06 12 34 56",  # too short
        "06 12 34 56 78 9",  # too long
        "00 12 34 56 78",  # no French number starts 00 nationally
        "6 12 34 56 78",  # the leading 0 missing
        "+44 7911 123456",  # British
        "+1 212 555 0100",
        "06 12 34 56 7x",
        "٠٦١٢٣٤٥٦٧٨",  # Arabic-Indic digits: str.isdigit() and a bare \\d accept them
        "06١٢٣٤٥٦٧٨",
    ],
)
def test_other_text_is_refused(typed):
    with pytest.raises(NotAFrenchPhone):
        normalize_phone(typed)
