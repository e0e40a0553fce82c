"""Autocomplete for the search box: categories, shops and products whose names start so."""

from __future__ import annotations

import heapq

from search.analysis import FRENCH_STOPS, content_words, fold, words
from search.schema import IS_PRODUCT
from search.vocabulary import vocabulary_for
from shops.categories import CATEGORIES

LIMIT = 8
MAX_CATEGORIES = 2
MAX_SHOPS = 3
MAX_PREFIX = 100


def _has_words(name_words: list[str], previous: list[str], last: str) -> bool:
    return all(p in name_words for p in previous) and any(w.startswith(last) for w in name_words)


def _split(prefix: str) -> tuple[list[str], str] | None:
    typed = words(prefix[:MAX_PREFIX])
    if not typed:
        return None
    previous = [w for w in typed[:-1] if w not in FRENCH_STOPS]
    return previous, typed[-1]


def complete(snapshot, index_dir: str, prefix: str, locale: str) -> list[dict]:
    """Up to LIMIT completions, categories first, then shops, then products.

    When the last word starts no known word, it is read as a typo of the likeliest word whose
    beginning is one edit away ("boulng" -> boulangerie).
    """
    split = _split(prefix)
    if split is None:
        return []
    previous, last = split
    found = _complete(snapshot, index_dir, previous, last, locale)
    if found:
        return found
    for guess in vocabulary_for(index_dir, snapshot).fuzzy_completions(last, limit=1):
        return _complete(snapshot, index_dir, previous, guess, locale)
    return []


def _complete(snapshot, index_dir, previous: list[str], last: str, locale: str) -> list[dict]:
    found: list[dict] = []
    for category in CATEGORIES:
        label = category.label(locale)
        if _has_words(words(f"{category.fr} {category.en}"), previous, last):
            found.append({"type": "category", "value": category.code, "label": label})
        if len(found) >= MAX_CATEGORIES:
            break
    shops = [s for s, name in snapshot.shop_words if _has_words(name, previous, last)]
    for shop in sorted(shops, key=lambda s: (not s.featured, len(s.name)))[:MAX_SHOPS]:
        found.append({"type": "shop", "value": shop.slug, "label": shop.name})
    found.extend(_products(snapshot, index_dir, previous, last, LIMIT - len(found)))
    return found[:LIMIT]


def _products(snapshot, index_dir: str, previous: list[str], last: str, room: int) -> list[dict]:
    if room <= 0:
        return []
    vocabulary = vocabulary_for(index_dir, snapshot)
    candidates: set[int] = set()
    for word in vocabulary.completions(last, limit=4):
        candidates.update(snapshot.postings("name_exact", word)[0])
    for word in previous:
        candidates &= set(snapshot.postings("name_exact", word)[0])
    flags, name_len = snapshot.flags, snapshot.name_len
    products = [d for d in candidates if flags[d] & IS_PRODUCT]
    out, seen = [], set()
    for docnum in heapq.nsmallest(room * 3, products, key=lambda d: (name_len[d], d)):
        fields = snapshot.stored(docnum)
        name = fields.get("name", "")
        key = fold(" ".join(content_words(name)))
        if key in seen:
            continue
        seen.add(key)
        data = fields.get("data") or {}
        out.append(
            {
                "type": "product",
                "value": int(fields["id"].split(":", 1)[1]),
                "label": name,
                "slug": data.get("slug", ""),
                "shop_slug": data.get("shop_slug", ""),
                "shop_name": data.get("shop_name", ""),
            }
        )
        if len(out) >= room:
            break
    return out
