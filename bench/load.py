"""Saturday-morning load test: locust, headless, bounded, on 127.0.0.1 only.

    .venv/bin/python bench/seed_scaled.py      # once: the 500-shop, 100,000-product town
    .venv/bin/python bench/load.py             # 3 runs of 20 s + 60 s, medians, docs/benchmarks.md

It starts gunicorn -w 2 (gunicorn.conf.py, as `make serve`) on PostgreSQL with the offline Stripe
emulator (bench/server.py), runs the mix three times against the same server (each run: 20 s of
warm-up while everyone arrives and logs in, left out, then 60 s measured), prints requests/s,
p50/p95/p99 per endpoint and the errors of each run, and writes the medians to its section of
docs/benchmarks.md (--no-write to leave it alone; --url to use a server already running).

The mix, per simulated person (weights in brackets):
  visitors (6): home, directory, shop pages and product pages (popular ones more often: Zipf),
                search, suggestions, add to cart (anonymous)
  residents (2): log in, browse, search, add to cart, check out and pay online in the emulator
                 (card 4242), come back to the order page
  shopkeepers (1): log in, read today's pickup board
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from gevent import monkey

monkey.patch_all()

import gevent  # noqa: E402
from locust import events  # noqa: E402
from locust.env import Environment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_mix import (  # noqa: E402
    CACHE_COUNTS,
    OUTSIDE_WAITS,
    Resident,
    Shopkeeper,
    Visitor,
    load_town,
)
from bench.load_report import hit_ratios, outside_split, write_section  # noqa: E402
from bench.seed_scaled import DEFAULT_URL  # noqa: E402


def run_once(url: str, users: int, seconds: int, warmup: int) -> dict:
    """One bounded run; return its stats per endpoint (counted after the warm-up)."""
    env = Environment(user_classes=[Visitor, Resident, Shopkeeper], host=url, events=events)
    runner = env.create_local_runner()
    # Everyone arrives within 10 s; logins (deliberately slow password hashing) and the
    # first pages of each worker are left out of the figures with the warm-up.
    runner.start(users, spawn_rate=max(users / 10, 1))
    gevent.sleep(warmup)
    env.stats.reset_all()
    CACHE_COUNTS.clear()
    OUTSIDE_WAITS.clear()
    gevent.sleep(seconds)
    runner.quit()
    total = env.stats.total
    rows = {
        name: {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.num_requests / seconds,
            "p50": entry.get_response_time_percentile(0.50),
            "p95": entry.get_response_time_percentile(0.95),
            "p99": entry.get_response_time_percentile(0.99),
        }
        for (name, _method), entry in sorted(env.stats.entries.items())
    }
    errors = {f"{e.method} {e.name}: {e.error}": e.occurrences for e in env.stats.errors.values()}
    return {
        "rows": rows,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": total.num_requests / seconds,
        "p50": total.get_response_time_percentile(0.50),
        "p95": total.get_response_time_percentile(0.95),
        "p99": total.get_response_time_percentile(0.99),
        "errors": errors,
        "cache": dict(CACHE_COUNTS),
        "outside": {name: outside_split(w) for name, w in OUTSIDE_WAITS.items() if w},
    }


def print_run(n: int, result: dict) -> None:
    """Print one run's table."""
    print(f"\n== run {n}: {result['requests']} requests, {result['rps']:.1f} req/s, "
          f"{result['failures']} errors, p95 {result['p95']:.0f} ms")  # fmt: skip
    print(f"{'endpoint':<34}{'req':>7}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'err':>5}")
    for name, r in result["rows"].items():
        print(f"{name:<34}{r['requests']:>7}{r['rps']:>8.1f}{r['p50']:>7.0f}{r['p95']:>7.0f}"
              f"{r['p99']:>7.0f}{r['failures']:>5}")  # fmt: skip
    for error, count in result["errors"].items():
        print(f"  error x{count}: {error}")
    if result.get("cache"):
        print("  page cache (anonymous visitors):", hit_ratios(result["cache"]))
    for name, r in result.get("outside", {}).items():
        print(f"  {name}: p95 {r['p95']:.0f} ms, ours {r['p95_ours']:.0f} ms,"
              f" waiting on Stripe {r['p95_stripe']:.0f} ms ({r['count']} answers)")  # fmt: skip


def medians(results: list[dict]) -> dict:
    """Median of each figure over the runs, per endpoint and in total."""
    keys = ("requests", "failures", "rps", "p50", "p95", "p99")
    names = sorted(set().union(*(r["rows"] for r in results)))
    rows = {
        name: {
            k: statistics.median(r["rows"].get(name, {}).get(k, 0) for r in results) for k in keys
        }
        for name in names
    }
    total = {k: statistics.median(r[k] for r in results) for k in keys}
    waited = sorted(set().union(*(r.get("outside", {}) for r in results)))
    outside = {
        name: {
            k: statistics.median(r["outside"][name][k] for r in results if name in r["outside"])
            for k in ("count", "p95", "p95_ours", "p95_stripe")
        }
        for name in waited
    }
    return {
        "rows": rows,
        **total,
        "outside": outside,
        "failures_all": sum(r["failures"] for r in results),
    }


def main() -> None:
    """Run the load test three times and report the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=20, help="seconds left out of each run")
    parser.add_argument("--url", help="a server already running (default: start one)")
    parser.add_argument("--no-write", action="store_true", help="leave docs/benchmarks.md alone")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    load_town(database_url)
    server = None
    if args.url is None:
        from bench.server import BenchServer

        server = BenchServer()
        args.url = server.start()
    if urlsplit(args.url).hostname not in {"127.0.0.1", "localhost"}:
        raise SystemExit("bench/load.py only runs against a server on this machine (loopback)")
    loads, results = [], []
    try:
        for n in range(1, args.runs + 1):
            loads.append(os.getloadavg()[0])
            started = time.perf_counter()
            result = run_once(args.url, args.users, args.seconds, args.warmup)
            result["load_before"] = loads[-1]
            result["load_after"] = os.getloadavg()[0]
            result["took"] = time.perf_counter() - started
            results.append(result)
            print_run(n, result)
    finally:
        if server is not None:
            server.stop()
    summary = medians(results)
    print(f"\n== medians of {len(results)} runs")
    print_run(0, {**summary, "errors": {}})
    if not args.no_write:
        write_section(ROOT / "docs" / "benchmarks.md", args, summary, results)
        print("docs/benchmarks.md updated (load section).")


if __name__ == "__main__":
    main()
