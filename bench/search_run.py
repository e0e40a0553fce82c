"""The Vitrine half of the search benchmark: build, queries, time to visibility."""

from __future__ import annotations

import resource
import statistics
import time
from pathlib import Path

from werkzeug.datastructures import MultiDict

from bench.search_queries import FILTERED, FUZZY, GEO, MULTI, SINGLE, SUGGEST


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the writer processes)."""
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.iterdir()) / 1e6


def run_benchmark(work: Path, shops: list[dict], products: list[dict], runs: int) -> dict:
    """Figures for Vitrine's search on a fresh database and index under `work`."""
    from flask_migrate import upgrade

    from bench.search_bench import fill_database, timed
    from marketplace.app import create_app
    from marketplace.extensions import db
    from search import indexer, store
    from search.params import parse_params
    from search.service import run_search, suggestions

    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'bench.db'}",
            "INSTANCE_PATH": str(work / "instance"),
            "SEARCH_INDEX_DIR": str(work / "index"),
            "SEARCH_SYNC_AFTER_COMMIT": False,
            "SEARCH_SYNC_ON_START": False,
        },
    )
    out: dict = {}
    with app.app_context():
        upgrade()
        fill_database(app, shops, products)
        index_dir = app.config["SEARCH_INDEX_DIR"]
        builds, cpus = [], []
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), _cpu()
            count = indexer.rebuild(index_dir, db.engine)
            builds.append(time.perf_counter() - start)
            cpus.append(_cpu() - start_cpu)
            print(f"rebuild: {count} documents in {builds[-1]:.1f} s", flush=True)
        out["docs"] = count
        out["build_s"] = statistics.median(builds)
        out["build_cpu_s"] = statistics.median(cpus)
        out["build_runs"] = [round(b, 1) for b in builds]
        out["build_rate"] = count / out["build_s"]
        out["index_mb"] = _size_mb(store.live_path(index_dir))

        def search(args: dict) -> None:
            params, errors = parse_params(MultiDict(args))
            if errors:
                raise ValueError(errors)
            run_search(params)

        def filtered(f: dict) -> dict:
            return {
                "q": f["q"],
                "category": f.get("category") or "",
                "min_price": f"{f['lo'] / 100:.2f}" if f.get("lo") is not None else "",
                "max_price": f"{f['hi'] / 100:.2f}" if f.get("hi") is not None else "",
                "near": f"{f['near'][0]},{f['near'][1]}",
                "radius_km": str(f["km"]),
            }

        start = time.perf_counter()
        search({"q": "chocolat"})
        out["first_query_ms"] = (time.perf_counter() - start) * 1000
        out["single"] = timed(lambda q: search({"q": q}), SINGLE, runs)
        out["multi"] = timed(lambda q: search({"q": q}), MULTI, runs)
        out["filtered"] = timed(lambda f: search(filtered(f)), FILTERED, runs)
        out["geo"] = timed(lambda f: search({**filtered(f), "sort": "distance"}), GEO, runs)
        out["fuzzy"] = timed(lambda q: search({"q": q}), FUZZY, runs)
        out["suggest"] = timed(lambda p: suggestions(p, "fr"), SUGGEST, runs)
        out["visible_ms"] = _time_to_visible(app, search_fn=run_search, parse=parse_params)
    return out


def _time_to_visible(app, search_fn, parse) -> float:
    """Median time from a product rename's commit call to the new name being found."""
    from sqlalchemy import select

    from marketplace.extensions import db
    from shops.models import Product

    app.config["SEARCH_SYNC_AFTER_COMMIT"] = True
    samples = []
    for i in range(5):
        product = db.session.scalar(select(Product).order_by(Product.id).offset(i * 997).limit(1))
        word = f"zorglub{i}"
        start = time.perf_counter()
        product.name = f"{product.name} {word}"
        db.session.commit()
        params, _ = parse(MultiDict({"q": word}))
        while not search_fn(params).total:
            if time.perf_counter() - start > 30:
                raise RuntimeError("change not visible after 30 s")
            time.sleep(0.005)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)
