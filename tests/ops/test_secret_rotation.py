"""Rotating SECRET_KEY: with the old key in SECRET_KEY_FALLBACKS, sessions and emailed links made
before the rotation still work; without it, they are refused."""

from __future__ import annotations

from marketplace.accounts.services import make_password_token
from tests.factories import login


def rotate(app, fallbacks: list[str]) -> None:
    app.config["SECRET_KEY_FALLBACKS"] = fallbacks
    app.config["SECRET_KEY"] = "the-new-secret-key"


def test_sessions_and_reset_links_survive_a_rotation_with_the_fallback(app, client, resident):
    login(client, resident)
    link = f"/account/reset/{make_password_token(resident)}"
    old_key = app.config["SECRET_KEY"]

    rotate(app, [old_key])
    assert client.get("/account/settings").status_code == 200  # still logged in
    assert client.get(link).status_code == 200  # the emailed link still opens the form

    rotate(app, [])  # the fallback removed once the window has passed
    assert client.get("/account/settings").status_code == 302  # the old cookie is refused
    assert client.get(link).status_code == 302  # so is the old link
