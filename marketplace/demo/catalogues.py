"""The demo shops' catalogues: what each may sell, how many products, and their CSV rows.

Everything here is pure: it takes a seeded `random.Random` and returns plain values, so that
the same seed always builds the same town. The French vocabularies of the generated catalogues
are data, in data/demo/catalogue_fr.toml.
"""

from __future__ import annotations

import functools
import itertools
import random
import tomllib
from dataclasses import dataclass, field

from config import ROOT
from marketplace.demo.categories import FOOD, count_matches, words_of
from shops.product_types import guess_type


def stock(rng: random.Random) -> str:
    """Return a stock cell: about 15 % unlimited (empty), a few sold out, else 1 to 60."""
    draw = rng.random()
    if draw < 0.15:
        return ""
    return "0" if draw < 0.19 else str(rng.randint(1, 60))


def price(rng: random.Random, low: float, high: float, position: float) -> float:
    """Return a shop-like price (12.50, 7.90...) at `position` (0-1) between low and high."""
    value = low + (high - low) * min(1.0, max(0.0, position + rng.uniform(-0.1, 0.1)))
    if value < 5:
        return max(0.5, round(value, 1))
    # Shop prices end in ,00 ,50 or ,90.
    return round(value) - 0.1 if rng.random() < 0.4 else round(value * 2) / 2


@dataclass(frozen=True)
class Family:
    """A family of generated products: every name comes in every variant, cheapest first."""

    rayon: str
    names: tuple[str, ...]
    variants: tuple[str, ...]
    low: float
    high: float
    description: str
    keywords: str = ""  # a speciality, sold by the shops whose words match
    always: bool = False  # sold by every shop of the category


@functools.cache
def vocabulary() -> dict[str, tuple[Family, ...]]:
    """Return the product families of each non-food category, read once from data/demo/."""
    with (ROOT / "data" / "demo" / "catalogue_fr.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return {
        category: tuple(
            Family(
                f["rayon"],
                tuple(f["names"]),
                tuple(f["variants"]),
                f["price"][0],
                f["price"][1],
                f["description"],
                " ".join(f.get("keywords", ())),
                f.get("always", False),
            )
            for f in families
        )
        for category, families in data.items()
    }


def generated_items(category: str, words: list[str]) -> list[tuple[str, Family, int, int]]:
    """Every (sku, family, name index, variant index) a shop of `category` with `words` may sell."""
    families = list(enumerate(vocabulary().get(category, ())))
    special = [(i, f) for i, f in families if f.keywords and count_matches(words, f.keywords)]
    if special:
        chosen = special + [(i, f) for i, f in families if f.always]
    else:
        chosen = [(i, f) for i, f in families if not f.keywords]
    prefix = category[:3].upper()
    return [
        (f"{prefix}-{i}{n:02d}{v}", family, n, v)
        for i, family in chosen
        for n in range(len(family.names))
        for v in range(max(1, len(family.variants)))
    ]


def generated_row(item: tuple[str, Family, int, int], rng: random.Random) -> dict:
    """Turn a vocabulary item into a product row (name, description, price, category)."""
    sku, family, n, v = item
    base = family.names[n]
    variant = family.variants[v] if family.variants else ""
    name = f"{base} ({variant})" if variant else base
    position = (v + 0.5) / max(1, len(family.variants)) if family.variants else rng.random()
    description = family.description.format(name=base, variant=variant, rayon=family.rayon)
    return {
        "sku": sku,
        "name": name[:200],
        "description": description,
        "price": f"{price(rng, family.low, family.high, position):.2f}",
        "category": family.rayon,
    }


# When a catalogue must grow beyond what it may sell, products come back as these variants.
FOOD_VARIANTS = (
    ("format familial", 1.8),
    ("lot de 2", 1.9),
    ("petit format", 0.6),
    ("édition du marché", 1.1),
    ("lot de 3", 2.7),
    ("format dégustation", 0.5),
    ("coffret cadeau", 2.2),
    ("grand format", 1.5),
)
OTHER_VARIANTS = (
    ("édition limitée", 1.3),
    ("lot de 2", 1.9),
    ("modèle d'exposition", 0.8),
    ("coffret cadeau", 1.4),
    ("nouvelle série", 1.1),
    ("seconde main", 0.6),
)


def variant_row(row: dict, round_: int, food: bool) -> dict:
    """Return the `round_`-th variant (1, 2...) of a product row: new SKU, name and price."""
    variants = FOOD_VARIANTS if food else OTHER_VARIANTS
    label, factor = variants[(round_ - 1) % len(variants)]
    if round_ > len(variants):
        label += f" n°{(round_ - 1) // len(variants) + 1}"
    suffix = f" – {label}"
    return {
        **row,
        "sku": f"{row['sku']}-v{round_}",
        "name": row["name"][: 200 - len(suffix)] + suffix,
        "price": f"{max(0.5, float(row['price']) * factor):.2f}",
    }


@dataclass
class TownShop:
    """A shop of the demo town: its import row, settings and what its catalogue is made of."""

    source_id: str
    category: str
    row: dict[str, str]  # a row of the shops CSV (shops.csv_shops.COLUMNS)
    rng: random.Random  # the shop's own generator: adding a shop does not change the others
    settings: dict = field(default_factory=dict)  # pickup settings set on the Shop row
    own: list[dict] = field(default_factory=list)  # its real products, from the pool
    others: list = field(default_factory=list)  # more it may sell: pool products or vocabulary
    size: int = 0  # how many products it gets

    @property
    def slug(self) -> str:
        return self.row["slug"]


def plan_catalogue(shop: TownShop, own: list[dict], pool_by_category: dict[str, list]) -> None:
    """Choose what `shop` may sell and its default size: its real products, else 15 to 40."""
    if shop.category in FOOD:
        kind = pool_by_category.get(shop.category) or itertools.chain(*pool_by_category.values())
        others = [p for p in kind if p["shop_id"] != shop.source_id]
    else:
        words = words_of(f"{shop.row['name']} {shop.row['description']}")
        others = generated_items(shop.category, words)
    own = own[:]
    # Shuffled, so that a capped catalogue (--products) still shows a bit of everything.
    shop.rng.shuffle(own)
    shop.rng.shuffle(others)
    shop.own, shop.others = own, others
    extra = 0 if own and shop.category in FOOD else min(len(others), shop.rng.randint(15, 40))
    shop.size = len(own) + extra


def scale_catalogues(town: list[TownShop], total: int) -> None:
    """Resize the catalogues to `total` products, each shop keeping its share."""
    default = sum(s.size for s in town) or 1
    shares = [total * s.size / default for s in town]
    sizes = [int(share) for share in shares]
    # Largest remainders first, so that the sizes add up to `total` exactly.
    by_remainder = sorted(range(len(town)), key=lambda i: (sizes[i] - shares[i], i))
    for i in by_remainder[: total - sum(sizes)]:
        sizes[i] += 1
    for shop, size in zip(town, sizes, strict=True):
        shop.size = size


def catalogue(shop: TownShop) -> list[dict]:
    """Return the shop's product rows: its own products, the others, then their variants."""
    base = shop.own + shop.others
    rows: list[dict] = []
    for round_ in itertools.count():
        if not base or len(rows) == shop.size:
            return rows
        for item in base[: shop.size - len(rows)]:
            food = isinstance(item, dict)
            row = food_row(item) if food else generated_row(item, shop.rng)
            row = row if round_ == 0 else variant_row(row, round_, food)
            rows.append({**row, "stock": stock(shop.rng), "active": "1"})
    return rows


def food_row(product: dict) -> dict:
    """Turn an Open Food Facts product of the pool into a product row (SKU = barcode)."""
    return {
        "sku": product["id"],
        "name": product["name"].strip()[:200],
        "description": product["description"],
        "price": f"{product['price_eur']:.2f}",
        "category": product["aisle"],
        # The fine Open Food Facts category says the type better than the aisle shown.
        "type": guess_type(product["category"], product["name"]) or "",
    }


def pick_featured(town: list[TownShop], rng: random.Random, count: int = 6) -> list[str]:
    """Return the slugs of `count` shops with products, one of each favourite kind first."""
    public = [s for s in town if s.size]
    chosen: list[str] = []
    for category in ("boulangerie", "fromagerie", "librairie", "fleuriste", "caviste", "primeur"):
        candidates = [s.slug for s in public if s.category == category]
        if candidates and len(chosen) < count:
            chosen.append(rng.choice(candidates))
    rest = sorted({s.slug for s in public} - set(chosen))
    return chosen + rng.sample(rest, min(len(rest), count - len(chosen)))
