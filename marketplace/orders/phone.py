"""French phone numbers as people type them, checked and kept as ten national digits.

A careful rule rather than a library: a French number is 0 followed by nine digits, the first
of them 1 to 9 (01-05 geographic, 06-07 mobile, 08 special, 09 internet boxes). Written
internationally it is +33 (or 0033) and the same nine digits, sometimes with "(0)" or a 0 between;
the overseas departments (+262, +269, +590, +594, +596) use the same national form.
"""

from __future__ import annotations

import re

# Spaces (the no-break ones too), dots, dashes and slashes people put between the pairs.
SEPARATORS = re.compile(r"[\s.\-/]+")
INTERNATIONAL = re.compile(r"(?:\+|00)(33|262|269|590|594|596)(?:\(0\)|0)?([1-9][0-9]{8})")
NATIONAL = re.compile(r"0[1-9][0-9]{8}")


class NotAFrenchPhone(ValueError):
    """The text is not a French phone number."""


def normalize_phone(text: str) -> str:
    """Return the number as ten national digits (0612345678); raise NotAFrenchPhone otherwise."""
    compact = SEPARATORS.sub("", text or "")
    if NATIONAL.fullmatch(compact):
        return compact
    match = INTERNATIONAL.fullmatch(compact)
    if match:
        return "0" + match.group(2)
    raise NotAFrenchPhone(text)
