"""French typography: a narrow no-break space (U+202F) before ; : ! ? » and €, and after «.

French sets these signs apart from the word before them, and the space must not break: a line
never starts with ":" or "€". The French catalogue is written this way (tests/test_typography.py
checks it); amounts and the labels that templates join to a value ("Total : 12,50 €") go through
the helpers below.
"""

from __future__ import annotations

import re

NNBSP = "\u202f"  # NARROW NO-BREAK SPACE
# A space, a no-break space or a narrow one, where French wants the narrow no-break space.
_BEFORE = re.compile(r"[ \u00a0\u202f]+(?=[;:!?»€])")
_AFTER = re.compile(r"(?<=«)[ \u00a0\u202f]+")


def is_french(locale: object) -> bool:
    """True for French in any region ("fr", "fr_FR", a babel Locale)."""
    return str(locale or "").lower().startswith("fr")


def french_spacing(text: str) -> str:
    """Make every space before ; : ! ? » € (and after «) a narrow no-break space."""
    return _AFTER.sub(NNBSP, _BEFORE.sub(NNBSP, text))


def colon_for(locale: object) -> str:
    """What follows a label before its value: " :" (narrow no-break space) in French, ":" else."""
    return f"{NNBSP}:" if is_french(locale) else ":"
