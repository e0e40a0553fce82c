"""nDCG@10 and zero-result rate of Vitrine, plain Whoosh and FTS5 on the labelled query set.

    .venv/bin/python -m bench.search_relevance [--split tune|test|all] [--show]

The corpus and judgments are tests/search/data (scripts/build_search_corpus.py); queries are
split by intent into a tuning part and a test part (tests/search/relevance.py split_of): tune on
the first, report the second, never tune on it. Prints a Markdown table for docs/search.md.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from statistics import mean


def evaluate(split: str = "all", show: bool = False) -> dict:
    """{(engine, part): (nDCG@10, zero-result rate, queries)} over the labelled set."""
    from flask_migrate import upgrade

    from marketplace.app import create_app
    from tests.search.relevance import (
        Fts5Reference,
        K,
        PlainWhooshReference,
        load_corpus,
        load_judgments,
        ndcg,
    )
    from tests.search.test_relevance import load_into_database

    corpus, judgments = load_corpus(), load_judgments()
    if split != "all":
        judgments = [j for j in judgments if j["split"] == split]
    work = Path(tempfile.mkdtemp(prefix="vitrine-relevance-"))
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'relevance.db'}",
            "INSTANCE_PATH": str(work / "instance"),
            "SEARCH_INDEX_DIR": str(work / "index"),
            "SEARCH_SYNC_ON_START": False,
            "RATELIMIT_ENABLED": False,
        },
    )
    rows: dict[tuple[str, str], list[tuple[float, bool]]] = {}
    with app.app_context():
        upgrade()
        keys = load_into_database(app, corpus)
        engines = {
            "Vitrine": None,
            "plain Whoosh (French stemming)": PlainWhooshReference(corpus),
            "SQLite FTS5": Fts5Reference(corpus),
        }
        client = app.test_client()
        for j in judgments:
            for name, engine in engines.items():
                if engine is None:
                    body = client.get("/api/v1/search", query_string={"q": j["q"], "per_page": K})
                    results = body.get_json()["results"]
                    ranked = [keys[(r["type"], r["id"])] for r in results]
                    zero = body.get_json()["total"] == 0
                else:
                    ranked = engine.search(j["q"])
                    zero = not ranked
                score = ndcg(ranked, j["grades"])
                for part in (j["split"], "all"):
                    rows.setdefault((name, part), []).append((score, zero))
                if show and engine is None:
                    print(f"{j['split']:<5} {j['q']:<32} {score:.2f}")
    return {key: (mean(n for n, _ in v), mean(z for _, z in v), len(v)) for key, v in rows.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="all", choices=["tune", "test", "all"])
    parser.add_argument("--show", action="store_true", help="print each Vitrine query's nDCG")
    args = parser.parse_args()
    figures = evaluate(args.split, args.show)
    print("| engine | part | queries | nDCG@10 | zero-result queries |\n|---|---|---|---|---|")
    for (engine, part), (score, zero, n) in sorted(figures.items()):
        print(f"| {engine} | {part} | {n} | {score:.3f} | {zero:.1%} |")


if __name__ == "__main__":
    main()
