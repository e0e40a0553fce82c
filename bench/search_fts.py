"""The reference an engineer would pick instead of Whoosh: SQLite FTS5, for search_bench.py."""

from __future__ import annotations

import math
import re
import sqlite3

from shops.categories import get_category


class Fts5Search:
    """FTS5 (unicode61 remove_diacritics 2) over the same shops and products, BM25-ranked."""

    def __init__(self, shops: list[dict], products: list[dict]) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.executescript(
            "CREATE VIRTUAL TABLE docs USING fts5(name, description, labels, shop_name,"
            " tokenize='unicode61 remove_diacritics 2');"
            "CREATE TABLE meta(rowid INTEGER PRIMARY KEY, category TEXT, price INTEGER,"
            " lat REAL, lon REAL);"
            "CREATE INDEX meta_price ON meta(price); CREATE INDEX meta_cat ON meta(category);"
        )
        by_id = {s["id"]: s for s in shops}
        rows, meta = [], []
        for i, s in enumerate(shops, 1):
            category = get_category(s["category"])
            labels = f"{category.fr} {category.en}" if category else ""
            rows.append((i, s["name"], s["description"], labels, s["name"]))
            meta.append((i, s["category"], 0, s["lat"], s["lon"]))
        for i, p in enumerate(products, len(shops) + 1):
            s = by_id[p["shop_id"]]
            rows.append((i, p["name"], p["description"][:400], p["category"], s["name"]))
            meta.append((i, s["category"], p["price_cents"], s["lat"], s["lon"]))
        self.db.executemany(
            "INSERT INTO docs(rowid, name, description, labels, shop_name) VALUES (?,?,?,?,?)", rows
        )
        self.db.executemany("INSERT INTO meta VALUES (?,?,?,?,?)", meta)
        self.db.commit()

    @staticmethod
    def _match(q: str, prefix: bool = False) -> str | None:
        tokens = [t for t in re.findall(r"\w+", q) if len(t) > 1]
        if not tokens:
            return None
        quoted = ['"' + t + '"' for t in tokens]
        if prefix:
            quoted[-1] += "*"
        return " ".join(quoted)

    def search(self, q: str, category=None, lo=None, hi=None, near=None, radius_km=None, k=20):
        """Top k rowids and the total count, with SQL filters and a bounding box."""
        match = self._match(q)
        where, args = ["docs MATCH ?"], [match]
        if match is None:
            return [], 0
        if category:
            where.append("meta.category = ?")
            args.append(category)
        if lo is not None:
            where.append("meta.price >= ?")
            args.append(lo)
        if hi is not None:
            where.append("meta.price <= ?")
            args.append(hi)
        if near:
            dlat = radius_km / 111.32
            dlon = radius_km / (111.32 * math.cos(math.radians(near[0])))
            where.append("meta.lat BETWEEN ? AND ? AND meta.lon BETWEEN ? AND ?")
            args += [near[0] - dlat, near[0] + dlat, near[1] - dlon, near[1] + dlon]
        # The WHERE pieces are constants of this method; every value is a bound parameter.
        conditions = " AND ".join(where)
        sql = f"SELECT docs.rowid AS rowid, bm25(docs, 10.0, 1.0, 2.0, 1.0) AS score FROM docs JOIN meta ON meta.rowid = docs.rowid WHERE {conditions}"  # noqa: S608
        top = self.db.execute(sql + " ORDER BY score LIMIT ?", [*args, k]).fetchall()
        facets = self.db.execute(
            "SELECT meta.category, count(*) FROM (" + sql + ") AS hits"  # noqa: S608
            " JOIN meta ON meta.rowid = hits.rowid GROUP BY 1",
            args,
        ).fetchall()
        return [r[0] for r in top], sum(n for _c, n in facets)

    def suggest(self, prefix: str, k: int = 8):
        """Names starting so (prefix query on the name column)."""
        match = self._match(prefix, prefix=True)
        if match is None:
            return []
        sql = "SELECT name FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?"
        return [r[0] for r in self.db.execute(sql, ("name : (" + match + ")", k))]
