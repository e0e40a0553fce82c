"""Write the "Search" section of docs/benchmarks.md from the figures of search_bench.py."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path

TARGETS = {  # query set -> p95 target in ms
    "single": 30,
    "multi": 30,
    "filtered": 60,
    "geo": 60,
    "fuzzy": None,
    "suggest": 20,
}
LABELS = {
    "single": "single word",
    "multi": "multi-word",
    "filtered": "filtered: facets + price range + near 2 km + category",
    "geo": "geo: near 1 km, sorted by distance",
    "fuzzy": "typos (fuzzy)",
    "suggest": "autocomplete (suggest)",
}


def _verdict(value: float, target: float | None) -> str:
    if target is None:
        return "—"
    return "met" if value < target else "**missed**"


def render(f: dict) -> str:
    """The Markdown section."""
    fts = f["fts"]
    load = f.get("load") or os.getloadavg()
    lines = [
        "## Search",
        "",
        f"Measured {f['when']} by `bench/search_bench.py` on this machine ({os.cpu_count()} cores,"
        f" Python {platform.python_version()}): {f['docs']:,} documents (500 real Paris shops and"
        f" {f['docs'] - 500:,} real Open Food Facts products), SQLite database. Latencies go"
        " through `search.service.run_search`, the function the API calls (parameters parsed,"
        " facets counted, one page of 20 hits built); medians of 3 runs of each query set after a"
        " first pass with cold caches, reported apart. The machine was shared with other work (other test suites running), so wall"
        " times include waiting for a core; the CPU columns (thread CPU time) show the cost of a"
        " query alone. Targets are judged on wall time. Load average at the end of the run:"
        f" {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min) on 2 cores.",
        "",
        "| query set | Vitrine p50 / p95 / p99 (ms) | Vitrine CPU p50 / p95 / p99 (ms) | p95 target"
        " | Vitrine cold first pass p50 / p95 / p99 (ms) | FTS5 p50 / p95 / p99 (ms) |",
        "|---|---|---|---|---|---|",
    ]
    for key, label in LABELS.items():
        ours, theirs, target = f[key], fts[key], TARGETS[key]
        lines.append(
            f"| {label} | {ours[0]:.1f} / {ours[1]:.1f} / {ours[2]:.1f} |"
            f" {ours[3]:.1f} / {ours[4]:.1f} / {ours[5]:.1f} |"
            f" {f'< {target} ms, ' if target else ''}{_verdict(ours[1], target)} |"
            f" {ours[6]:.1f} / {ours[7]:.1f} / {ours[8]:.1f} |"
            f" {theirs[0]:.1f} / {theirs[1]:.1f} / {theirs[2]:.1f} |"
        )
    build_ok = "met" if f["build_s"] < 60 else "**missed**"
    visible_ok = "met" if f["visible_ms"] < 1000 else "**missed**"
    lines += [
        "",
        "| figure | Vitrine | target | FTS5 |",
        "|---|---|---|---|",
        f"| full rebuild | {f['build_s']:.1f} s ({f['build_rate']:,.0f} documents/s;"
        f" {f['build_cpu_s']:.0f} CPU-seconds over all writer processes;"
        f" runs: {', '.join(f'{b:.1f} s' for b in f.get('build_runs', []))}) |"
        f" < 60 s, {build_ok} | {fts['build_s']:.1f} s |",
        f"| index size | {f['index_mb']:.0f} MB | — | in memory |",
        f"| change visible (commit → found) | {f['visible_ms']:.0f} ms | < 1 s, {visible_ok} | — |",
        f"| first query of a process (opens the index, reads columns) | {f['first_query_ms']:.0f} ms"
        " | — | — |",
        "",
        "FTS5 answers the typo queries in no time because it finds nothing for them. The cold"
        " first pass includes reading each term's postings from disk once (the slowest: a word of"
        " tens of thousands of ingredient lists); the rebuild slows down when other processes"
        " take the cores (one run above at 50 s).",
        "",
        "Relevance on the labelled query set (`tests/search/test_relevance.py`, 101 queries with"
        " typos, missing accents, plurals, elisions and English words) is printed by that test;"
        " see docs/search.md.",
        "",
    ]
    return "\n".join(lines)


def write_report(path: Path, figures: dict) -> None:
    """Replace (or add) the Search section, leaving the other sections alone."""
    section = render(figures)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    # The section ends at the next heading or at another report's marker (bench/load_report.py).
    pattern = re.compile(r"^## Search\n.*?(?=^## |^<!-- |\Z)", re.S | re.M)
    text = (
        pattern.sub(section.rstrip("\n") + "\n\n", text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + section
    )
    path.write_text(text, encoding="utf-8")
