"""Turn what a resident typed into words and quoted phrases, without any query syntax.

User text never reaches Whoosh's query parser: `*`, `~`, `AND(`, unbalanced quotes or emoji are
just characters here, so no input can raise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from search.analysis import words

MAX_WORDS = 12  # a query is a few words; the rest of a pasted paragraph is ignored


@dataclass
class ParsedQuery:
    """Folded words (phrase words included) and the quoted phrases."""

    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)


def parse_user_query(text: str) -> ParsedQuery:
    """Split on balanced double quotes; an unbalanced quote is ignored."""
    parsed = ParsedQuery()
    parts = (text or "").replace("«", '"').replace("»", '"').replace("“", '"').split('"')
    if len(parts) % 2 == 0:  # odd number of quotes: the last one opens nothing
        parts[-2:] = [parts[-2] + " " + parts[-1]]
    for i, part in enumerate(parts):
        found = [w for w in words(part) if w.strip("_")]
        if i % 2 == 1 and len(found) > 1:
            parsed.phrases.append(found[:MAX_WORDS])
        parsed.words.extend(found)
    parsed.words = parsed.words[:MAX_WORDS]
    return parsed
