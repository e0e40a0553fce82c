"""Marshmallow's own messages in the reader's language ("Field may not be null." in French).

Marshmallow formats its English messages when it raises ({min} becomes 3), so they are
translated where they are shown: each known template is matched, and its values are put
into the translated template. A message of ours (already translated) passes unchanged.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

# The messages of the fields and validators our schemas use (marshmallow's wording exactly).
MESSAGES = {
    "Missing data for required field.": _l("Missing data for required field."),
    "Field may not be null.": _l("Field may not be null."),
    "Invalid value.": _l("Invalid value."),
    "Invalid input.": _l("Invalid input."),
    "Invalid input type.": _l("Invalid input type."),
    "Invalid type.": _l("Invalid type."),
    "Unknown field.": _l("Unknown field."),
    "Not a valid string.": _l("Not a valid string."),
    "Not a valid utf-8 string.": _l("Not a valid utf-8 string."),
    "Not a valid integer.": _l("Not a valid integer."),
    "Not a valid number.": _l("Not a valid number."),
    "Number too large.": _l("Number too large."),
    "Special numeric values (nan or infinity) are not permitted.": _l(
        "Special numeric values (nan or infinity) are not permitted."
    ),
    "Not a valid boolean.": _l("Not a valid boolean."),
    "Not a valid list.": _l("Not a valid list."),
    "Not a valid mapping type.": _l("Not a valid mapping type."),
    "Not a valid date.": _l("Not a valid date."),
    "Not a valid datetime.": _l("Not a valid datetime."),
    "Not a valid email address.": _l("Not a valid email address."),
    "Not a valid URL.": _l("Not a valid URL."),
    "String does not match expected pattern.": _l("String does not match expected pattern."),
    "Shorter than minimum length {min}.": _l("Shorter than minimum length {min}."),
    "Longer than maximum length {max}.": _l("Longer than maximum length {max}."),
    "Length must be between {min} and {max}.": _l("Length must be between {min} and {max}."),
    "Length must be {equal}.": _l("Length must be {equal}."),
    "Must be one of: {choices}.": _l("Must be one of: {choices}."),
    "Must be greater than or equal to {min}.": _l("Must be greater than or equal to {min}."),
    "Must be greater than {min}.": _l("Must be greater than {min}."),
    "Must be less than or equal to {max}.": _l("Must be less than or equal to {max}."),
    "Must be less than {max}.": _l("Must be less than {max}."),
    "Must be greater than or equal to {min} and less than or equal to {max}.": _l(
        "Must be greater than or equal to {min} and less than or equal to {max}."
    ),
}
_FIELD = re.compile(r"\\\{(\w+)\\\}")
# Each template as a pattern: {min} captures what marshmallow formatted in its place. The
# longest first: "greater than {min}" would also match "greater than or equal to 3".
_PATTERNS = [
    (re.compile("^" + _FIELD.sub(r"(?P<\1>.+?)", re.escape(english)) + "$"), french)
    for english, french in sorted(MESSAGES.items(), key=lambda item: -len(item[0]))
]


def translate_validation(message: str) -> str:
    """Marshmallow's `message` in the current language; any other message as it is."""
    for pattern, translated in _PATTERNS:
        match = pattern.match(message)
        if match:
            return str(translated).format(**match.groupdict())
    return message
