"""Rate limits on login, registration, password reset, checkout, search and the API.

Memory storage in-process; Redis (RATELIMIT_STORAGE_URI) through real gunicorn workers, where
only a shared store makes two workers count together.
"""

from __future__ import annotations

import socket
import uuid

import pytest

from tests.conftest import csrf_token
from tests.factories import login

LIMITED = [
    ("POST", "/account/login", "LOGIN_RATE_LIMIT", False),
    ("POST", "/account/register", "LOGIN_RATE_LIMIT", False),
    ("POST", "/account/reset", "LOGIN_RATE_LIMIT", False),
    ("POST", "/checkout", "CHECKOUT_RATE_LIMIT", True),
    ("POST", "/checkout/guest", "CHECKOUT_RATE_LIMIT", False),
    ("GET", "/search?q=pain", "SEARCH_RATE_LIMIT", False),
    ("GET", "/search/suggest?q=pa", "SUGGEST_RATE_LIMIT", False),
    ("GET", "/api/v1/search?q=pain", "SEARCH_RATE_LIMIT", False),
    ("GET", "/api/v1/shops", "API_RATE_LIMIT_PER_IP", False),
]


@pytest.mark.parametrize(("method", "path", "setting", "logged_in"), LIMITED)
def test_the_fourth_attempt_in_a_minute_is_refused(app, resident, method, path, setting, logged_in):
    if setting not in app.config:
        pytest.skip(f"{setting} is not configured in this tree")
    app.config[setting] = "3 per minute"
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    if logged_in:
        login(client, resident)
    form = {"email": "someone@example.org", "password": "wrong password"}

    def send():
        if method == "GET":
            return client.get(path)
        return client.post(path, data={"csrf_token": csrf_token(client, "/account/login"), **form})

    answers = [send().status_code for _ in range(3)]
    assert 429 not in answers, answers
    refused = send()
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    if path.startswith("/api/"):
        assert refused.get_json()["code"] == "rate-limited"
    else:
        assert "Too many attempts" in refused.get_data(as_text=True)
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"  # another address has its own budget
    assert other.get(path if method == "GET" else "/account/login").status_code != 429


def test_the_guest_checkout_and_the_checkout_draw_on_one_budget(app):
    """Switching between the two checkouts does not double the attempts (card testing)."""
    app.config["CHECKOUT_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    token = csrf_token(client, "/account/login")

    answers = [
        client.post(path, data={"csrf_token": token}).status_code
        for path in (
            "/checkout/guest",
            "/checkout",
            "/checkout/guest",
        )
    ]

    assert 429 not in answers, answers
    assert client.post("/checkout", data={"csrf_token": token}).status_code == 429
    assert client.post("/checkout/guest", data={"csrf_token": token}).status_code == 429


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_every_worker_counts_together(app, database_url, tmp_path):
    import redis

    from tests.ops.server import get, gunicorn

    # Counters of our own: the SQLite and PostgreSQL passes (and earlier runs) share this Redis.
    prefix = f"vitrine-test-{uuid.uuid4().hex}"
    store = redis.Redis(host="127.0.0.1", port=6379, db=14)
    try:
        with gunicorn(
            database_url,
            tmp_path,
            workers=2,
            RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/14",
            RATELIMIT_KEY_PREFIX=prefix,
            SEARCH_RATE_LIMIT="5 per 10 minute",
        ) as server:
            codes, pids = [], set()
            for _ in range(12):
                request_id = uuid.uuid4().hex
                codes.append(
                    get(f"{server.url}/search?q=pain", headers={"X-Request-ID": request_id})[0]
                )
                pids.add(server.worker_of(request_id))
        assert codes.count(200) == 5 and codes.count(429) == 7, codes
        assert len(store.keys(f"*{prefix}*")) >= 1  # the counter lives in Redis
        assert len(pids - {None}) >= 1
    finally:
        for key in store.keys(f"*{prefix}*"):
            store.delete(key)
