"""A visitor signs up, logs in and out; failed logins say nothing about who has an account."""

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from marketplace.accounts.models import RESIDENT, SHOPKEEPER, User
from marketplace.extensions import db, limiter
from tests.conftest import (
    alerts,
    csrf_token,
    english_client,
    link_path,
    outbox,
    page_text,
    post_form,
)
from tests.factories import PASSWORD, login, make_user


@pytest.fixture
def client(app):
    """The messages below are checked in English: this browser asks for English pages."""
    return english_client(app)


def register(client, email="claire@example.org", shopkeeper=False, **extra):
    data = {
        "name": "Claire",
        "email": email,
        "password": "un mot de passe solide",
        "confirm": "un mot de passe solide",
        **extra,
    }
    if shopkeeper:
        data["is_shopkeeper"] = "y"
    return post_form(client, "/account/register", data)


def user_by_email(email):
    return db.session.scalar(select(User).where(User.email == email))


def open_account(client, mail):
    """Follow the emailed confirmation link and press its button, as the owner does."""
    path = link_path(mail)
    assert path.startswith("/account/confirm/")
    assert client.get(path).status_code == 200
    return post_form(client, path)


def test_a_resident_signs_up_confirms_the_email_and_lands_on_the_home_page(app, client):
    response = register(client, "Claire@Example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    assert (
        "info",
        "Check your email: we sent a message to claire@example.org to finish opening your account.",
    ) in alerts(client.get("/account/login"))
    assert client.get("/account/settings").status_code == 302  # not logged in yet
    user = user_by_email("claire@example.org")
    assert user.role == RESIDENT and not user.is_confirmed

    [mail] = outbox(app)
    assert "To: claire@example.org" in mail and "Confirm your email" in mail
    response = open_account(client, mail)
    assert response.headers["Location"] == "/"
    assert "claire@example.org" in client.get("/account/settings").get_data(as_text=True)
    # The link opens the account once: it is no way back in afterwards.
    again = english_client(app).get(link_path(mail), follow_redirects=True)
    assert alerts(again)[0][0] == "error"


def test_a_shopkeeper_signs_up_and_lands_on_the_merchant_dashboard(app, client):
    register(client, "marc@example.org", shopkeeper=True)
    assert user_by_email("marc@example.org").role == SHOPKEEPER
    response = open_account(client, outbox(app)[0])
    assert response.headers["Location"] == "/merchant/"
    assert client.get("/merchant/").status_code == 200


def test_an_unconfirmed_account_cannot_log_in_and_a_later_attempt_resends_the_link(app, client):
    register(client, "claire@example.org")
    response = post_form(
        client,
        "/account/login",
        {"email": "claire@example.org", "password": "un mot de passe solide"},
    )
    assert alerts(response) == [
        ("error", "Confirm your email first: we sent you a link to open your account.")
    ]
    assert client.get("/account/settings").status_code == 302
    assert len(outbox(app)) == 1  # the sign-up's link is fresh: no second one yet
    limiter.reset()  # a quarter of an hour later
    post_form(
        client,
        "/account/login",
        {"email": "claire@example.org", "password": "un mot de passe solide"},
    )
    assert len(outbox(app)) == 2
    assert open_account(english_client(app), outbox(app)[1]).headers["Location"] == "/"


def test_signing_up_twice_with_the_same_email_opens_no_second_account(app, client):
    make_user("claire@example.org")
    response = register(client, "CLAIRE@example.org")
    assert response.headers["Location"] == "/account/login"
    assert "An account already uses this email." not in page_text(client.get("/account/login"))
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


def test_a_password_too_short_or_mistyped_creates_no_account(app, client):
    response = register(client, password="court", confirm="court")
    assert "At least 10 characters." in response.get_data(as_text=True)
    response = register(client, confirm="autre chose encore")
    assert "The passwords differ." in response.get_data(as_text=True)
    assert user_by_email("claire@example.org") is None


def test_passwords_are_stored_hashed_never_in_clear(app):
    user = make_user()
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith(("pbkdf2:", "scrypt:"))
    assert check_password_hash(user.password_hash, PASSWORD)


def test_login_then_logout_by_post(app, client, resident):
    response = login(client, resident)
    assert response.headers["Location"] == "/"
    assert client.get("/account/settings").status_code == 200
    refused = client.get("/account/logout")  # a link (or an image) cannot log you out
    assert refused.status_code == 405
    assert "POST" in refused.headers["Allow"]
    response = post_form(client, "/account/logout", token_from="/account/settings")
    assert response.status_code == 302
    assert client.get("/account/settings").status_code == 302


def test_login_sends_back_to_the_page_asked_for(app, client, shopkeeper):
    response = client.get("/merchant/shops/new")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")
    response = post_form(
        client,
        "/account/login?next=/merchant/shops/new",
        {"email": shopkeeper.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/merchant/shops/new"


def test_login_never_redirects_to_another_site(app, client, resident):
    response = post_form(
        client,
        "/account/login?next=https://evil.example/",
        {"email": resident.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_failed_login_gives_one_message_for_unknown_email_and_wrong_password(app, client, resident):
    unknown = post_form(
        client, "/account/login", {"email": "nobody@example.org", "password": PASSWORD}
    )
    wrong = post_form(
        client, "/account/login", {"email": resident.email, "password": "not the password"}
    )
    assert unknown.status_code == wrong.status_code == 200
    assert alerts(unknown) == alerts(wrong) == [("error", "Email or password is not right.")]
    assert client.get("/account/settings").status_code == 302  # still logged out


def test_the_eleventh_login_attempt_within_a_minute_is_refused(app, client, resident):
    token = csrf_token(client)
    attempts = [
        client.post(
            "/account/login",
            data={"csrf_token": token, "email": resident.email, "password": "guess"},
        ).status_code
        for _ in range(11)
    ]
    assert attempts[:10] == [200] * 10
    assert attempts[10] == 429
    # Even the right password waits until the minute is over.
    response = client.post(
        "/account/login",
        data={"csrf_token": token, "email": resident.email, "password": PASSWORD},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_the_login_cookies_are_httponly_and_samesite_lax(app, client, resident):
    response = post_form(
        client,
        "/account/login",
        {"email": resident.email, "password": PASSWORD, "remember": "y"},
    )
    cookies = {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}
    assert set(cookies) >= {"session", "remember_token"}
    for header in cookies.values():
        assert "HttpOnly" in header
        assert "SameSite=Lax" in header
