"""Plan the demo town from real Paris shops: shop rows (hours, SIRET, owner), settings, catalogues.

Pure but for reading data/demo/: the same postcodes and seed always plan the same town.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import json
import random
from collections import defaultdict

import click

from config import ROOT
from marketplace.demo.accounts import SHOPKEEPER_EMAIL
from marketplace.demo.catalogues import TownShop, plan_catalogue, scale_catalogues
from marketplace.demo.categories import FOOD, shop_category
from marketplace.demo.shop_details import opening_hours, phone, pickup_settings, siret
from shops.services import slugify

DEMO_DIR = ROOT / "data" / "demo"
# The demo shopkeeper's second shop, left as a draft so the review flow can be tried.
DRAFT_SHOP = {
    "slug": "l-epicerie-de-leonie",
    "name": "L'Épicerie de Léonie",
    "description": "Conserves, huiles et douceurs de petits producteurs, choisies par Julien.",
}


def read_shops() -> list[dict[str, str]]:
    """Return the 2,503 Paris shops of data/demo/, each with a slug unique among them all."""
    with gzip.open(DEMO_DIR / "shops_paris.csv.gz", "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    taken: set[str] = set()
    for row in rows:
        base = slugify(row["name"], 64)
        # Chains (Naturalia, Eric Kayser...) get their arrondissement, then a number.
        slug = base if base not in taken else f"{base}-paris-{int(row['postcode'][-2:])}"
        if slug in taken:
            slug = next(f"{slug}-{n}" for n in itertools.count(2) if f"{slug}-{n}" not in taken)
        taken.add(slug)
        row["slug"] = slug
    return rows


def read_pool() -> list[dict]:
    """Return the committed Open Food Facts products (those of the 75011 shops)."""
    with gzip.open(DEMO_DIR / "products.jsonl.gz", "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def build_town(
    postcode: str, seed: int, products: int | None, shops: int | None = None
) -> list[TownShop]:
    """Plan the town: shop rows (hours, SIRET, owner), settings and catalogues.

    `postcode` may list several postcodes ("75011,75015"), taken in that order; `shops` caps
    the town (its draft shop included), for the scaled benchmark town.
    """
    sources = read_shops()
    postcodes = postcode.split(",")
    category_of = {
        s["shop_id"]: shop_category(s["type"], s["name"], s["description"]) for s in sources
    }
    by_shop: dict[str, list[dict]] = defaultdict(list)
    by_category: dict[str, list[dict]] = defaultdict(list)
    for product in read_pool():
        by_shop[product["shop_id"]].append(product)
        by_category[category_of[product["shop_id"]]].append(product)
    chosen = sorted(
        (s for s in sources if s["postcode"] in postcodes),
        key=lambda s: postcodes.index(s["postcode"]),
    )
    if shops is not None:
        chosen = chosen[: max(shops - 1, 0)]
    town = [_town_shop(s, category_of[s["shop_id"]], seed) for s in chosen]
    if not town:
        raise click.ClickException(f"no shop in postcode {postcode}")
    for shop in town:
        plan_catalogue(shop, by_shop.get(shop.source_id, []), by_category)
    # The demo shopkeeper runs the bakery with the most products (any food shop if none).
    bakery = max(town, key=lambda s: (s.category == "boulangerie", s.category in FOOD, len(s.own)))
    bakery.row["owner_email"] = SHOPKEEPER_EMAIL
    street = bakery.row["address"].split(" ", 1)[-1]
    draft = _town_shop(
        {**bakery.row, **DRAFT_SHOP, "address": f"2 {street}"}, "epicerie-fine", seed
    )
    draft.row["owner_email"] = SHOPKEEPER_EMAIL
    plan_catalogue(draft, [], by_category)
    draft.size = min(12, draft.size)
    town.append(draft)
    if products is not None:
        scale_catalogues(town, products)
    return town


def _town_shop(source: dict[str, str], category: str, seed: int) -> TownShop:
    rng = random.Random(f"{seed}:{source['slug']}")  # noqa: S311 - seeded on purpose
    row = {
        "slug": source["slug"],
        "name": source["name"].strip(),
        "category": category,
        "address": source["address"].strip(),
        "postcode": source["postcode"],
        "city": "Paris",
        "lat": source["lat"],
        "lon": source["lon"],
        "siret": siret(rng),
        "phone": phone(rng),
        "opening_hours": opening_hours(category, rng),
        "owner_email": f"shop-{source['slug'][:58]}@demo.vitrine.localhost",
        "description": source.get("description", "").strip(),
    }
    settings = pickup_settings(category, rng)
    return TownShop(source.get("shop_id", ""), category, row, rng, settings)
