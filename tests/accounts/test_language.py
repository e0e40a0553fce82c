"""Each account has a language: the sign-up page's, changeable in "My account"; emails speak it."""

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from tests.accounts.test_register_login import register
from tests.conftest import alerts, english_client, outbox, post_form
from tests.factories import login

RESET_EN = "Subject: Reset your Vitrine password"
RESET_FR = "Subject: Réinitialisez votre mot de passe Vitrine"


def account(email: str) -> User:
    db.session.expire_all()
    return db.session.scalars(select(User).where(User.email == email)).one()


def ask_for_a_reset(app, email: str) -> str:
    """Ask for a password reset from a French-speaking browser; return the email's subject line."""
    before = len(outbox(app))
    post_form(app.test_client(), "/account/reset", {"email": email})
    return outbox(app)[before].split("\n")[1]


def test_signing_up_in_english_gives_english_emails(app):
    client = english_client(app)
    assert register(client, "emma@example.org").status_code == 302

    assert account("emma@example.org").locale == "en"
    assert ask_for_a_reset(app, "emma@example.org") == RESET_EN


def test_signing_up_in_french_gives_french_emails(app, client):
    assert register(client, "claire@example.org").status_code == 302

    assert account("claire@example.org").locale == "fr"
    assert ask_for_a_reset(app, "claire@example.org") == RESET_FR


def test_the_language_is_changed_in_my_account(app, resident):
    client = english_client(app)
    login(client, resident)
    assert 'name="lang-locale"' in client.get("/account/settings").get_data(as_text=True)

    sent = post_form(client, "/account/settings", {"action": "language", "lang-locale": "fr"})

    assert sent.status_code == 302
    page = client.get("/account/settings")
    assert (
        "success",
        "Votre langue est enregistrée\u202f: les pages et les e-mails l'utiliseront.",
    ) in (alerts(page))
    assert account(resident.email).locale == "fr"
    assert ask_for_a_reset(app, resident.email) == RESET_FR
    post_form(client, "/account/settings", {"action": "language", "lang-locale": "en"})
    assert ask_for_a_reset(app, resident.email) == RESET_EN


def test_an_unknown_language_changes_nothing(app, resident):
    client = english_client(app)
    resident.locale = "en"
    db.session.commit()
    login(client, resident)

    sent = post_form(client, "/account/settings", {"action": "language", "lang-locale": "de"})

    assert sent.status_code == 200 and "Not a valid choice" in sent.get_data(as_text=True)
    assert account(resident.email).locale == "en"
