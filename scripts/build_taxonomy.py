"""Build data/taxonomy/ (the product taxonomy and its labelled sample) from the hand-written
scripts/taxonomy_spec.py and the shared Open Food Facts products. Run by hand, never at run time:

    .venv/bin/python scripts/build_taxonomy.py [--source ../shared/data]

The food table maps each French category of the products (derived from Open Food Facts'
taxonomy, ODbL 1.0, "© Open Food Facts contributors") that the rules cannot read to the type most
of its products' names say. The sample (300 products) is labelled by the written rule of
`true_type`: the product's name decides, its category only when the name names no type.
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import taxonomy_spec as spec  # noqa: E402

from shops import product_types  # noqa: E402

SAMPLE_SIZE = 300
MIN_PRODUCTS = 3  # a category needs this many products to enter the table
MIN_SHARE = 0.5  # ...and this share of them agreeing on a type


def taxonomy_data(table: dict[str, str]) -> dict:
    """The JSON document the app reads."""
    return {
        "licence": (
            "ODbL 1.0. Food types derived from the product categories of Open Food Facts "
            "(© Open Food Facts contributors, https://world.openfoodfacts.org, ODbL 1.0); "
            "labels, synonyms and non-food families written for Vitrine."
        ),
        "families": [
            {"slug": slug, "fr": fr, "en": en, "shop_categories": shops.split(), "types": types}
            for slug, fr, en, shops, types in spec.FAMILIES
        ],
        "table": dict(sorted(table.items())),
        "shop_defaults": spec.SHOP_DEFAULTS,
        "vague": spec.VAGUE,
        "qualifiers": [
            {"fr": fr, "en": en.split("|"), "also_fr": [w for w in also.split("|") if w]}
            for fr, en, also in spec.QUALIFIERS
        ],
    }


def write_json(path: Path, data: dict) -> None:
    """Write `data` as stable, readable JSON."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def rule_type(text: str) -> str | None:
    """The type the keyword rules read in `text` alone (longest keyword), or None."""
    found = product_types._matches(product_types.normalise(text))
    return max(found)[-1] if found else None


def true_type(name: str, category: str) -> str | None:
    """The written labelling rule: the name's longest type word, else the category's."""
    return rule_type(name) or rule_type(category)


def main() -> None:
    """Write the taxonomy (two passes: rules, then the table they leave) and the sample."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    target = ROOT / "data" / "taxonomy"
    target.mkdir(parents=True, exist_ok=True)
    write_json(target / "product_types.json", taxonomy_data({}))
    product_types.taxonomy.cache_clear()
    with gzip.open(args.source / "products_fr.jsonl.gz", "rt", encoding="utf-8") as handle:
        products = [json.loads(line) for line in handle]
    votes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for p in products:
        votes[p["category"]][rule_type(p["name"])] += 1
    table = {}
    for category, counter in votes.items():
        if rule_type(category) is not None or sum(counter.values()) < MIN_PRODUCTS:
            continue
        slug, n = max(
            ((s, n) for s, n in counter.items() if s), key=lambda p: p[1], default=(None, 0)
        )
        if slug and n >= MIN_SHARE * sum(counter.values()):
            table[category] = slug
    write_json(target / "product_types.json", taxonomy_data(table))
    product_types.taxonomy.cache_clear()
    rng = random.Random(14)  # noqa: S311  # a reproducible sample, not a secret
    rows = []
    for p in rng.sample(products, SAMPLE_SIZE):
        # A shopkeeper's column: a fine category, the aisle, or nothing, as real files have.
        given = rng.choice([p["category"], p["category"], p["aisle"], ""])
        rows.append([p["name"], given, true_type(p["name"], p["category"]) or ""])
    with (target / "type_sample.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["name", "category", "true_type"])
        writer.writerows(rows)
    mapped = sum(1 for p in products if product_types.guess_type(p["category"], p["name"]))
    print(
        f"{len(product_types.taxonomy().types)} types, {len(table)} table rows, "
        f"{mapped / len(products):.1%} of {len(products)} products get a type"
    )


if __name__ == "__main__":
    main()
