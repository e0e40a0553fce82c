"""A resident who forgot the password gets a link by email that works once, and not for long."""

import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from marketplace.extensions import db
from tests.conftest import alerts, english_client, link_path, outbox, post_form
from tests.factories import PASSWORD, login, make_user

NEW_PASSWORD = "un tout nouveau mot de passe"
BAD_LINK = ("error", "This link is invalid or has expired. Ask for a new one.")


@pytest.fixture
def client(app):
    """The messages below are checked in English: this browser asks for English pages."""
    return english_client(app)


def ask_for_reset(client, email):
    return post_form(client, "/account/reset", {"email": email}, follow_redirects=True)


def choose_password(client, path, password=NEW_PASSWORD):
    return post_form(
        client, path, {"password": password, "confirm": password}, token_from="/account/login"
    )


def test_the_reset_link_lets_the_user_choose_a_new_password(app, client, resident):
    response = ask_for_reset(client, resident.email)
    assert (
        "info",
        "If an account uses this email, a link to reset the password is on its way.",
    ) in alerts(response)
    [mail] = outbox(app)
    assert f"To: {resident.email}" in mail
    path = link_path(mail)
    assert path.startswith("/account/reset/")

    assert client.get(path).status_code == 200
    response = choose_password(client, path)
    assert response.status_code == 302
    assert client.get("/account/settings").status_code == 200  # logged in with the new password

    other = english_client(app)
    refused = post_form(other, "/account/login", {"email": resident.email, "password": PASSWORD})
    assert ("error", "Email or password is not right.") in alerts(refused)
    login(other, resident, NEW_PASSWORD)


def test_an_unknown_email_gets_the_same_answer_and_no_email(app, client, resident):
    known = alerts(ask_for_reset(client, resident.email))
    unknown = alerts(ask_for_reset(client, "nobody@example.org"))
    assert known == unknown
    assert len(outbox(app)) == 1


def test_the_reset_link_works_only_once(app, client, resident):
    ask_for_reset(client, resident.email)
    path = link_path(outbox(app)[0])
    assert choose_password(client, path).status_code == 302

    again = english_client(app)
    response = again.get(path, follow_redirects=True)
    assert BAD_LINK in alerts(response)
    response = choose_password(again, path, "encore un autre mot de passe")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/reset"
    login(again, resident, NEW_PASSWORD)  # the second use changed nothing


def test_an_expired_reset_link_is_refused(app, client, resident, monkeypatch):
    ask_for_reset(client, resident.email)
    path = link_path(outbox(app)[0])
    hash_before = resident.password_hash
    # Three hours later (the link is valid for two).
    later = int(time.time()) + 3 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    assert BAD_LINK in alerts(client.get(path, follow_redirects=True))
    choose_password(client, path)
    db.session.refresh(resident)
    assert resident.password_hash == hash_before


def test_forged_reset_links_are_refused(app, client, resident):
    ask_for_reset(client, resident.email)
    genuine = link_path(outbox(app)[0])
    wrong_key = URLSafeTimedSerializer("guessed-secret", salt="vitrine-reset")
    forged = [
        genuine[:-3] + ("abc" if not genuine.endswith("abc") else "xyz"),  # tampered signature
        "/account/reset/" + wrong_key.dumps({"uid": resident.id, "fp": "0" * 16}),
        "/account/reset/not-a-token-at-all",
        genuine.replace("/account/reset/", "/account/invitation/"),  # made for another purpose
    ]
    hash_before = resident.password_hash
    for path in forged:
        assert BAD_LINK in alerts(client.get(path, follow_redirects=True)), path
        choose_password(client, path)
    db.session.refresh(resident)
    assert resident.password_hash == hash_before
    assert client.get("/account/settings").status_code == 302


def test_a_reset_link_is_spent_when_the_password_changes_otherwise(app, client):
    user = make_user("paul@example.org")
    ask_for_reset(client, user.email)
    path = link_path(outbox(app)[0])
    login(client, user)
    post_form(
        client,
        "/account/settings",
        {
            "action": "password",
            "pw-current_password": PASSWORD,
            "pw-password": NEW_PASSWORD,
            "pw-confirm": NEW_PASSWORD,
        },
    )
    assert BAD_LINK in alerts(english_client(app).get(path, follow_redirects=True))


def test_a_reset_link_is_spent_when_the_email_changes(app, client):
    user = make_user("lea@example.org")
    ask_for_reset(client, user.email)  # a link mailed to the old address (a lost mailbox, say)
    path = link_path(outbox(app)[0])
    login(client, user)
    post_form(
        client,
        "/account/settings",
        {"action": "email", "email-current_password": PASSWORD, "email-email": "lea@new.example"},
    )
    post_form(client, link_path(outbox(app)[1]))  # the link mailed to the new address
    db.session.refresh(user)
    assert user.email == "lea@new.example"
    hash_before = user.password_hash
    stranger = english_client(app)
    assert BAD_LINK in alerts(stranger.get(path, follow_redirects=True))
    choose_password(stranger, path)
    db.session.refresh(user)
    assert user.password_hash == hash_before
