"""Accuracy of the product type mapping on the labelled sample (data/taxonomy/type_sample.csv).

    .venv/bin/python bench/type_mapping.py [--errors]

Each row gives a product name and the category a shopkeeper might write (a fine category, the
aisle, or nothing); `true_type` was set by the written rule of scripts/build_taxonomy.py.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shops.product_types import guess_type  # noqa: E402

SAMPLE = ROOT / "data" / "taxonomy" / "type_sample.csv"


def measure(path: Path = SAMPLE) -> tuple[float, list[tuple[str, str, str, str | None]]]:
    """(accuracy over the labelled rows, the rows mapped wrongly)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["true_type"]]
    wrong = []
    for row in rows:
        found = guess_type(row["category"], row["name"])
        if found != row["true_type"]:
            wrong.append((row["name"], row["category"], row["true_type"], found))
    return 1 - len(wrong) / len(rows), wrong


def main() -> None:
    """Print the accuracy (and the errors with --errors)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    accuracy, wrong = measure()
    if args.errors:
        for row in wrong:
            print(" | ".join(str(v) for v in row))
    print(f"type mapping accuracy: {accuracy:.1%} ({len(wrong)} wrong)")


if __name__ == "__main__":
    main()
