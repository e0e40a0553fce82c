"""Build data/demo/ (the demo town's shops and product pool) from the shared open data.

Run by hand when the source files change; the app only ever reads data/demo/:

    .venv/bin/python scripts/build_demo_data.py [--source ../shared/data] [--postcode 75011]

Sources (both ODbL 1.0, see the README's credits): shops_paris.csv ("Ville de Paris") and
products_fr.jsonl.gz ("© Open Food Facts contributors").
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOP_COLUMNS = ["shop_id", "name", "type", "description", "address", "postcode", "lat", "lon"]
PRODUCT_FIELDS = ["id", "name", "description", "category", "aisle", "price_eur", "shop_id"]
MAX_DESCRIPTION = 300


def shorten(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """Cut `text` to at most `limit` characters, at a word boundary when there is one."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def write_gzip(path: Path, text: str) -> None:
    """Write `text` gzipped with a fixed timestamp, so that a rebuild gives the same bytes."""
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(text.encode("utf-8"))


def build_shops(source: Path, target: Path) -> list[dict[str, str]]:
    """Copy every shop without the `services` column; return the rows."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.DictWriter(out, SHOP_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_gzip(target, out.getvalue())
    return rows


def build_products(source: Path, target: Path, shop_ids: set[str]) -> int:
    """Keep the products of `shop_ids`, descriptions shortened; return how many."""
    lines = []
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        for line in handle:
            product = json.loads(line)
            if product["shop_id"] not in shop_ids:
                continue
            product["description"] = shorten(product.get("description") or "")
            lines.append(json.dumps({k: product[k] for k in PRODUCT_FIELDS}, ensure_ascii=False))
    write_gzip(target, "\n".join(lines) + "\n")
    return len(lines)


def main() -> None:
    """Parse the arguments, write both files and say how big they are."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--target", type=Path, default=ROOT / "data" / "demo")
    parser.add_argument("--postcode", default="75011", help="whose shops keep their products")
    args = parser.parse_args()
    args.target.mkdir(parents=True, exist_ok=True)
    shops_path = args.target / "shops_paris.csv.gz"
    products_path = args.target / "products.jsonl.gz"
    shops = build_shops(args.source / "shops_paris.csv", shops_path)
    town = {row["shop_id"] for row in shops if row["postcode"] == args.postcode}
    count = build_products(args.source / "products_fr.jsonl.gz", products_path, town)
    for path, n in ((shops_path, len(shops)), (products_path, count)):
        print(f"{path.relative_to(ROOT)}: {n} rows, {path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
