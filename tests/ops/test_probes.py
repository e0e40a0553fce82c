"""Health and readiness probes, request ids and JSON logs."""

from __future__ import annotations

import io
import json
import logging
import socket
import threading

import pytest

from marketplace.app import create_app
from marketplace.logging_setup import configure_logging
from search import store
from tests.factories import make_product, make_shop
from tests.ops.server import free_port


def ready(client):
    response = client.get("/readyz")
    return response.status_code, response.get_json()


def test_healthz_answers_without_the_database(tmp_path):
    broken = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        },
    )
    client = broken.test_client()
    alive = client.get("/healthz")
    assert alive.status_code == 200 and alive.get_json() == {"status": "ok"}
    status, body = ready(client)
    assert status == 503 and body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is False
    assert "unable to open database file" in body["checks"]["database"]["error"]


def test_readyz_is_ready_when_database_and_index_answer(app, client):
    make_product(make_shop(), "Baguette tradition", 130)  # builds the index
    status, body = ready(client)
    assert status == 200, body
    assert body["status"] == "ready"
    assert body["checks"]["database"] == {
        "ok": True,
        "status": "ok",
        "ms": pytest.approx(0, abs=2000),
    }
    assert body["checks"]["search"]["ok"] is True
    assert body["checks"]["payments"] == {
        "ok": True,
        "status": "not configured",
        "ms": pytest.approx(0, abs=2000),
    }


def test_readyz_names_a_lost_search_index(app, client):
    make_product(make_shop(), "Baguette tradition", 130)
    assert ready(client)[0] == 200  # this process has started
    live = store.live_path(app.config["SEARCH_INDEX_DIR"])
    for path in live.iterdir():
        path.write_bytes(b"garbage")
    status, body = ready(client)
    assert status == 503
    assert body["checks"]["search"]["ok"] is False and body["checks"]["database"]["ok"] is True


def test_readyz_reports_stripe_down_and_slow_within_the_timeout(app, client):
    app.config.update(STRIPE_SECRET_KEY="sk_test_probe", READINESS_TIMEOUT_SECONDS=0.5)
    app.config["STRIPE_API_BASE"] = f"http://127.0.0.1:{free_port()}"  # nobody listens: down
    status, body = ready(client)
    assert status == 503 and "unreachable" in body["checks"]["payments"]["error"]

    silent = socket.socket()  # accepts connections and never answers: slow
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        app.config["STRIPE_API_BASE"] = f"http://127.0.0.1:{silent.getsockname()[1]}"
        status, body = ready(client)
    finally:
        silent.close()
    # The probe gave up at its timeout instead of waiting for Stripe (no clock read here: the
    # answer names the path it took, the probe's deadline or the client's own read timeout).
    payments = body["checks"]["payments"]
    assert status == 503 and payments["ok"] is False
    assert payments["error"] == "no answer within 0.5 s" or "timed out" in payments["error"].lower()
    assert body["checks"]["database"]["ok"] is True


def test_readyz_with_the_stripe_emulator_up(app, client, request):
    stripe_emulator = request.getfixturevalue("stripe_emulator")
    client.get("/")  # the process starts (builds its search index) on its first page
    app.config.update(
        STRIPE_SECRET_KEY=stripe_emulator.api_key, STRIPE_API_BASE=stripe_emulator.url
    )
    status, body = ready(client)
    assert status == 200 and body["checks"]["payments"]["status"] == "ok", body


def test_request_id_is_echoed_made_or_replaced(client):
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc-123.x"}).headers["X-Request-ID"]
        == "abc-123.x"
    )
    made = client.get("/healthz").headers["X-Request-ID"]
    assert len(made) == 32 and made.isalnum()
    hostile = client.get("/healthz", headers={"X-Request-ID": "x" * 65}).headers["X-Request-ID"]
    assert hostile != "x" * 65 and len(hostile) == 32


def test_json_logs_carry_the_request_id(app, client):
    stream = io.StringIO()
    app.config["LOG_FORMAT"] = "json"
    configure_logging(app, stream)
    try:
        client.get("/shops", headers={"X-Request-ID": "trace-me-42"})

        def log_in_other_thread():
            logging.getLogger("search.sync").warning("outside any request")

        thread = threading.Thread(target=log_in_other_thread)
        thread.start()
        thread.join()
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "vitrine", False)]:
            root.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    access = [line for line in lines if line["logger"] == "vitrine.access"]
    assert access and access[0]["request_id"] == "trace-me-42"
    assert access[0]["path"] == "/shops" and access[0]["status"] == 200
    assert access[0]["duration_ms"] >= 0 and access[0]["level"] == "INFO"
    other = [line for line in lines if line["message"] == "outside any request"]
    assert other and other[0]["request_id"] is None
