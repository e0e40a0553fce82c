"""Write search_outbox rows in the same transaction as every change the public could see."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete, event, func, insert, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import History

from marketplace.db import utcnow
from search.models import DELETE, PRODUCT, PRUNED, SHOP, UPSERT, SearchOutbox
from shops.indexing import STOCK_FLIPS, STOCK_FLIPS_NOTED
from shops.models import Closure, OpeningHours, Product, ProductImage, Shop
from shops.statements import product_ids_in

log = logging.getLogger(__name__)

PENDING_FLAG = "search_outbox_written"  # in Session.info: drain after this commit

# Columns whose change alters a shop's document or its products' (others, such as Stripe
# fields, leave the index alone).
SHOP_FIELDS = (
    "name",
    "slug",
    "category",
    "description",
    "specialities",
    "address",
    "postcode",
    "lat",
    "lon",
    "status",
    "featured",
    "published_at",
    "hours_rules",  # "open now" (shops.opening)
    "closed_on_holidays",
)
PRODUCT_FIELDS = (
    "name",
    "slug",
    "description",
    "price_cents",
    "category",
    "product_type",
    "sku",
    "is_active",
    "hidden_reason",
    "shop_id",
)


def _changed(obj, fields) -> bool:
    state = inspect(obj)
    return any(state.attrs[f].history.has_changes() for f in fields)


def _stock_flipped(product: Product) -> bool:
    """A stock change matters only when the product goes in or out of stock."""
    history: History = inspect(product).attrs.stock.history
    if not history.has_changes():
        return False
    before = history.deleted[0] if history.deleted else None
    after = history.added[0] if history.added else product.stock
    return (before is None or before > 0) != (after is None or after > 0)


def _changes(session: Session) -> set[tuple[str, int, str]]:
    rows: set[tuple[str, int, str]] = set()
    for obj in session.new:
        _add_for(rows, obj, UPSERT)
    for obj in session.dirty:
        if isinstance(obj, Shop) and not _changed(obj, SHOP_FIELDS):
            continue
        if isinstance(obj, Product) and not (_changed(obj, PRODUCT_FIELDS) or _stock_flipped(obj)):
            continue
        _add_for(rows, obj, UPSERT)
    for obj in session.deleted:
        _add_for(rows, obj, DELETE)
    return rows


def _add_for(rows: set, obj, op: str) -> None:
    if isinstance(obj, Shop):
        rows.add((SHOP, obj.id, op))
    elif isinstance(obj, Product):
        rows.add((PRODUCT, obj.id, op))
    elif isinstance(obj, OpeningHours | Closure) and obj.shop_id is not None:
        rows.add((SHOP, obj.shop_id, UPSERT))
    elif isinstance(obj, ProductImage) and obj.product_id is not None:
        rows.add((PRODUCT, obj.product_id, UPSERT))


def record_changes(session: Session, flush_context) -> None:
    """after_flush: ids are assigned and the pre-flush state is still visible."""
    rows = _changes(session)
    if rows:
        write_rows(session, rows)


def write_rows(session: Session, rows) -> None:
    """Insert outbox rows on the session's connection, inside its transaction."""
    now = utcnow()
    values = [{"kind": k, "entity_id": i, "op": o, "created_at": now} for k, i, o in sorted(rows)]
    session.connection().execute(insert(SearchOutbox.__table__), values)
    session.info[PENDING_FLAG] = True


def mark_changed(session: Session, kind: str, entity_id: int) -> None:
    """Record a change made without the ORM unit of work (a bulk or conditional UPDATE)."""
    write_rows(session, {(kind, entity_id, UPSERT)})


def write_stock_flips(session: Session) -> None:
    """before_commit: the products this transaction took out of stock or put back."""
    flipped = session.info.pop(STOCK_FLIPS, None)
    if flipped:
        write_rows(session, {(PRODUCT, i, UPSERT) for i in flipped})


def _forget(session: Session, *args) -> None:
    session.info.pop(PENDING_FLAG, None)
    session.info.pop(STOCK_FLIPS, None)


def install(after_commit) -> None:
    """Listen on every Session once; `after_commit(session)` runs when outbox rows committed."""
    if event.contains(Session, "after_flush", record_changes):
        return
    event.listen(Session, "after_flush", record_changes)
    event.listen(Session, "do_orm_execute", record_bulk_update)
    event.listen(Session, "before_commit", write_stock_flips)
    event.listen(Session, "after_rollback", _forget)

    def _committed(session: Session) -> None:
        if session.info.pop(PENDING_FLAG, False):
            after_commit(session)

    event.listen(Session, "after_commit", _committed)


def record_bulk_update(state) -> None:
    """do_orm_execute: a bulk UPDATE of products re-indexes them (not a stock UPDATE reporting its flips)."""
    if not state.is_update or state.statement.whereclause is None:
        return
    if state.execution_options.get(STOCK_FLIPS_NOTED):
        return  # stock only: its caller reports the flips, written at commit (write_stock_flips)
    mapper = state.bind_mapper
    if mapper is None or mapper.class_ is not Product:
        return
    where = state.statement.whereclause
    rows = {(PRODUCT, i, UPSERT) for i in product_ids_in(where)}
    rows |= {(SHOP, i, UPSERT) for i in product_ids_in(where, "shop_id")}
    if rows:
        write_rows(state.session, rows)
    else:
        log.warning("products updated in bulk without ids: run `flask search sync` or mark_changed")


def prune_outbox(engine, days: int) -> int | None:
    """Delete outbox rows older than `days` (replicas behind them rebuild); return the last id gone."""
    cutoff = utcnow() - timedelta(days=days)
    with Session(engine) as session, session.begin():
        top = session.scalar(
            select(func.max(SearchOutbox.id)).where(SearchOutbox.created_at < cutoff)
        )
        if top is None:
            return None
        session.execute(delete(SearchOutbox).where(SearchOutbox.id <= top))
        session.execute(
            insert(SearchOutbox).values(kind=PRUNED, entity_id=top, op=UPSERT, created_at=utcnow())
        )
    return top
