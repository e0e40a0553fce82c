"""Build the relevance corpus and its graded judgments for tests/search/test_relevance.py.

    .venv/bin/python scripts/build_search_corpus.py [data/demo]

Picks real products (Open Food Facts, ODbL) of the demo town's data (data/demo, committed) and
the real Paris shops (Ville de Paris, ODbL) that sell them, and writes tests/search/data/corpus.jsonl.gz (committed: a clone without
shared/ can still run the test) and tests/search/data/judgments.json.

Judgments are graded 0-3 by explicit, written-down rules per query intent, applied to the
correctly spelled intent (the query may carry typos, missing accents, plurals or English):
3 = the name says exactly what was asked (or a shop of the asked kind), 2 = the name says the
main thing asked, 1 = related by its category or aisle, 0 = anything else (not listed);
type3 / type2 (tests/search/intents_more.py) grade a product of the asked type by its category.
Each intent is in the tuning part or in the test part (tests/search/relevance.py split_of).
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marketplace.demo.categories import shop_category  # noqa: E402
from tests.search.intents import INTENTS  # noqa: E402
from tests.search.intents_more import MORE_INTENTS  # noqa: E402
from tests.search.relevance import split_of  # noqa: E402

OUT = ROOT / "tests" / "search" / "data"
PER_INTENT = 45  # products whose name matches an intent, at most
DISTRACTORS = 1000
SHOPS_PER_KIND = 14


def fold(text: str) -> str:
    """Lower case without accents or ligatures."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def grade(intent: dict, doc: dict) -> int:
    """The grade of one document for one intent (see the module docstring).

    A shop of the intent's kind gets its grade from "shops" (a cheese shop for "cheese"), one
    more when its name also says the word ("Fromages de Saison"); a shop of another kind whose
    name says it gets 2 ("Ma bière"). A product named right but of an unrelated aisle (when the
    intent gives "aisle3": the "The" of an English name is no tea) gets 1.
    """
    name = fold(doc["name"])
    named = all(re.search(p, name) for p in intent["name3"])
    if doc["kind"] == "shop":
        kind = intent.get("shops", {}).get(doc["category"], 0)
        return min(3, kind + 1) if kind and named else max(kind, 2 if named else 0)
    related = fold(f"{doc['category']} {doc['aisle']}")
    if named:
        return 3 if re.search(intent.get("aisle3", ""), related) else 1
    for key, value in (("type3", 3), ("type2", 2)):
        if intent.get(key) and re.search(intent[key], fold(doc["category"])):
            return value
    if intent.get("name2") and all(re.search(p, name) for p in intent["name2"]):
        return 2
    if intent.get("related1") and re.search(intent["related1"], related):
        return 1
    return 0


def main(data: Path) -> None:
    rng = random.Random(20261128)  # noqa: S311 - a reproducible sample, not a secret
    with gzip.open(data / "products.jsonl.gz", "rt", encoding="utf-8") as f:
        products = [json.loads(line) for line in f]
    with gzip.open(data / "shops_paris.csv.gz", "rt", encoding="utf-8") as f:
        shops = {row["shop_id"]: row for row in csv.DictReader(f)}
    chosen: dict[str, dict] = {}
    intents = INTENTS + MORE_INTENTS
    for intent in intents:
        matching = [
            p
            for p in products
            if all(re.search(x, fold(p["name"])) for x in intent["name3"])
            or (intent.get("type3") and re.search(intent["type3"], fold(p["category"])))
        ]
        for p in rng.sample(matching, min(PER_INTENT, len(matching))):
            chosen[p["id"]] = p
    for p in rng.sample(products, DISTRACTORS):
        chosen[p["id"]] = p
    shop_ids = {p["shop_id"] for p in chosen.values()}
    by_kind: dict[str, list[str]] = {}
    for sid, row in shops.items():
        by_kind.setdefault(shop_category(row["type"], row["name"], row["description"]), []).append(
            sid
        )
    for kind_ids in by_kind.values():
        shop_ids.update(rng.sample(kind_ids, min(SHOPS_PER_KIND, len(kind_ids))))
    docs = []
    for sid in sorted(shop_ids):
        row = shops[sid]
        docs.append(
            {
                "kind": "shop",
                "key": sid,
                "name": row["name"],
                "category": shop_category(row["type"], row["name"], row["description"]),
                "description": row["description"][:300],
                "address": row["address"],
                "postcode": row["postcode"],
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
            }
        )
    for p in sorted(chosen.values(), key=lambda p: p["id"]):
        docs.append(
            {
                "kind": "product",
                "key": p["id"],
                "name": p["name"][:200],
                "description": p["description"][:200],
                "category": p["category"][:80],
                "aisle": p["aisle"],
                "price_cents": max(1, round(p["price_eur"] * 100)),
                "shop": p["shop_id"],
            }
        )
    OUT.mkdir(parents=True, exist_ok=True)
    with gzip.open(OUT / "corpus.jsonl.gz", "wt", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    judgments = []
    for intent in intents:
        graded = {f"{d['kind']}:{d['key']}": grade(intent, d) for d in docs}
        for query in intent["queries"]:
            judgments.append(
                {
                    "q": query,
                    "intent": intent["intent"],
                    "split": split_of(intent["intent"]),
                    "set": "original" if intent in INTENTS else "issue-14",
                    "grades": {k: g for k, g in graded.items() if g},
                }
            )
    (OUT / "judgments.json").write_text(json.dumps(judgments, ensure_ascii=False, indent=0))
    print(f"{len(docs)} documents, {len(judgments)} queries written to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data" / "demo")
