"""Search benchmark: 100,000 real products over 500 real shops; writes docs/benchmarks.md "Search".

    .venv/bin/python bench/search_bench.py [--products 100000] [--runs 3] [--data ../shared/data]

Measures, through the same service the API calls (search.service.run_search): build rate and
index size of a full rebuild, p50/p95/p99 latency of single-word, multi-word, filtered (facets +
price range + geo), geo, fuzzy and suggest queries (medians of --runs runs, after one warm-up
pass), the time for a change to become visible; and the same queries on SQLite FTS5.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.search_fts import Fts5Search  # noqa: E402
from bench.search_queries import FILTERED, FUZZY, GEO, MULTI, SINGLE, SUGGEST  # noqa: E402

SHOPS = 500


def load_data(data: Path, limit: int) -> tuple[list[dict], list[dict]]:
    """The 500 shops with the most products, and up to `limit` of their products."""
    from marketplace.demo.categories import shop_category

    with gzip.open(data / "products_fr.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["shop_id"]] = counts.get(r["shop_id"], 0) + 1
    chosen = set(sorted(counts, key=counts.get, reverse=True)[:SHOPS])
    with open(data / "shops_paris.csv", encoding="utf-8") as f:
        shops = [
            {
                "id": r["shop_id"],
                "name": r["name"][:120],
                "category": shop_category(r["type"], r["name"], r["description"]),
                "description": r["description"],
                "address": r["address"][:200],
                "postcode": r["postcode"],
                "lat": float(r["lat"]),
                "lon": float(r["lon"]),
            }
            for r in csv.DictReader(f)
            if r["shop_id"] in chosen
        ]
    products = [
        {
            "key": r["id"],
            "name": r["name"][:200],
            "description": r["description"],
            "category": r["category"][:80],
            "price_cents": max(1, round(r["price_eur"] * 100)),
            "shop_id": r["shop_id"],
        }
        for r in rows
        if r["shop_id"] in chosen
    ][:limit]
    return shops, products


def fill_database(app, shops: list[dict], products: list[dict]) -> None:
    """Create a shopkeeper, the shops (published, plausible hours) and products."""
    from datetime import time as clock

    from sqlalchemy import insert

    from marketplace.accounts import services as accounts
    from marketplace.db import utcnow
    from marketplace.extensions import db
    from shops.models import PUBLISHED, OpeningHours, Product, Shop

    owner = accounts.register_user("bench@example.org", "bench password 123", "Bench", "shopkeeper")
    ids = {}
    for i, s in enumerate(shops):
        shop = Shop(
            owner=owner,
            slug=f"shop-{s['id'].lower()}",
            name=s["name"],
            category=s["category"],
            description=s["description"],
            address=s["address"],
            postcode=s["postcode"],
            city="Paris",
            lat=s["lat"],
            lon=s["lon"],
            status=PUBLISHED,
            published_at=utcnow(),
            featured=i % 25 == 0,
        )
        opens, closes = clock(8 + i % 3), clock(19, 30)
        shop.hours = [OpeningHours(weekday=d, opens=opens, closes=closes) for d in range(6)]
        db.session.add(shop)
        db.session.flush()
        ids[s["id"]] = shop.id
    now = utcnow()
    rows = [
        {
            "shop_id": ids[p["shop_id"]],
            "slug": f"p-{n}",
            "name": p["name"],
            "description": p["description"],
            "price_cents": p["price_cents"],
            "stock": None if n % 5 else n % 3,
            "category": p["category"],
            "sku": p["key"],
            "is_active": True,
            "created_at": now,
            "updated_at": now,
        }
        for n, p in enumerate(products)
    ]
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Product), rows[start : start + 5000])
    db.session.commit()


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 in milliseconds."""
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return at(0.50), at(0.95), at(0.99)


def timed(fn, items, runs: int) -> tuple[float, ...]:
    """p50/p95/p99 wall time, p50/p95/p99 CPU time (medians over runs), cold p50/p95/p99 (ms).

    The first pass runs with cold caches (postings not read yet) and is reported apart; the
    machine is shared, so wall time includes waiting for a core and CPU time does not.
    """
    cold = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        cold.append(time.perf_counter() - start)
    results = []
    for _ in range(runs):
        wall, cpu = [], []
        for item in items:
            start, start_cpu = time.perf_counter(), time.thread_time()
            fn(item)
            wall.append(time.perf_counter() - start)
            cpu.append(time.thread_time() - start_cpu)
        results.append(percentiles(wall) + percentiles(cpu))
    warm = tuple(statistics.median(r[i] for r in results) for i in range(6))
    return warm + percentiles(cold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    if not (args.data / "products_fr.jsonl.gz").exists():
        sys.exit(f"No benchmark data in {args.data}: pass --data PATH to shared/data.")
    from bench.search_run import run_benchmark

    work = Path(tempfile.mkdtemp(prefix="vitrine-search-bench-"))
    os.environ.setdefault("VITRINE_ENV", "testing")
    shops, products = load_data(args.data, args.products)
    figures = run_benchmark(work, shops, products, args.runs)
    figures["fts"] = fts_figures(shops, products, args.runs)
    figures["when"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    from bench.search_report import write_report

    write_report(args.output, figures)
    print(json.dumps(figures, indent=1, default=str))


def fts_figures(shops, products, runs: int) -> dict:
    """The same query sets on SQLite FTS5."""
    start = time.perf_counter()
    fts = Fts5Search(shops, products)
    build = time.perf_counter() - start
    out = {"build_s": build, "docs": len(shops) + len(products)}
    out["single"] = timed(lambda q: fts.search(q), SINGLE, runs)
    out["multi"] = timed(lambda q: fts.search(q), MULTI, runs)
    out["filtered"] = timed(
        lambda f: fts.search(f["q"], f["category"], f["lo"], f["hi"], f["near"], f["km"]),
        FILTERED,
        runs,
    )
    out["geo"] = timed(lambda f: fts.search(f["q"], near=f["near"], radius_km=f["km"]), GEO, runs)
    out["fuzzy"] = timed(lambda q: fts.search(q), FUZZY, runs)
    out["suggest"] = timed(fts.suggest, SUGGEST, runs)
    return out


if __name__ == "__main__":
    main()
