"""The process dies (SIGKILL, OOM killer) between the stock decrement and the commit: nothing leaks.

A real checkout in another process reserves the stock (the conditional UPDATE ran, the order rows
are flushed), then is SIGKILLed before its commit. The database throws the transaction away: the
stock is whole, no checkout or order exists, and the row locks are gone (the next checkout of the
same product goes through at once).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from marketplace.extensions import db
from tests.factories import make_product, make_shop, make_user
from tests.orders.helpers import TZ, place, set_hours, stock_of, written

ROOT = Path(__file__).resolve().parents[2]


def test_a_checkout_killed_before_its_commit_leaves_the_stock_whole(app):
    shop = make_shop(name="Fromagerie Oberkampf", pay_at_pickup=True, prep_minutes=0)
    set_hours(shop)
    brie = make_product(shop, "Brie de Meaux", 1290, stock=5)
    camille = make_user("camille@example.org", name="Camille")
    before = written()
    ids = [str(camille.id), str(brie.id), str(shop.id), "4"]
    db.session.remove()  # release our connection: on SQLite the worker must get the write lock

    worker = subprocess.Popen(  # noqa: S603 - our own module
        [sys.executable, "-m", "tests.faults.checkout_worker", *ids],
        cwd=ROOT,
        env={**os.environ, "VITRINE_WORKER_DB": app.config["SQLALCHEMY_DATABASE_URI"]},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        line = worker.stdout.readline().strip()
        assert line == "reserved 1", line  # inside its transaction the stock is already 5 - 4
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()

    brie, shop = db.session.merge(brie), db.session.merge(shop)
    assert stock_of(brie) == 5
    assert written() == before
    # No lock left behind: the same units can be reserved right away, by someone else.
    from marketplace.db import utcnow
    from marketplace.orders.slots import pickup_slots_for

    slot = pickup_slots_for(shop, utcnow(), TZ)[0].starts_at
    checkout = place(make_user("rose@example.org", name="Rose"), {brie: 5}, {shop: slot}, utcnow())
    assert checkout.orders[0].status == "confirmed"
    assert stock_of(brie) == 0
