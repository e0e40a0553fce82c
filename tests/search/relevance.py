"""Relevance measures and the SQLite FTS5 reference, shared by the test and the benchmark."""

from __future__ import annotations

import gzip
import json
import math
import re
import sqlite3
import zlib
from pathlib import Path

from shops.categories import get_category

DATA = Path(__file__).parent / "data"
K = 10


def load_corpus(path: Path = DATA / "corpus.jsonl.gz") -> list[dict]:
    """The committed corpus: shops then products."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def load_judgments(path: Path = DATA / "judgments.json") -> list[dict]:
    """[{"q", "intent", "grades": {"product:<barcode>" | "shop:<id>": grade}}]."""
    return json.loads(path.read_text(encoding="utf-8"))


def split_of(intent: str) -> str:
    """ "test" for about a third of the intents (all their queries), never tuned on; else "tune"."""
    return "test" if zlib.crc32(intent.encode("utf-8")) % 3 == 0 else "tune"


def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    """nDCG@k with gains 2^grade - 1."""

    def dcg(values) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(values[:k]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(key, 0) for key in ranked]) / ideal if ideal else 0.0


class Fts5Reference:
    """What an engineer would use instead: FTS5, unicode61 remove_diacritics 2, BM25."""

    def __init__(self, corpus: list[dict]) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, name, description, labels,"
            " shop_name, tokenize='unicode61 remove_diacritics 2')"
        )
        shops = {d["key"]: d for d in corpus if d["kind"] == "shop"}
        rows = []
        for d in corpus:
            shop = d if d["kind"] == "shop" else shops[d["shop"]]
            category = get_category(shop["category"])
            labels = f"{category.fr} {category.en}" if category else ""
            if d["kind"] == "product":
                labels = f"{d['category']} {labels}"
            key = f"{d['kind']}:{d['key']}"
            rows.append((key, d["name"], d["description"], labels, shop["name"]))
        self.db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", rows)

    def search(self, q: str, k: int = K) -> list[str]:
        """Every typed word required (quoted, so no FTS syntax), ranked by weighted BM25."""
        tokens = [t for t in re.findall(r"\w+", q) if len(t) > 1]
        if not tokens:
            return []
        match = " ".join('"' + t.replace('"', "") + '"' for t in tokens)
        sql = (
            "SELECT key FROM docs WHERE docs MATCH ? "
            "ORDER BY bm25(docs, 0.0, 10.0, 1.0, 2.0, 1.0) LIMIT ?"
        )
        return [row[0] for row in self.db.execute(sql, (match, k))]


class PlainWhooshReference:
    """A plain Whoosh index: French stemming analyser, BM25F, every word required (the default)."""

    def __init__(self, corpus: list[dict]) -> None:
        from whoosh.analysis import LanguageAnalyzer
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.filedb.filestore import RamStorage
        from whoosh.qparser import MultifieldParser

        french = LanguageAnalyzer("fr")
        schema = Schema(
            key=ID(stored=True),
            name=TEXT(analyzer=french, field_boost=3.0),
            labels=TEXT(analyzer=french),
            shop_name=TEXT(analyzer=french),
            description=TEXT(analyzer=french, field_boost=0.5),
        )
        self.index = RamStorage().create_index(schema)
        shops = {d["key"]: d for d in corpus if d["kind"] == "shop"}
        with self.index.writer() as writer:
            for d in corpus:
                shop = d if d["kind"] == "shop" else shops[d["shop"]]
                category = get_category(shop["category"])
                labels = f"{category.fr} {category.en}" if category else ""
                if d["kind"] == "product":
                    labels = f"{d['category']} {labels}"
                writer.add_document(
                    key=f"{d['kind']}:{d['key']}",
                    name=d["name"],
                    labels=labels,
                    shop_name=shop["name"],
                    description=d["description"],
                )
        fields = ["name", "labels", "shop_name", "description"]
        self.parser = MultifieldParser(fields, schema)
        self.searcher = self.index.searcher()

    def search(self, q: str, k: int = K) -> list[str]:
        """The typed words (no query syntax), every one required, ranked by BM25F."""
        tokens = [t for t in re.findall(r"\w+", q) if len(t) > 1]
        if not tokens:
            return []
        query = self.parser.parse(" ".join(tokens))
        return [hit["key"] for hit in self.searcher.search(query, limit=k)]
