"""A lost index is rebuilt in the background while searches are answered from the database."""

from __future__ import annotations

import shutil
import time

from search import store
from tests.factories import make_product, make_shop


def wait_for(condition, timeout: float = 30) -> None:
    """Poll `condition` until it holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        time.sleep(0.02)


def rebuilt(app) -> None:
    """Wait for the background rebuild thread to end (it reads tables the teardown empties)."""
    thread = app.extensions["vitrine.search_sync"]["rebuild"]
    thread.join(timeout=60)
    assert not thread.is_alive()


def names(client, q: str) -> tuple[list[str], list[str]]:
    body = client.get("/api/v1/search", query_string={"q": q}).get_json()
    return [r["name"] for r in body["results"]], [r["highlight"] for r in body["results"]]


def test_searches_answer_from_the_database_until_the_rebuilt_index_is_in(app, client):
    shop = make_shop(name="Épicerie Voltaire", category="epicerie")
    make_product(shop, "Lentilles vertes", 300)
    make_product(shop, "Lentilles corail", 320)
    index_dir = app.config["SEARCH_INDEX_DIR"]
    assert sorted(names(client, "lentilles")[0]) == ["Lentilles corail", "Lentilles vertes"]
    app.config["SEARCH_REBUILD_IN_BACKGROUND"] = True  # as under gunicorn
    shutil.rmtree(store.live_path(index_dir))  # the index is lost

    # Hold the rebuild lock, as a long rebuild would: the search must not wait for it.
    with store.file_lock(index_dir, "rebuild.lock", blocking=True):
        started = time.monotonic()
        found, highlights = names(client, "lentilles")
        assert time.monotonic() - started < 2
        assert sorted(found) == ["Lentilles corail", "Lentilles vertes"]
        assert not any("<mark>" in h for h in highlights)  # from the database
        assert "Lentilles vertes" in client.get("/search?q=lentilles").get_data(as_text=True)
        assert client.get("/readyz").status_code == 503  # not ready: no index yet
        make_product(shop, "Pois chiches", 250)  # writes go on meanwhile
        assert names(client, "chiches")[0] == ["Pois chiches"]

    wait_for(lambda: client.get("/readyz").status_code == 200)
    rebuilt(app)
    found, highlights = names(client, "chiches")
    assert found == ["Pois chiches"] and "<mark>" in highlights[0]  # from the new index
    assert app.test_cli_runner().invoke(args=["search", "check"]).exit_code == 0


def test_the_database_fallback_keeps_filters_and_treats_like_wildcards_as_text(app, client):
    shop = make_shop(name="Épicerie Voltaire", category="epicerie")
    make_product(shop, "Riz 100% complet", 300, stock=0)
    make_product(shop, "Riz basmati", 350)
    index_dir = app.config["SEARCH_INDEX_DIR"]
    client.get("/search?q=riz")
    app.config["SEARCH_REBUILD_IN_BACKGROUND"] = True
    shutil.rmtree(store.live_path(index_dir))
    with store.file_lock(index_dir, "rebuild.lock", blocking=True):
        assert names(client, "100%")[0] == ["Riz 100% complet"]
        assert names(client, "%")[0] == ["Riz 100% complet"]  # not "everything"
        assert names(client, "_")[0] == []
        body = client.get("/api/v1/search?q=riz&in_stock=1").get_json()
        assert [r["name"] for r in body["results"]] == ["Riz basmati"]
        body = client.get("/api/v1/search?q=riz&max_price=3").get_json()
        assert [r["name"] for r in body["results"]] == ["Riz 100% complet"]
    wait_for(lambda: client.get("/readyz").status_code == 200)
    rebuilt(app)
