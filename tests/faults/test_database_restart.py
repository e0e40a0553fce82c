"""The database drops our connections during traffic (a restart, a failover), on PostgreSQL.

The shared test server cannot be restarted, so PostgreSQL itself kills our backends with
pg_terminate_backend, exactly what clients see when it restarts: the socket closes mid-transaction.
Requests fail cleanly (a 503 page, never a 500), no half order is left, and service resumes.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import traceback

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import OperationalError

from marketplace.extensions import db
from tests.conftest import english_client, page_text
from tests.factories import login, make_product, make_shop, make_user
from tests.orders.helpers import set_hours, stock_of, written
from tests.payments.town import check_out, fill_cart


@pytest.fixture
def postgres(app, database_url):
    """An admin connection to the same server, and the pids of the app's own backends."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (VITRINE_TEST_DB=postgres)")
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    pids: set[int] = set()

    @event.listens_for(db.engine, "connect")
    def remember(dbapi_connection, _record):
        pids.add(dbapi_connection.info.backend_pid)

    db.engine.dispose()  # every connection from now on is seen by `remember`
    yield admin, pids
    event.remove(db.engine, "connect", remember)
    try:  # the test's own session may hold a killed connection too
        db.session.remove()
    except Exception:
        db.session.registry.clear()
    db.engine.dispose()
    admin.dispose()


def terminate(admin, pids, wait: bool = True) -> None:
    """Kill these backends and (by default) wait until PostgreSQL has reaped them."""
    with admin.connect() as conn:
        for pid in list(pids):
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        if not wait:
            return
        deadline = time.monotonic() + 10
        while conn.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)"),
            {"pids": list(pids)},
        ).scalar_one():
            assert time.monotonic() < deadline
            time.sleep(0.01)


def shop_and_cart(app):
    shop = make_shop(name="Fromagerie Oberkampf", pay_at_pickup=True, prep_minutes=0)
    set_hours(shop)
    brie = make_product(shop, "Brie de Meaux", 1290, stock=5)
    browser = english_client(app)
    login(browser, make_user("camille@example.org", name="Camille"))
    fill_cart(browser, {brie: 2})
    return shop, brie, browser


def test_a_checkout_cut_off_mid_transaction_leaves_no_half_order(app, postgres):
    admin, _pids = postgres
    _shop, brie, browser = shop_and_cart(app)
    before = written()
    fired = []

    def cut_off(conn, _cursor, statement, _params, _context, _many):
        # After the stock UPDATE and the order rows, before the commit: the server goes away.
        if statement.lstrip().upper().startswith("INSERT INTO ORDER_LINES") and not fired:
            fired.append(conn.connection.dbapi_connection.info.backend_pid)
            terminate(admin, fired)

    event.listen(db.engine, "before_cursor_execute", cut_off)
    try:
        refused = check_out(browser, "at_pickup")
    finally:
        event.remove(db.engine, "before_cursor_execute", cut_off)

    assert fired, "the checkout never reached its order lines"
    assert refused.status_code == 503
    assert "briefly unavailable. Nothing was changed" in page_text(refused)
    assert int(refused.headers["Retry-After"]) > 0
    assert written() == before  # no checkout, order, line or event
    assert stock_of(brie) == 5  # the decrement went with the transaction

    placed = check_out(browser, "at_pickup")  # the resident tries again: it works, once
    assert placed.status_code in (302, 303), page_text(placed)[:500]
    assert written()["orders"] == before["orders"] + 1
    assert stock_of(brie) == 3


def test_a_lost_connection_behind_a_swallowed_error_is_a_503_not_a_500(app, postgres):
    """Code that catches the first error and goes on gets another class of error: still a 503."""
    admin, _pids = postgres

    def swallows_the_first_error():
        pid = db.session.connection().connection.dbapi_connection.info.backend_pid
        terminate(admin, {pid})
        with contextlib.suppress(OperationalError):  # what a careless caller does
            db.session.execute(text("SELECT 1"))
        # The session now refuses every statement until rolled back:
        db.session.execute(text("SELECT 1"))  # raises PendingRollbackError, not OperationalError
        return "unreachable"

    def raises_from_it():
        pid = db.session.connection().connection.dbapi_connection.info.backend_pid
        terminate(admin, {pid})
        try:
            db.session.execute(text("SELECT 1"))
        except OperationalError as error:
            raise LookupError("the shop could not be read") from error
        return "unreachable"

    app.add_url_rule("/test/swallowed", view_func=swallows_the_first_error)
    app.add_url_rule("/test/raised-from", view_func=raises_from_it)
    browser = english_client(app)
    for url in ("/test/swallowed", "/test/raised-from"):
        answer = browser.get(url)
        assert answer.status_code == 503, (url, page_text(answer)[:300])
        assert "briefly unavailable. Nothing was changed" in page_text(answer)
        assert int(answer.headers["Retry-After"]) > 0
    assert browser.get("/shops").status_code == 200  # the next request gets a fresh connection


def test_traffic_survives_connections_killed_again_and_again(app, postgres, caplog):
    admin, pids = postgres
    shop, _brie, _browser = shop_and_cart(app)
    urls = ["/shops", f"/shops/{shop.slug}", "/search?q=brie", "/cart/", "/healthz"]
    statuses: list[int] = []
    stop = threading.Event()

    escaped: list[str] = []

    def visitor():
        browser = english_client(app)
        while not stop.is_set():
            for url in urls:
                try:
                    statuses.append(browser.get(url).status_code)
                except Exception:  # an error the app let out instead of answering
                    escaped.append(f"{url}: {traceback.format_exc()}")

    visitors = [threading.Thread(target=visitor) for _ in range(3)]
    for thread in visitors:
        thread.start()
    kills = 0
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:  # a restart storm: every live backend of ours, repeatedly
        terminate(admin, pids, wait=False)
        pids.clear()
        kills += 1
        time.sleep(0.05)  # pacing of the storm, not a wait for an outcome
    stop.set()
    for thread in visitors:
        thread.join()

    assert not escaped, escaped[0]
    assert kills >= 5 and len(statuses) >= 20
    bugs = [r for r in caplog.records if r.getMessage().startswith("Unhandled error")]
    assert set(statuses) <= {200, 503}, [
        logging.Formatter().format(r) for r in bugs[:2]
    ]  # names the exception that was let through
    browser = english_client(app)
    assert all(browser.get(url).status_code == 200 for url in urls)  # service resumed


def test_a_cached_public_page_survives_its_stamp_connection_being_dropped(app, postgres):
    """The stamp's own connection (public/stamp_connection.py) reconnects and the page is served."""
    import os

    from marketplace.public.stamp_connection import APPLICATION_NAME

    admin, _pids = postgres
    shop = make_shop(name="Boulangerie Relance")
    make_product(shop, "Baguette", 120, stock=5)
    visitor = app.test_client()
    assert visitor.get(f"/shops/{shop.slug}").status_code == 200
    assert visitor.get(f"/shops/{shop.slug}").headers["X-Page-Cache"] == "hit"
    with admin.connect() as conn:
        stamp_pids = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE application_name = :name"),
            {"name": f"{APPLICATION_NAME} {os.getpid()}"},
        ).scalars()
        stamp_pids = set(stamp_pids)
    assert stamp_pids  # the stamp went on its own connection
    terminate(admin, stamp_pids)
    again = visitor.get(f"/shops/{shop.slug}")
    assert again.status_code == 200 and again.headers["X-Page-Cache"] == "hit"
    assert "Baguette" in page_text(again)
