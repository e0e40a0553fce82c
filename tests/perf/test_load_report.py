"""bench/load.py's report (issue 20): the wait on Stripe told apart from our own time, and the
"every page" verdict made on our pages, not on the Stripe emulator's."""

from __future__ import annotations

from types import SimpleNamespace

from bench.load_report import outside_split, write_section


def row(p95: float, requests: int = 10) -> dict:
    """One endpoint's medians as bench/load.py keeps them."""
    return {"requests": requests, "failures": 0, "rps": 1.0, "p50": p95 / 2, "p95": p95, "p99": p95}


def test_our_part_is_the_whole_less_the_wait_on_stripe():
    waits = [(total, 20.0) for total in range(60, 160)] + [(400.0, 330.0)]  # one slow webhook

    split = outside_split(waits)

    assert split["count"] == 101
    assert split["p95"] == 155  # the 96th of 101 answers, sorted by their whole time
    assert split["p95_ours"] == 134  # the slow one is 70 ms of ours
    assert split["p95_stripe"] == 20


def test_the_report_judges_our_pages_and_shows_the_split(tmp_path):
    doc = tmp_path / "benchmarks.md"
    rows = {
        "/shops/[slug]": row(80),
        "/checkout (POST)": row(95),
        "emulator: pay": row(480),  # Stripe's page: not ours to judge
    }
    summary = {
        "rows": rows,
        "requests": 30,
        "failures": 0,
        "rps": 3.0,
        "p50": 40,
        "p95": 95,
        "p99": 480,
        "failures_all": 0,
        "outside": {"/checkout (POST)": {"count": 10, "p95": 95, "p95_ours": 70, "p95_stripe": 25}},
    }
    run = {**summary, "errors": {}, "load_before": 0.5, "load_after": 1.0, "cache": {}}
    args = SimpleNamespace(users=6, runs=1, seconds=10, warmup=2)

    write_section(doc, args, summary, [run])

    text = doc.read_text()
    assert "- every page p95 < 100 ms: slowest `/checkout (POST)` 95 ms, met" in text
    assert "| `/checkout (POST)` | 10 | 95 | 70 | 25 |" in text
