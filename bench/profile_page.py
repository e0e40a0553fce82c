"""Profile one public page in-process with pyinstrument, on the benchmark town.

    .venv/bin/python bench/profile_page.py /shops/ougashop [--repeat 300] [--cookie]

Requests go through the real app (the bench settings of bench/server.py) with a test client;
the first request warms the caches, the next `--repeat` are profiled and timed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.seed_scaled import BENCH_DIR, DEFAULT_URL  # noqa: E402


def main() -> None:
    """Print the mean time per request and pyinstrument's call tree."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--cookie", action="store_true", help="keep the session cookie")
    parser.add_argument("--no-cache", action="store_true", help="render every time (cache off)")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    os.environ.setdefault("SEARCH_INDEX_DIR", str(BENCH_DIR / "search-index"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from pyinstrument import Profiler

    from marketplace.app import create_app

    overrides = {"RATELIMIT_ENABLED": False, "SEARCH_SYNC_ON_START": False}
    if args.no_cache:
        overrides["PAGE_CACHE_SIZE"] = 0
    app = create_app("development", overrides)
    client = app.test_client(use_cookies=args.cookie)
    first = client.get(args.path)
    if first.status_code != 200:
        raise SystemExit(f"{args.path}: HTTP {first.status_code}")
    profiler = Profiler(interval=0.0002)
    started = time.perf_counter()
    with profiler:
        for _ in range(args.repeat):
            client.get(args.path)
    took = (time.perf_counter() - started) / args.repeat
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"{args.path}: {took * 1000:.2f} ms per request (profiled)")


if __name__ == "__main__":
    main()
