"""search(params) -> Results: the one search the page, the API and the benchmark call."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup
from whoosh.query import And, Phrase

from search import coordination, filters, scoring
from search.analysis import FRENCH_STOPS, content_words
from search.facets import count_facets
from search.glossary import GLOSSARY
from search.highlight import highlight_parts
from search.schema import FEATURED
from search.snapshot import TYPE_CODES, Snapshot
from search.userquery import parse_user_query
from search.vocabulary import vocabulary_for

FEW = 3  # fewer results than this and typo tolerance kicks in
FUZZY_FACTOR = 0.6  # a corrected word counts less than the word as typed
FEW_NAMES = 10  # a word no name holds as typed and this few hold stemmed may be a typo
FEATURED_BOOST = 1.15
OPEN_BOOST = 1.1
MAX_BOOST = FEATURED_BOOST * OPEN_BOOST


@dataclass
class Hit:
    """One result: a product or a shop, with what a result line shows."""

    type: str
    id: int
    name: str
    slug: str
    shop_slug: str
    shop_name: str
    sku: str | None
    price_cents: int | None
    in_stock: bool
    distance_km: float | None
    highlight: str
    summary: str
    image: str | None
    open_now: bool
    title: str = ""  # the name, matched words marked (Markup)
    snippet: str = ""  # a marked piece of the description when only it matched (Markup)
    shop_address: str = ""
    shop_category: str = ""
    product_type: str | None = None
    orderable: bool = True  # its shop has a pickup day ahead (not closed for all of them)


@dataclass
class Results:
    """A page of hits, the total, facets and the "did you mean" suggestion."""

    query: str
    total: int
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    suggestion: str | None = None
    fuzzy: bool = False
    or_fallback: bool = False  # True when no document had every word and OR was used


def search(snapshot: Snapshot, params, index_dir: str, now: datetime, tz: str) -> Results:
    """Run a search over one snapshot of the index."""
    parsed = parse_user_query(params.q)
    open_ids = filters.open_shop_ids(snapshot, now, tz)
    near = None
    if params.near:
        lat, lon = params.near
        near = filters.shops_near(snapshot.shops.values(), lat, lon, params.radius_km)
    allowed = filters.allowed_shops(snapshot, params, open_ids, near)
    keep = filters.document_filter(snapshot, params, allowed)
    scores, rank, suggestion, fuzzy, matched_all = _match(snapshot, parsed, index_dir, keep)
    if scores is None:  # no words: browse everything the filters allow
        docs = [d for d in snapshot.live_docs() if snapshot.flags[d]]
        docs = docs if keep is None else [d for d in docs if keep(d)]
        scores = dict.fromkeys(docs, 0.0)
    if scores and not any(scores.values()):  # browsing without words: featured first
        flags = snapshot.flags
        scores = {d: (FEATURED_BOOST if flags[d] & FEATURED else 1.0) for d in scores}
    start = (params.page - 1) * params.per_page
    needed = start + params.per_page
    page_docs = _order(snapshot, scores, rank, params, near, open_ids, needed)[start:]
    terms = {w for w in parsed.words if w not in FRENCH_STOPS}
    if suggestion:
        terms |= set(content_words(suggestion))
    local = now.astimezone(ZoneInfo(tz))
    hits = [_hit(snapshot, d, terms, near, params, open_ids, local) for d in page_docs]
    return Results(
        query=params.q,
        total=len(scores),
        page=params.page,
        per_page=params.per_page,
        hits=hits,
        facets=count_facets(snapshot, scores.keys(), open_ids),
        suggestion=suggestion,
        fuzzy=fuzzy,
        or_fallback=not matched_all,
    )


def _match(snapshot, parsed, index_dir, keep):
    """Score the units: all of them first, then most of them; typos when little is found."""
    words = [w for w in parsed.words if w not in FRENCH_STOPS]
    if not words and not parsed.phrases:
        return None, {}, None, False, True
    units = coordination.parse_units(words)
    per_unit = [coordination.score_unit(snapshot, u) for u in units]
    units, per_unit = coordination.drop_empty_stops(units, per_unit)
    phrase_docs = _phrase_docs(snapshot, parsed.phrases) or None  # no phrase match: words
    head = coordination.head_index(units) if units else 0

    def run(table):
        if table:
            found, rank = coordination.coordinate(table, head)
        else:  # only stop words, but in a phrase
            found, rank = dict.fromkeys(phrase_docs or (), 1.0), {}
        found = _filtered(found, keep, phrase_docs)  # filters once, on the few that matched
        full = len(found) - sum(1 for d in rank if d in found)
        return found, rank, full

    scores, rank, full = run(per_unit)
    suggestion, fuzzy = None, False
    vocabulary = vocabulary_for(index_dir, snapshot) if per_unit else None
    if per_unit and (full < FEW or any(_doubtful(snapshot, vocabulary, u) for u in units)):
        corrected, suggestion = _correct(snapshot, units, per_unit, vocabulary)
        if corrected is not per_unit:
            fuzzy_scores, fuzzy_rank, fuzzy_full = run(corrected)
            if fuzzy_full > full or (fuzzy_full == full and len(fuzzy_scores) > len(scores)):
                scores, rank, full, fuzzy = fuzzy_scores, fuzzy_rank, fuzzy_full, True
            else:
                suggestion = None
    return scores, {d: r for d, r in rank.items() if d in scores}, suggestion, fuzzy, full > 0


def _filtered(scores: dict, keep, phrase_docs) -> dict:
    if phrase_docs is not None:
        scores = {d: s for d, s in scores.items() if d in phrase_docs}
    if keep is None:
        return scores
    return {d: s for d, s in scores.items() if keep(d)}


def _phrase_docs(snapshot, phrases) -> set[int] | None:
    """Documents whose name holds each quoted phrase, in order (None: no phrase)."""
    usable = [[w for w in p if w not in FRENCH_STOPS] for p in phrases]
    usable = [p for p in usable if len(p) > 1]
    if not usable:
        return None
    query = And([Phrase("name_exact", p) for p in usable])
    return set(snapshot.searcher.docs_for_query(query))


def _correct(snapshot, units, per_unit, vocabulary):
    """Add likelier spellings of the words that find little or are rare misspellings.

    A word is corrected when it finds fewer than FEW documents and is no known word, or when it
    is a known but rare word with a far more frequent neighbour (a misspelled product name).
    """
    corrected, replaced = [], {}
    for unit, scores in zip(units, per_unit, strict=True):
        alternatives = dict(scores)
        word = unit.word
        options: list[str] = []
        if unit.english or " " in word or word in GLOSSARY:
            pass  # a word the lexicon knows is no typo
        elif word not in vocabulary and (len(scores) < FEW or _few_names(snapshot, word)):
            options = vocabulary.corrections(word)
        elif vocabulary.is_rare(word):
            options = vocabulary.frequent_neighbours(word)
        for option in options:
            scoring.merge_best(
                alternatives,
                coordination.score_unit(
                    snapshot, coordination.Unit(option, unit.negated), FUZZY_FACTOR
                ),
            )
        if options:
            replaced[word] = options[0]
        corrected.append(alternatives)
    if not replaced:
        return per_unit, None
    suggestion = " ".join(replaced.get(w, w) for w in units_words(units))
    return corrected, suggestion


def _few_names(snapshot, word: str) -> bool:
    """Few names hold the word even stemmed ("cremes" finds crème: no typo)."""
    return len(snapshot.postings("name", scoring.forms(word)[scoring.STEM])[0]) < FEW_NAMES


def _doubtful(snapshot, vocabulary, unit) -> bool:
    """A word no name holds (even stemmed), or a rare one: perhaps a typo."""
    if unit.english or " " in unit.word or unit.word in GLOSSARY:
        return False
    if unit.word not in vocabulary:
        return _few_names(snapshot, unit.word)
    return vocabulary.is_rare(unit.word)


def units_words(units) -> list[str]:
    """The words of the units as typed again, negations written in French ("sans sucre")."""
    out = []
    for unit in units:
        if unit.negated:
            out.append("sans")
        out.append(unit.word)
    return out


def _boost(snapshot, scores: dict, rank: dict, open_ids, needed: int) -> list[int]:
    """The first `needed` documents by rank, then score after the featured and open-now boosts.

    Boosts are at most MAX_BOOST, so only documents whose raw score reaches the needed-th raw
    score (of the same rank) divided by MAX_BOOST can end up in the first `needed`.
    """
    if not scores:
        return []
    flags, shop_id = snapshot.flags, snapshot.shop_id
    if rank:
        last = heapq.nsmallest(needed, scores.items(), key=lambda x: (rank.get(x[0], 0), -x[1]))
        last_rank, threshold = rank.get(last[-1][0], 0), last[-1][1] / MAX_BOOST
    else:
        last_rank, threshold = 0, heapq.nlargest(needed, scores.values())[-1] / MAX_BOOST
    boosted = []
    for d, s in scores.items():
        r = rank.get(d, 0) if rank else 0
        if r < last_rank or (r == last_rank and s >= threshold):
            if flags[d] & FEATURED:
                s *= FEATURED_BOOST
            if shop_id[d] in open_ids:
                s *= OPEN_BOOST
            boosted.append((r, -s, -snapshot.created[d], d))
    boosted.sort()
    return [d for _r, _s, _c, d in boosted[:needed]]


def _order(snapshot, scores: dict, rank: dict, params, near, open_ids, needed: int) -> list[int]:
    """The first `needed` documents in the requested order (partial matches after full ones)."""
    price, created, shop_id = snapshot.price, snapshot.created, snapshot.shop_id
    tier = rank.get
    if params.sort == "price_asc":
        return heapq.nsmallest(needed, scores, key=lambda d: (tier(d, 0), price[d] or 1 << 40, d))
    if params.sort == "price_desc":
        return heapq.nsmallest(needed, scores, key=lambda d: (tier(d, 0), -price[d], d))
    if params.sort == "newest":
        return heapq.nsmallest(needed, scores, key=lambda d: (tier(d, 0), -created[d], d))
    if params.sort == "distance" and params.near:
        km = filters.distances(snapshot.shops.values(), *params.near)
        return heapq.nsmallest(
            needed, scores, key=lambda d: (tier(d, 0), km.get(shop_id[d], 1e9), -scores[d], d)
        )
    return _boost(snapshot, scores, rank, open_ids, needed)


def _hit(snapshot, docnum: int, terms: set, near, params, open_ids, local: datetime) -> Hit:
    fields = snapshot.stored(docnum)
    data = fields.get("data") or {}
    kind = fields.get("kind", "product")
    shop = snapshot.shops.get(snapshot.shop_id[docnum])
    km = None
    if params.near and shop is not None and shop.lat is not None and shop.lon is not None:
        lat, lon = params.near
        km = round(filters.haversine_km(lat, lon, shop.lat, shop.lon), 3)
    name = fields.get("name", "")
    title, snippet = highlight_parts(name, data.get("summary", ""), terms)
    return Hit(
        type=kind,
        id=int(fields["id"].split(":", 1)[1]),
        name=name,
        slug=data.get("slug", ""),
        shop_slug=data.get("shop_slug") or (shop.slug if shop else ""),
        shop_name=data.get("shop_name") or (shop.name if shop else ""),
        sku=data.get("sku"),
        price_cents=data.get("price_cents"),
        in_stock=bool(data.get("in_stock", True)),
        distance_km=km,
        highlight=title + Markup(" — ") + snippet if snippet else title,
        summary=data.get("summary", ""),
        image=data.get("image"),
        open_now=snapshot.shop_id[docnum] in open_ids,
        title=title,
        snippet=snippet,
        shop_address=shop.address if shop else "",
        shop_category=shop.category if shop else "",
        product_type=TYPE_CODES[snapshot.ptype[docnum]] or None,
        orderable=shop is not None and filters.takes_orders(shop, local),
    )
