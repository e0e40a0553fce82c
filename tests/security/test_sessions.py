"""Sessions end: after their lifetime, at logout (even a copied cookie), at a password change."""

from __future__ import annotations

import time

from tests.conftest import csrf_token, outbox
from tests.factories import PASSWORD, login

SETTINGS = "/account/settings"


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def signed_at(app, cookie: str, seconds_ago: int) -> str:
    """The same session content, signed as if `seconds_ago` had passed (a cookie kept that long)."""
    serializer = app.session_interface.get_signing_serializer(app)
    data = serializer.loads(cookie)
    signer = serializer.make_signer(serializer.salt)
    signer.get_timestamp = lambda: int(time.time()) - seconds_ago
    return signer.sign(serializer.dump_payload(data)).decode()


def opens_settings(app, cookie: str, name: str = "session") -> bool:
    browser = app.test_client()
    browser.set_cookie(name, cookie)
    return browser.get(SETTINGS).status_code == 200


def test_a_session_older_than_its_lifetime_is_refused(app, client, resident):
    login(client, resident)
    cookie = session_cookie(client)
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    assert lifetime == 14 * 24 * 3600
    assert opens_settings(app, signed_at(app, cookie, lifetime - 60))
    assert not opens_settings(app, signed_at(app, cookie, lifetime + 60))


def test_logout_ends_the_session_even_for_a_copied_cookie(app, client, resident):
    token = csrf_token(client)
    client.post(
        "/account/login",
        data={
            "csrf_token": token,
            "email": resident.email,
            "password": PASSWORD,
            "remember": "y",
        },
    )
    stolen_session = session_cookie(client)
    stolen_remember = client.get_cookie("remember_token").value
    assert opens_settings(app, stolen_session)

    logout = client.post("/account/logout", data={"csrf_token": csrf_token(client, SETTINGS)})
    assert logout.status_code == 302
    assert client.get(SETTINGS).status_code == 302
    assert not opens_settings(app, stolen_session)
    assert not opens_settings(app, stolen_remember, "remember_token")


def test_a_password_change_logs_out_the_other_sessions_only(app, resident):
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, resident)
    login(phone, resident)
    response = laptop.post(
        SETTINGS,
        data={
            "csrf_token": csrf_token(laptop, SETTINGS),
            "action": "password",
            "pw-current_password": PASSWORD,
            "pw-password": "a brand new passphrase",
            "pw-confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert laptop.get(SETTINGS).status_code == 200  # this device stays logged in
    assert phone.get(SETTINGS).status_code == 302  # the other one is out


def test_a_password_reset_logs_out_every_session(app, client, resident):
    login(client, resident)
    stranger = app.test_client()
    stranger.post(
        "/account/reset",
        data={"csrf_token": csrf_token(stranger, "/account/reset"), "email": resident.email},
    )
    from tests.conftest import link_path

    link = link_path(outbox(app)[-1])
    reset = stranger.post(
        link,
        data={
            "csrf_token": csrf_token(stranger, link),
            "password": "another long passphrase",
            "confirm": "another long passphrase",
        },
    )
    assert reset.status_code == 302, reset.get_data(as_text=True)[:500]
    assert client.get(SETTINGS).status_code == 302
