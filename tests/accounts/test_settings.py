"""A user changes the login email or the password, proving who they are with the current one."""

import pytest
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from tests.conftest import alerts, english_client, link_path, outbox, page_text, post_form
from tests.factories import PASSWORD, login, make_user

NEW_PASSWORD = "un tout nouveau mot de passe"


@pytest.fixture
def client(app):
    """The messages below are checked in English: this browser asks for English pages."""
    return english_client(app)


def change_email(client, email, current_password=PASSWORD):
    return post_form(
        client,
        "/account/settings",
        {"action": "email", "email-email": email, "email-current_password": current_password},
    )


def change_password(client, current_password=PASSWORD, new=NEW_PASSWORD):
    return post_form(
        client,
        "/account/settings",
        {
            "action": "password",
            "pw-current_password": current_password,
            "pw-password": new,
            "pw-confirm": new,
        },
    )


def test_the_email_changes_once_the_link_mailed_to_the_new_address_is_opened(app, client, resident):
    login(client, resident)
    response = change_email(client, "Alice.Nouvelle@example.org")
    assert response.status_code == 302
    assert (
        "info",
        "To finish, open the link we sent to alice.nouvelle@example.org."
        " Until then your email stays the same.",
    ) in alerts(client.get("/account/settings"))
    db.session.refresh(resident)
    assert resident.email == "resident@example.org"  # not yet: the address is not proven

    [mail] = outbox(app)
    assert mail.startswith("To: alice.nouvelle@example.org\n")
    path = link_path(mail)
    assert english_client(app).get(path).status_code == 200  # a button, not a change on GET
    db.session.refresh(resident)
    assert resident.email == "resident@example.org"
    post_form(client, path)
    assert ("success", "Your email is changed.") in alerts(client.get("/account/settings"))
    db.session.refresh(resident)
    assert resident.email == "alice.nouvelle@example.org"
    login(english_client(app), resident)
    # The link is spent: the account's email is no longer the one it was made for.
    assert alerts(english_client(app).get(path, follow_redirects=True))[0][0] == "error"


def test_change_email_with_a_wrong_password_changes_nothing(app, client, resident):
    login(client, resident)
    response = change_email(client, "pirate@example.org", current_password="not my password")
    assert "This password is not right." in page_text(response)
    db.session.refresh(resident)
    assert resident.email == "resident@example.org"
    assert outbox(app) == []


def test_an_email_already_used_gets_the_same_answer_and_its_owner_a_notice(app, client, resident):
    bea = make_user("taken@example.org", name="Bea")
    login(client, resident)
    response = change_email(client, "taken@example.org")
    assert response.status_code == 302
    assert "An account already uses this email." not in page_text(client.get("/account/settings"))
    [mail] = outbox(app)
    assert mail.startswith(f"To: {bea.email}\n") and "Rien n'a été changé." in mail
    assert "/account/email/" not in mail  # nothing to click: no link moves an account there
    db.session.refresh(resident)
    assert resident.email == "resident@example.org"


def test_change_password_with_the_current_password(app, client, resident):
    login(client, resident)
    response = change_password(client)
    assert response.status_code == 302
    assert ("success", "Your password is changed. Other devices are logged out.") in alerts(
        client.get("/account/settings")
    )
    login(english_client(app), resident, NEW_PASSWORD)


def test_change_password_with_a_wrong_current_password_changes_nothing(app, client, resident):
    login(client, resident)
    hash_before = resident.password_hash
    response = change_password(client, current_password="not my password")
    assert "This password is not right." in page_text(response)
    db.session.refresh(resident)
    assert resident.password_hash == hash_before


def test_changing_the_password_logs_out_the_other_sessions(app, resident):
    phone, laptop = english_client(app), english_client(app)
    login(phone, resident)
    post_form(
        laptop,
        "/account/login",
        {"email": resident.email, "password": PASSWORD, "remember": "y"},
    )
    assert laptop.get("/account/settings").status_code == 200

    assert change_password(phone).status_code == 302

    assert phone.get("/account/settings").status_code == 200  # this session goes on
    response = laptop.get("/account/settings")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
    # Even the laptop's "stay logged in" cookie no longer opens a session.
    laptop.delete_cookie("session")
    assert laptop.get("/account/settings").status_code == 302


def test_the_user_record_keeps_only_a_hash_of_the_new_password(app, client, resident):
    login(client, resident)
    change_password(client)
    stored = db.session.scalar(select(User.password_hash).where(User.id == resident.id))
    assert NEW_PASSWORD not in stored
