"""The single writer: apply the outbox to the index, and rebuild the index from the database."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from search import store
from search.documents import (
    all_documents,
    count_documents,
    first_image,
    load_public_products,
    load_shop,
    shop_documents,
)
from search.models import PRODUCT, PRUNED, SHOP, SearchOutbox
from search.schema import product_document
from search.snapshot import snapshot_for

log = logging.getLogger(__name__)

BATCH_ROWS = 2000  # outbox rows applied per index commit
MAX_GAPS = 1000  # ids still unseen (transactions in flight) that we keep waiting for
GAP_SECONDS = 300  # an id unseen for this long belonged to a rolled-back transaction


class NeedsRebuild(RuntimeError):
    """The index fell behind a pruned part of the outbox."""


def drain(
    index_dir: str,
    engine,
    blocking: bool = False,
    max_rows: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int | None:
    """Apply the pending outbox rows; return how many, or None if another process is writing.

    The writer that holds the lock looks again after releasing it: a process that committed
    while we held the lock skipped its own drain, counting on us to apply its rows.
    `max_rows` stops after the batch that reaches it (a request leaves a big backlog to others);
    `progress` hears the rows applied so far after each batch.
    """
    applied = 0
    while True:
        with store.file_lock(index_dir, "writer.lock", blocking) as got:
            if not got:
                return None if applied == 0 else applied
            while True:
                count = _apply_batch(index_dir, engine)
                applied += count
                if count == 0:
                    break
                if progress is not None:
                    progress(applied)
                if max_rows is not None and applied >= max_rows:
                    return applied
        if not has_pending(index_dir, engine):
            return applied


def has_pending(index_dir: str, engine) -> bool:
    """True if the outbox holds rows the live index has not applied (one indexed query)."""
    position = current_position(index_dir)
    with Session(engine) as session:
        query = pending_query(position).with_only_columns(SearchOutbox.id).limit(1)
        return session.scalar(query) is not None


def current_position(index_dir: str) -> dict:
    """The outbox position of the live index (read from this process's up-to-date snapshot)."""
    return snapshot_for(index_dir).position


def pending_query(position: dict):
    gaps = [int(g) for g in position["gaps"]]
    condition = SearchOutbox.id > position["last"]
    if gaps:
        condition = or_(condition, SearchOutbox.id.in_(gaps))
    return select(SearchOutbox).where(condition).order_by(SearchOutbox.id)


def _apply_batch(index_dir: str, engine) -> int:
    ix = store.open_live(index_dir)
    with ix.searcher() as searcher:
        position = store.read_position(searcher)
    with Session(engine) as session:
        rows = session.scalars(pending_query(position).limit(BATCH_ROWS)).all()
        if not rows:
            return 0
        if any(r.kind == PRUNED and r.entity_id > position["last"] for r in rows):
            raise NeedsRebuild()
        writer = ix.writer(timeout=30)
        try:
            apply_rows(session, writer, rows)
            store.write_position(writer, next_position(position, [r.id for r in rows]))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
    return len(rows)


def apply_rows(session: Session, writer, rows) -> None:
    """Bring the index in line with the database for every entity named by `rows`."""
    shop_ids = {r.entity_id for r in rows if r.kind == SHOP}
    product_ids = {r.entity_id for r in rows if r.kind == PRODUCT}
    for shop_id in sorted(shop_ids):
        writer.delete_by_term("shop", str(shop_id))  # the shop and all its products
        shop = load_shop(session, shop_id)
        if shop is not None:
            for document in shop_documents(session, shop):
                product_ids.discard(
                    int(document["id"][2:]) if document["kind"] == "product" else -1
                )
                writer.add_document(**document)
    # One query per 500 products: a 30,000-row CSV import is indexed in seconds, not minutes.
    ordered = sorted(product_ids)
    products = load_public_products(session, ordered)
    for product_id in ordered:
        product = products.get(product_id)
        if product is not None and product.shop_id in shop_ids:
            continue  # already written with its shop
        if product is None:
            writer.delete_by_term("id", f"p:{product_id}")
        else:
            writer.update_document(**product_document(product, product.shop, first_image(product)))


def next_position(position: dict, seen_ids: list[int], now: float | None = None) -> dict:
    """The position after applying `seen_ids`: ids skipped below the new last become gaps.

    PostgreSQL hands out ids when rows are inserted, not when they commit, so a slower
    transaction can commit id 10 after id 11 was applied: 10 stays a gap we keep reading until
    it shows up, or until GAP_SECONDS say its transaction rolled back.
    """
    now = time.time() if now is None else now
    seen = set(seen_ids)
    gaps = {int(k): v for k, v in position["gaps"].items() if int(k) not in seen}
    last = position["last"]
    top = max(seen | {last})
    for missing in range(last + 1, top):
        if missing not in seen and len(gaps) < MAX_GAPS:
            gaps[missing] = now
    gaps = {k: v for k, v in gaps.items() if now - v < GAP_SECONDS}
    return {"last": top, "gaps": {str(k): v for k, v in gaps.items()}}


def rebuild(
    index_dir: str,
    engine,
    procs: int | None = None,
    progress: Callable[[int], None] | None = None,
    only_if_unusable: bool = False,
) -> int:
    """Build a fresh index from the database beside the live one and swap it in; return docs.

    `only_if_unusable`: several workers that found the index lost queue on the lock; once the
    first has rebuilt it, the others only catch up (returns -1) instead of rebuilding again.
    """
    with store.file_lock(index_dir, "rebuild.lock", blocking=True):
        if only_if_unusable and _usable(index_dir):
            drain(index_dir, engine, blocking=True)
            return -1
        with Session(engine) as session:
            last = session.scalar(select(func.max(SearchOutbox.id))) or 0
            present = set(
                session.scalars(select(SearchOutbox.id).where(SearchOutbox.id > last - MAX_GAPS))
            )
            total = count_documents(session)
            ix, path = store.new_generation(index_dir)
            procs = procs or min(os.cpu_count() or 1, 2)
            big = total > 20_000 and procs > 1
            writer = (
                ix.writer(procs=procs, limitmb=256, multisegment=True)
                if big
                else ix.writer(limitmb=256)
            )
            count = 0
            try:
                for document in all_documents(session):
                    writer.add_document(**document)
                    count += 1
                    if progress and count % 500 == 0:
                        progress(500)
                gaps = {str(i): time.time() for i in range(max(last - MAX_GAPS, 0) + 1, last)}
                gaps = {k: v for k, v in gaps.items() if int(k) not in present}
                store.write_position(writer, {"last": last, "gaps": gaps})
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            if progress:
                progress(count % 500)
        store.swap_in(index_dir, path)
    drain(index_dir, engine, blocking=True)
    return count


def _usable(index_dir: str) -> bool:
    try:
        store.open_live(index_dir)
    except store.IndexUnavailable:
        return False
    return True


def ensure_index(index_dir: str, engine, progress: Callable[[int], None] | None = None) -> str:
    """Open the index, rebuilding it if lost or corrupted, and catch up; return what was done."""
    try:
        store.open_live(index_dir)
    except store.IndexUnavailable as error:
        log.warning("search index unavailable (%s): rebuilding", error)
        return "rebuilt" if rebuild(index_dir, engine, only_if_unusable=True) >= 0 else "synced"
    try:
        drain(index_dir, engine, blocking=True, progress=progress)
    except NeedsRebuild:
        log.warning("search index fell behind the pruned outbox: rebuilding")
        rebuild(index_dir, engine)
        return "rebuilt"
    return "synced"
