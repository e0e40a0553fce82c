"""Score one query word over every field, term-at-a-time (BM25 with field weights).

Ranking decisions (docs/search.md explains them):
- the unstemmed name field weighs twice the stemmed one, so "sauce" ranks sauces above saucisses;
- name fields are length-normalised (a short name that matches is more about the word);
- a category label counts more on a shop than on each of its products, so "boulangerie"
  lists bakeries before their baguettes;
- descriptions (ingredient lists) count little: they widen recall, they do not lead.
"""

from __future__ import annotations

import math

from search.analysis import english_stem_word, french_stem
from search.schema import IS_PRODUCT

K1 = 1.2
B = 0.75
EXACT, STEM, ENGLISH = "exact", "stem", "english"

# field, which form of the word it holds, weight, length-normalised?
FIELDS = (
    ("name_exact", EXACT, 3.0, True),
    ("name", STEM, 1.5, True),
    ("name_en", ENGLISH, 1.2, True),
    ("labels", STEM, 0.5, False),
    ("labels_en", ENGLISH, 0.5, False),
    ("shop_name", EXACT, 0.4, False),
    ("description", STEM, 0.2, False),
)
SHOP_LABEL_FACTOR = 2.0  # a shop's category label describes the shop itself


def forms(word: str) -> dict[str, str]:
    """The term a folded word becomes in each kind of field."""
    return {EXACT: word, STEM: french_stem(word), ENGLISH: english_stem_word(word)}


def score_word(snapshot, word: str, factor: float = 1.0, fields=FIELDS) -> dict[int, float]:
    """Document -> score for one folded word, summed over the fields it appears in."""
    terms = forms(word)
    scores: dict[int, float] = {}
    n = max(snapshot.size, 1)
    for field, form, weight, normalised in fields:
        term = terms[form]
        if not term:
            continue
        ids, weights = snapshot.postings(field, term)
        if not ids:
            continue
        df = len(ids)
        idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5)) * weight * factor
        values = _field_scores(snapshot, field, normalised, idf, ids, weights)
        if not scores:
            scores = dict(zip(ids, values, strict=True))
            continue
        get = scores.get
        for d, v in zip(ids, values, strict=True):
            scores[d] = get(d, 0.0) + v
    return scores


def _field_scores(snapshot, field, normalised, idf, ids, weights) -> list[float]:
    """BM25 term scores of one field, as one list comprehension (the hot loop)."""
    top = idf * (K1 + 1)
    if normalised:
        name_len, scale = snapshot.name_len, K1 * B / snapshot.avg_name_len
        base = K1 * (1 - B)
        return [
            top * tf / (tf + base + scale * name_len[d]) for d, tf in zip(ids, weights, strict=True)
        ]
    if field.startswith("labels"):
        flags = snapshot.flags
        return [
            top * tf / (tf + K1) * (1.0 if flags[d] & IS_PRODUCT else SHOP_LABEL_FACTOR)
            for d, tf in zip(ids, weights, strict=True)
        ]
    return [top * tf / (tf + K1) for tf in weights]


def merge_best(target: dict[int, float], other: dict[int, float]) -> None:
    """Keep, per document, the better of two alternative spellings' scores."""
    for d, s in other.items():
        if s > target.get(d, 0.0):
            target[d] = s


def combine_all(per_word: list[dict[int, float]]) -> dict[int, float]:
    """AND: documents matching every word, scores summed."""
    if not per_word:
        return {}
    ordered = sorted(per_word, key=len)
    result = dict(ordered[0])
    for scores in ordered[1:]:
        result = {d: s + scores[d] for d, s in result.items() if d in scores}
        if not result:
            break
    return result


def combine_any(per_word: list[dict[int, float]]) -> dict[int, float]:
    """OR: documents matching any word; those matching more words score more."""
    result: dict[int, float] = {}
    for scores in per_word:
        for d, s in scores.items():
            result[d] = result.get(d, 0.0) + s
    return result
