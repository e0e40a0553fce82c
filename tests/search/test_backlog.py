"""A big backlog in the outbox (a catalogue import indexed elsewhere) never lands on one request."""

from __future__ import annotations

import threading

from sqlalchemy import event

from marketplace.extensions import db
from search import indexer
from search.sync import REQUEST_DRAIN_ROWS
from shops.models import Product
from tests.factories import make_shop
from tests.search.conftest import found


def make_backlog(app, count: int) -> None:
    """Commit `count` products while the index does not follow (as on another server)."""
    shop = make_shop(name="Savonnerie du Canal", category="beaute")
    app.config["SEARCH_SYNC_AFTER_COMMIT"] = False
    db.session.add_all(
        Product(shop_id=shop.id, slug=f"savon-{n}", name=f"Savon {n}", price_cents=450)
        for n in range(count)
    )
    db.session.commit()
    app.config["SEARCH_SYNC_AFTER_COMMIT"] = True


def test_a_drain_stops_after_the_batch_that_reaches_its_bound(app, client, index_dir):
    client.get("/search")  # this process has started (and caught up)
    make_backlog(app, REQUEST_DRAIN_ROWS + 500)
    assert indexer.drain(index_dir, db.engine, max_rows=REQUEST_DRAIN_ROWS) == REQUEST_DRAIN_ROWS
    assert indexer.has_pending(index_dir, db.engine)
    assert indexer.drain(index_dir, db.engine) == 500  # the rest


def batches_read_by_this_thread():
    """The outbox batches (SELECT of whole rows) that the calling thread reads, as a list."""
    me, batches = threading.get_ident(), []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if "search_outbox.kind" in statement and threading.get_ident() == me:
            batches.append(statement)

    return batches, seen


def test_a_search_request_hands_a_big_backlog_to_a_background_catch_up(app, client, index_dir):
    client.get("/search")
    app.config["SEARCH_REBUILD_IN_BACKGROUND"] = True  # as in production
    app.config["SEARCH_POLL_SECONDS"] = 0  # the next search polls the outbox
    make_backlog(app, REQUEST_DRAIN_ROWS + 500)
    batches, seen = batches_read_by_this_thread()
    event.listen(db.engine, "after_cursor_execute", seen)
    try:
        assert client.get("/search?q=savon").status_code == 200  # served in this thread
    finally:
        event.remove(db.engine, "after_cursor_execute", seen)
    assert len(batches) == 1  # the request applied one batch ...
    thread = app.extensions["vitrine.search_sync"]["rebuild"]
    assert thread is not None  # ... and handed the rest to a thread of its own
    thread.join(timeout=120)
    assert not thread.is_alive() and not indexer.has_pending(index_dir, db.engine)
    assert found(client, "savon", per_page=1) != []
