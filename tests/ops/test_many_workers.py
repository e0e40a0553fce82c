"""Many gunicorn workers and several app servers on one database: one consistent search.

Real gunicorn processes (gunicorn.conf.py), the change made through the merchant form over HTTP,
searches sent until every worker of every server answers with it. Each answer is traced to the
worker that served it through the request id in the JSON access log.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from marketplace.accounts.models import SHOPKEEPER
from search import store
from tests.factories import PASSWORD, make_product, make_shop, make_user, product_form_data
from tests.ops.server import get, gunicorn

# Several app servers share one database only on PostgreSQL: that is the run that checks it.
pytestmark = [pytest.mark.slow, pytest.mark.one_database("postgres")]

VISIBLE_WITHIN_SECONDS = 2.0
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def booted_workers(server) -> set[int]:
    """The pids of the workers gunicorn booted (from its own JSON log)."""
    return {
        int(m.group(1))
        for line in server.log_lines()
        if (m := re.match(r"Booting worker with pid: (\d+)", line.get("message", "")))
    }


def search_once(server, q: str) -> tuple[str, dict]:
    """One search with a fresh request id; return (id, JSON body)."""
    request_id = uuid.uuid4().hex
    status, _headers, body = get(
        f"{server.url}/api/v1/search?q={q}", headers={"X-Request-ID": request_id}
    )
    assert status == 200, body[:300]
    return request_id, requests.models.complexjson.loads(body)


def wait_until_ready(server, timeout: float = 60) -> None:
    """Poll /readyz until it answers 200 (the index is built)."""
    deadline = time.monotonic() + timeout
    while get(server.url + "/readyz")[0] != 200:
        assert time.monotonic() < deadline, server.log_path.read_text()[-2000:]
        time.sleep(0.05)


def rename_through_the_form(server, shop, product, email: str, new_name: str) -> None:
    """Log in as the shopkeeper over HTTP and rename the product with the merchant form."""
    browser = requests.Session()
    page = browser.get(f"{server.url}/account/login", timeout=10).text
    login = browser.post(
        f"{server.url}/account/login",
        data={"csrf_token": CSRF.search(page).group(1), "email": email, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert login.status_code == 302, login.text[:300]
    url = f"{server.url}/merchant/shops/{shop.slug}/products/{product.id}"
    form = browser.get(url, timeout=10).text
    saved = browser.post(
        url,
        data={"csrf_token": CSRF.search(form).group(1), **product_form_data(name=new_name)},
        allow_redirects=False,
        timeout=10,
    )
    assert saved.status_code == 302, saved.text[:500]


def seen_by_every_worker(servers, q: str, expected: str, started: float) -> dict[int, float]:
    """Search in pairs of concurrent requests until every worker of every server found
    `expected` from its index; return {pid: seconds after `started`}."""
    workers = {pid: server for server in servers for pid in booted_workers(server)}
    seen: dict[int, float] = {}
    deadline = started + 20
    while set(seen) != set(workers):
        assert time.monotonic() < deadline, f"only {sorted(seen)} of {sorted(workers)}"
        answers: list[tuple] = []

        def ask(server, answers=answers) -> None:
            answers.append((server, *search_once(server, q)))

        threads = [threading.Thread(target=ask, args=(s,)) for s in servers for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        now = time.monotonic() - started
        for server, request_id, body in answers:
            hits = [r for r in body["results"] if r["name"] == expected]
            # <mark> proves the answer came from the index, not from the database fallback.
            if hits and "<mark>" in hits[0]["highlight"]:
                pid = server.worker_of(request_id)
                if pid is not None and pid not in seen:
                    seen[pid] = now
    return seen


def test_a_change_through_one_worker_is_searchable_on_every_worker_of_every_server(
    app, database_url, tmp_path: Path
):
    owner = make_user("baker@example.org", SHOPKEEPER, "Bob")
    shop = make_shop(owner, name="Boulangerie Oberkampf")
    product = make_product(shop, "Baguette tradition", 130)
    with (
        gunicorn(database_url, tmp_path / "a", workers=2) as first,
        gunicorn(database_url, tmp_path / "b", workers=1) as second,
    ):
        for server in (first, second):
            wait_until_ready(server)
        assert len(booted_workers(first)) == 2 and len(booted_workers(second)) == 1

        started = time.monotonic()
        rename_through_the_form(first, shop, product, owner.email, "Fougasse aux olives")
        seen = seen_by_every_worker([first, second], "fougasse", "Fougasse aux olives", started)

        assert len(seen) == 3
        print(f"visible on every worker after {max(seen.values()):.3f} s: {seen}")  # pytest -s
        assert max(seen.values()) < VISIBLE_WITHIN_SECONDS, seen
        # ... and the old name is gone everywhere.
        for server in (first, second):
            for _ in range(4):
                assert search_once(server, "baguette")[1]["total"] == 0


def test_a_corrupted_index_is_rebuilt_at_start_while_searches_keep_answering(
    app, database_url, tmp_path: Path
):
    shop = make_shop(name="Fromagerie Voltaire", category="fromagerie")
    make_product(shop, "Tomme de Savoie", 1250)
    index_dir = tmp_path / "server" / "search-index"
    app.config["SEARCH_INDEX_DIR"] = str(index_dir)
    assert app.test_cli_runner().invoke(args=["search", "rebuild"]).exit_code == 0
    for path in store.live_path(index_dir).iterdir():
        path.write_bytes(b"garbage")  # a damaged disk under the live index

    with gunicorn(database_url, tmp_path / "server", workers=2) as server:
        answers = 0
        while True:  # from the first request on, every search answers, with the right result
            _request_id, body = search_once(server, "tomme")
            assert [r["name"] for r in body["results"]] == ["Tomme de Savoie"]
            answers += 1
            if get(server.url + "/readyz")[0] == 200:
                break
        seen = seen_by_every_worker([server], "tomme", "Tomme de Savoie", time.monotonic())
        assert len(seen) == 2
        messages = [line.get("message", "") for line in server.log_lines()]

    assert any("unusable at start-up" in m for m in messages)
    # Both workers found the damage; one rebuilt, the other only caught up.
    assert sum("rebuilt in the background" in m for m in messages) == 1
    assert app.test_cli_runner().invoke(args=["search", "check"]).exit_code == 0
    assert answers >= 1
