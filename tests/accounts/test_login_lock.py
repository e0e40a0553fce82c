"""Failed logins are counted per account across workers and servers (issue 19, item 9).

N failures lock the account whatever address they come from and whichever app instance answers,
the lock reads the same for unknown emails, a success or a new password ends it, and the owner
is emailed once per lock, through the job queue.
"""

from __future__ import annotations

import socket
import uuid

import pytest

from marketplace.app import create_app
from marketplace.extensions import db, limiter
from tests.conftest import (
    alerts,
    drain_jobs,
    english_client,
    link_path,
    outbox,
    page_text,
    post_form,
)
from tests.factories import PASSWORD, make_user

LOCKED = (
    "error",
    "Too many failed attempts for this account. Try again in 15 minutes or reset your password.",
)
WRONG = ("error", "Email or password is not right.")
LIMIT = "3 per 15 minutes"


def instance(database_url, tmp_path, name: str, **settings):
    """Another app on the same database: another worker, or another server."""
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(tmp_path / name),
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "LOGIN_ACCOUNT_LIMIT": LIMIT,
            **settings,
        },
    )
    return app


def browser(app, address: str):
    """An English-speaking browser from its own address (the per-address limit never applies)."""
    client = english_client(app)
    client.environ_base["REMOTE_ADDR"] = address
    return client


def log_in(client, email: str, password: str):
    return post_form(client, "/account/login", {"email": email, "password": password})


def check_lock_across(first, second, email: str) -> None:
    """Three failures spread over two instances and addresses lock the account on both."""
    one, two = browser(first, "10.0.0.1"), browser(second, "10.0.0.2")
    assert alerts(log_in(one, email, "guess 1")) == [WRONG]
    assert alerts(log_in(two, email, "guess 2")) == [WRONG]
    assert alerts(log_in(one, email, "guess 3")) == [WRONG]
    for client in (two, one, browser(second, "10.0.0.3")):
        refused = log_in(client, email, PASSWORD)  # even the right password waits
        assert refused.status_code == 429
        assert alerts(refused) == [LOCKED]
        assert 840 < int(refused.headers["Retry-After"]) <= 900
        assert client.get("/account/settings").status_code == 302


@pytest.fixture
def shared_memory_pair(app, database_url, tmp_path):
    """The test's app and a second instance in the same process, both counting in memory."""
    second = instance(database_url, tmp_path, "second")
    app.config["LOGIN_ACCOUNT_LIMIT"] = LIMIT
    return app, second


def test_three_failures_lock_the_account_across_two_instances_in_memory(shared_memory_pair):
    first, second = shared_memory_pair
    resident = make_user()
    check_lock_across(first, second, resident.email)


def test_an_unknown_email_is_locked_exactly_like_an_account(shared_memory_pair):
    first, second = shared_memory_pair
    resident = make_user()
    check_lock_across(first, second, "nobody@example.org")
    check_lock_across(first, second, resident.email)


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def test_three_failures_lock_the_account_across_two_instances_on_redis(app, database_url, tmp_path):
    if not redis_reachable():
        pytest.skip("no Redis on 127.0.0.1:6379: the lock shared through Redis is not tested here")
    import redis

    prefix = f"vitrine-test-{uuid.uuid4().hex}"  # counters of this test's own in a shared Redis
    store = redis.Redis(host="127.0.0.1", port=6379, db=14)
    on_redis = {
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/14",
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    try:
        resident = make_user()
        first = instance(database_url, tmp_path, "first", **on_redis)
        one = browser(first, "10.0.0.1")
        assert alerts(log_in(one, resident.email, "guess 1")) == [WRONG]
        assert alerts(log_in(one, resident.email, "guess 2")) == [WRONG]
        # A second server starts: it holds nothing of the first's in memory, only Redis.
        second = instance(database_url, tmp_path, "second", **on_redis)
        two = browser(second, "10.0.0.2")
        assert alerts(log_in(two, resident.email, "guess 3")) == [WRONG]
        for client in (two, one):
            refused = log_in(client, resident.email, PASSWORD)
            assert refused.status_code == 429 and alerts(refused) == [LOCKED]
        [key] = store.keys(f"*{prefix}*login-failures*")
        assert resident.email.encode() not in key  # the counter names a hash, not the address
        assert int(store.get(key)) == 3
    finally:
        for key in store.keys(f"*{prefix}*"):
            store.delete(key)
        # Back to memory for the rest of the run (the app fixture resets the limiter's storage).
        limiter.init_app(instance(database_url, tmp_path, "memory-again"))


def test_a_successful_login_starts_the_count_again(app):
    app.config["LOGIN_ACCOUNT_LIMIT"] = LIMIT
    resident = make_user()
    client = browser(app, "10.0.0.1")
    for attempt in range(2):
        assert alerts(log_in(client, resident.email, f"guess {attempt}")) == [WRONG]
    assert log_in(client, resident.email, PASSWORD).status_code == 302
    other = browser(app, "10.0.0.2")
    for attempt in range(2):
        assert alerts(log_in(other, resident.email, f"guess {attempt}")) == [WRONG]
    assert log_in(other, resident.email, PASSWORD).status_code == 302  # 2 + 2 failures: no lock
    third = browser(app, "10.0.0.3")
    for attempt in range(3):
        assert alerts(log_in(third, resident.email, f"guess {attempt}")) == [WRONG]
    assert log_in(third, resident.email, PASSWORD).status_code == 429  # 3 in a row: locked


def test_the_owner_is_emailed_once_per_lock_through_the_queue(app, queued_jobs):
    app.config["LOGIN_ACCOUNT_LIMIT"] = LIMIT
    resident = make_user()
    for n in range(6):  # three to lock, three more while locked
        log_in(browser(app, f"10.0.0.{n}"), resident.email, f"guess {n}")
    for n in range(4):
        log_in(browser(app, f"10.0.1.{n}"), "nobody@example.org", f"guess {n}")
    assert outbox(app) == []  # queued, not written by the requests
    drain_jobs(app)
    [mail] = outbox(app)
    assert mail.startswith(f"To: {resident.email}\n")
    assert "Les connexions à votre compte Vitrine sont suspendues" in mail
    assert "Après 3 tentatives de connexion échouées" in mail and "15 minutes" in mail


def test_choosing_a_new_password_ends_the_lock(app):
    app.config["LOGIN_ACCOUNT_LIMIT"] = LIMIT
    resident = make_user()
    for n in range(3):
        log_in(browser(app, f"10.0.0.{n}"), resident.email, f"guess {n}")
    reset = link_path(outbox(app)[0])  # the lock email carries a reset link
    new = "un tout nouveau mot de passe"
    client = english_client(app)
    chosen = post_form(
        client, reset, {"password": new, "confirm": new}, token_from="/account/login"
    )
    assert chosen.status_code == 302
    assert log_in(browser(app, "10.0.0.9"), resident.email, new).status_code == 302


PASSWORD_FORMS = {
    "change email": (
        "/account/settings",
        "email-current_password",
        {"action": "email", "email-email": "new@example.org"},
    ),
    "change password": (
        "/account/settings",
        "pw-current_password",
        {
            "action": "password",
            "pw-password": "un autre mot de passe",
            "pw-confirm": "un autre mot de passe",
        },
    ),
    "delete account": ("/account/delete", "password", {}),
}


@pytest.mark.parametrize("form", PASSWORD_FORMS)
def test_wrong_passwords_typed_in_a_logged_in_form_count_as_failed_logins(app, form):
    """A stolen session is no way around the lock: the settings and deletion forms count too."""
    app.config["LOGIN_ACCOUNT_LIMIT"] = LIMIT
    path, field, data = PASSWORD_FORMS[form]
    resident = make_user()
    client = browser(app, "10.0.0.1")
    assert log_in(client, resident.email, PASSWORD).status_code == 302
    for n in range(3):
        response = post_form(
            client, path, {**data, field: f"guess {n}"}, token_from="/account/data"
        )
        assert "This password is not right." in page_text(response)
    refused = post_form(client, path, {**data, field: PASSWORD}, token_from="/account/data")
    assert LOCKED[1] in page_text(refused)  # even the right one, until the lock ends
    assert log_in(browser(app, "10.0.0.2"), resident.email, PASSWORD).status_code == 429
    db.session.refresh(resident)
    assert (resident.email, resident.deleted_at) == ("resident@example.org", None)
