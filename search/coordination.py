"""Query words -> scored units, and coordination: every unit first, then most units.

- A negation ("sans", "without", "no") binds to the next word and "free" to the previous one:
  "compote sans sucre" and "sugar-free compote" are two units, compote and the phrase
  "sans sucre"; a product matches the phrase only when its name says it.
- An English word the lexicon knows ("juice") is also scored as its French words ("jus") at full
  weight, per document the better of the two: a translated match counts like a native one.
- The head of the query (its first word in French, its last in English: "jus d'orange",
  "orange juice") decides which partial matches come first.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.query import Or, Phrase

from search import scoring
from search.analysis import ENGLISH_STOPS
from search.glossary import ENGLISH_PHRASES, NEGATIONS, POSTFIX_NEGATIONS, french_words

SECOND_TRANSLATION = 0.85  # "sausage" is saucisse first, saucisson after
FILLED = 200  # full matches that fill ten pages: partial matches are not looked for


@dataclass
class Unit:
    """One thing the query asks for: a word, or a negated word ("sans sucre")."""

    word: str
    negated: bool = False
    french: tuple[str, ...] = ()  # the French words of an English word

    @property
    def english(self) -> bool:
        return bool(self.french)


def parse_units(words: list[str]) -> list[Unit]:
    """Words (stop words already removed) -> units, negations bound to their word."""
    units: list[Unit] = []
    negate = False
    skip = False
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if skip:
            skip = False
            continue
        compound = ENGLISH_PHRASES.get((word, following))
        if compound:
            units.append(Unit(f"{word} {following}", negate, (compound,)))
            negate, skip = False, True
            continue
        if word in NEGATIONS:
            negate = True
            continue
        if word in POSTFIX_NEGATIONS and units and not units[-1].negated:
            units[-1].negated = True
            continue
        units.append(Unit(word, negate, french_words(word)))
        negate = False
    return units


def head_index(units: list[Unit]) -> int:
    """The head noun's position: last unit for an English query, first for a French one."""
    plain = [i for i, u in enumerate(units) if not u.negated] or [0]
    english = sum(u.english for u in units)
    return plain[-1] if english * 2 > len(units) or (english and len(units) == 2) else plain[0]


def score_unit(snapshot, unit: Unit, factor: float = 1.0) -> dict[int, float]:
    """Document -> score of one unit: the word, its French translations, a negation's phrase."""
    scores = {} if " " in unit.word else scoring.score_word(snapshot, unit.word, factor)
    for i, french in enumerate(unit.french):
        weight = factor * (1.0 if i == 0 else SECOND_TRANSLATION)
        scoring.merge_best(scores, scoring.score_word(snapshot, french, weight))
    if not unit.negated:
        return scores
    targets = [unit.word, *unit.french]
    phrases = [Phrase("name_exact", ["sans", w]) for t in targets for w in (t, t + "s")]
    holding = set(snapshot.searcher.docs_for_query(Or(phrases)))
    return {d: s for d, s in scores.items() if d in holding}


def drop_empty_stops(units: list[Unit], per_unit: list[dict]) -> tuple[list[Unit], list[dict]]:
    """An English stop word that is no French word ("and", not "the" for thé) is dropped."""
    kept = [
        (u, s) for u, s in zip(units, per_unit, strict=True) if s or u.word not in ENGLISH_STOPS
    ]
    return [u for u, _ in kept], [s for _, s in kept]


def coordinate(per_unit: list[dict], head: int) -> tuple[dict[int, float], dict[int, int]]:
    """Scores of the documents matching every unit, then of those matching most of them.

    Returns (scores, rank) where rank, only for partial matches, orders them after the full
    matches: fewer units missed first, then those holding the head word. When FILLED documents
    or more match every unit, they are the results: ten pages hold no partial match, and
    summing every posting of common words would cost more than the rest of the query.
    """
    full = scoring.combine_all(per_unit)
    if len(per_unit) < 2 or len(full) >= FILLED:
        return full, {}
    needed = (len(per_unit) + 1) // 2
    counts: dict[int, int] = {}
    scores: dict[int, float] = {}
    for scores_of_unit in per_unit:
        for d, s in scores_of_unit.items():
            counts[d] = counts.get(d, 0) + 1
            scores[d] = scores.get(d, 0.0) + s
    head_docs = per_unit[head]
    rank = {}
    for d, n in counts.items():
        if n == len(per_unit):
            continue
        if n < needed:
            del scores[d]
            continue
        rank[d] = 2 * (len(per_unit) - n) - (1 if d in head_docs else 0)
    return scores, rank
