"""Compare the index with the database: what is missing, extra or out of date."""

from __future__ import annotations

from sqlalchemy.orm import Session

from search import store
from search.documents import all_documents
from search.indexer import pending_query
from search.schema import META_ID

# Stored fields whose difference means the index shows something the database no longer says.
COMPARED = ("kind", "name", "category", "postcode", "data")


def _fingerprint(fields: dict) -> tuple:
    return tuple(repr(fields.get(name)) for name in COMPARED)


def compare(index_dir: str, engine) -> dict[str, list[str]]:
    """{"missing": ids, "extra": ids, "stale": ids, "pending": outbox ids} (all empty: in step)."""
    ix = store.open_live(index_dir)
    with ix.searcher() as searcher:
        position = store.read_position(searcher)
        indexed = {
            f["id"]: _fingerprint(f) for f in searcher.all_stored_fields() if f["id"] != META_ID
        }
    with Session(engine) as session:
        expected = {d["id"]: _fingerprint(d) for d in all_documents(session)}
        pending = [str(r.id) for r in session.scalars(pending_query(position))]
    return {
        "missing": sorted(set(expected) - set(indexed)),
        "extra": sorted(set(indexed) - set(expected)),
        "stale": sorted(i for i in set(expected) & set(indexed) if expected[i] != indexed[i]),
        "pending": pending,
    }
