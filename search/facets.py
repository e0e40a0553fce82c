"""Facet counts over the documents that matched: shop category, shop, product family and type,
price band, stock, open now."""

from __future__ import annotations

from collections import Counter

from search.schema import IN_STOCK, IS_PRODUCT, PRICE_BANDS
from search.snapshot import CATEGORY_CODES, NO_TYPE, TYPE_CODES
from shops.product_types import get_type

MAX_SHOPS = 10  # the shop facet lists the shops with the most results
MAX_TYPES = 15  # and the type facet the types with the most


def band_value(index: int) -> str:
    """The band as "min-max" in euros ("50-" for the last one), as filter links use it."""
    low, high = PRICE_BANDS[index]
    return f"{low // 100}-{high // 100 if high else ''}"


def count_facets(snapshot, docs, open_ids) -> dict:
    """Counts of each facet value among `docs`, largest first.

    Each count is one pass of map() over a per-document array: C speed, no Python loop per doc.
    """
    docs = list(docs)
    per_shop = Counter(map(snapshot.shop_id.__getitem__, docs))
    per_category = Counter(map(snapshot.category.__getitem__, docs))
    per_flags = Counter(map(snapshot.flags.__getitem__, docs))
    bands = Counter(map(snapshot.band.__getitem__, docs))
    per_type = Counter(map(snapshot.ptype.__getitem__, docs))
    per_type.pop(NO_TYPE, None)
    per_family: Counter = Counter()
    for t, n in per_type.items():
        found = get_type(TYPE_CODES[t])
        if found is not None:
            per_family[found.family] += n
    in_stock = sum(n for f, n in per_flags.items() if f & IS_PRODUCT and f & IN_STOCK)
    open_now = sum(n for s, n in per_shop.items() if s in open_ids)
    shops = snapshot.shops
    return {
        "category": [
            (CATEGORY_CODES[c], n) for c, n in per_category.most_common() if c < len(CATEGORY_CODES)
        ],
        "shop": [
            (shops[s].slug, shops[s].name, n)
            for s, n in per_shop.most_common(MAX_SHOPS + 1)
            if s in shops
        ][:MAX_SHOPS],
        "price": [(band_value(b), bands[b]) for b in range(len(PRICE_BANDS)) if bands[b]],
        "family": per_family.most_common(),
        "type": [(TYPE_CODES[t], n) for t, n in per_type.most_common(MAX_TYPES)],
        "in_stock": in_stock,
        "open_now": open_now,
    }
