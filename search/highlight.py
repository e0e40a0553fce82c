"""Highlight the matched words of a result: escaped text with <mark> around them."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from search.analysis import fold, french_stem

WORD_RE = re.compile(r"\w+", re.UNICODE)
SNIPPET_CHARS = 160


def _matcher(terms: set[str]):
    stems = {french_stem(t) for t in terms}

    def matches(word: str) -> bool:
        folded = fold(word)
        return folded in terms or french_stem(folded) in stems

    return matches


def _mark(text: str, matches) -> tuple[Markup, bool]:
    out, last, found = [], 0, False
    for m in WORD_RE.finditer(text):
        if matches(m.group()):
            out.append(escape(text[last : m.start()]))
            out.append(Markup("<mark>%s</mark>") % m.group())
            last, found = m.end(), True
    out.append(escape(text[last:]))
    return Markup("").join(out), found


def highlight_parts(name: str, summary: str, terms: set[str]) -> tuple[Markup, Markup]:
    """The name with its matched words marked, and a marked piece of the summary if only it
    matched (else empty): a result shows each once, the name as its title."""
    matches = _matcher(terms)
    marked, found = _mark(name, matches)
    if found or not summary:
        return marked, Markup("")
    for m in WORD_RE.finditer(summary):
        if matches(m.group()):
            start = max(0, m.start() - SNIPPET_CHARS // 3)
            piece = summary[start : start + SNIPPET_CHARS]
            snippet, _ = _mark(piece, matches)
            prefix = "…" if start else ""
            suffix = "…" if start + SNIPPET_CHARS < len(summary) else ""
            return marked, escape(prefix) + snippet + escape(suffix)
    return marked, Markup("")
