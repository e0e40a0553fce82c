"""Nothing is lost: a crash between commit and indexing, two writers at once, a lost index."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from marketplace.app import create_app
from marketplace.extensions import db
from search import store
from search.models import PRUNED, SearchOutbox
from tests.factories import make_product, make_shop
from tests.search.conftest import found, search_api

ROOT = Path(__file__).resolve().parents[2]


def worker(app, mode: str, shop_id: int, count: int, prefix: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "VITRINE_WORKER_DB": app.config["SQLALCHEMY_DATABASE_URI"],
        "VITRINE_WORKER_INDEX": app.config["SEARCH_INDEX_DIR"],
    }
    args = [sys.executable, "-m", "tests.search.worker", mode, str(shop_id), str(count), prefix]
    return subprocess.Popen(args, cwd=ROOT, env=env)  # noqa: S603 - our own module


def check(app):
    return app.test_cli_runner().invoke(args=["search", "check"])


def restart(app):
    """A new process-like app on the same database and index; its first request syncs."""
    again = create_app(
        "testing",
        {
            k: app.config[k]
            for k in ("SQLALCHEMY_DATABASE_URI", "INSTANCE_PATH", "SEARCH_INDEX_DIR")
        },
    )
    with again.app_context():
        again.test_client().get("/search?q=x")
    return again


def test_killed_after_commit_before_indexing_loses_nothing(app, client):
    shop = make_shop(name="Épicerie Voltaire", category="epicerie")
    make_product(shop, "Lentilles vertes", 300)
    assert found(client, "lentilles") == ["Lentilles vertes"]  # this process has started
    app.config["SEARCH_POLL_SECONDS"] = 3600  # no outbox poll: only a restart may catch up
    process = worker(app, "crash", shop.id, 1, "Pois chiches")
    assert process.wait(timeout=60) == 3  # died after the commit
    result = check(app)
    assert result.exit_code == 1 and "pending: 1" in result.output
    assert found(client, "chiches") == []  # not indexed yet ...

    restart(app)
    assert check(app).exit_code == 0, check(app).output
    assert found(client, "chiches") == ["Pois chiches 0"]  # ... and after a restart it is


def test_changes_wait_in_the_outbox_when_draining_is_off(app, client):
    shop = make_shop(name="Épicerie Voltaire", category="epicerie")
    client.get("/search")  # this process has started
    app.config["SEARCH_SYNC_AFTER_COMMIT"] = False
    app.config["SEARCH_POLL_SECONDS"] = 3600  # and no outbox poll either
    make_product(shop, "Farine de seigle", 280)
    assert found(client, "seigle") == []
    result = app.test_cli_runner().invoke(args=["search", "sync"])
    assert result.exit_code == 0 and "synced" in result.output
    assert found(client, "seigle") == ["Farine de seigle"]
    assert check(app).exit_code == 0


def test_two_processes_writing_at_once_lose_nothing(app, client):
    shop = make_shop(name="Épicerie Voltaire", category="epicerie")
    first = worker(app, "write", shop.id, 12, "Confiture")
    second = worker(app, "write", shop.id, 12, "Compote")
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    assert check(app).exit_code == 0, check(app).output
    assert search_api(client, q="confiture", per_page=50)["total"] == 12
    assert search_api(client, q="compote", per_page=50)["total"] == 12


def test_a_lost_index_is_rebuilt_at_start_up(app, client):
    shop = make_shop(name="Épicerie Voltaire", category="epicerie")
    make_product(shop, "Riz basmati", 350)
    live = store.live_path(app.config["SEARCH_INDEX_DIR"])
    for path in live.iterdir():
        path.write_bytes(b"garbage")  # a corrupted disk
    restart(app)
    assert check(app).exit_code == 0
    assert found(client, "basmati") == ["Riz basmati"]


def test_rebuild_swaps_a_new_index_in_and_keeps_answering(app, client):
    shop = make_shop(name="Épicerie Voltaire", category="epicerie")
    make_product(shop, "Huile d'olive", 990)
    before = store.live_path(app.config["SEARCH_INDEX_DIR"])
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0 and "2 documents indexed" in result.output
    after = store.live_path(app.config["SEARCH_INDEX_DIR"])
    assert after != before and before.exists()  # the old one stays for slower readers
    assert found(client, "olive") == ["Huile d'olive"]
    assert check(app).exit_code == 0


def test_a_replica_behind_the_pruned_outbox_rebuilds(app, client):
    shop = make_shop(name="Épicerie Voltaire", category="epicerie")
    app.config["SEARCH_SYNC_AFTER_COMMIT"] = False
    make_product(shop, "Thé vert sencha", 650)
    top = db.session.scalar(db.select(db.func.max(SearchOutbox.id)))
    db.session.execute(db.delete(SearchOutbox))
    db.session.add(SearchOutbox(kind=PRUNED, entity_id=top, op="upsert"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["search", "sync"])
    assert "rebuilt" in result.output
    assert found(client, "sencha") == ["Thé vert sencha"]
