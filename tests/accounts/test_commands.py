"""An admin creates staff accounts from the command line; each gets an invitation that works."""

import pytest
from sqlalchemy import select

from marketplace.accounts.models import ADMIN, CURATOR, User
from marketplace.extensions import db
from tests.conftest import alerts, english_client, link_path, outbox, post_form
from tests.factories import login

FIRST_PASSWORD = "mon premier mot de passe"


@pytest.fixture
def client(app):
    """The messages below are checked in English: this browser asks for English pages."""
    return english_client(app)


def staff(email):
    return db.session.scalar(select(User).where(User.email == email))


@pytest.mark.parametrize(
    ("command", "role"), [("create-curator", CURATOR), ("create-admin", ADMIN)]
)
def test_a_staff_account_is_created_with_an_invitation_that_works(app, command, role):
    result = app.test_cli_runner().invoke(
        args=["users", command, "Agnes.Martin@Mairie.example", "--name", "Agnès Martin"]
    )
    assert result.exit_code == 0, result.output
    user = staff("agnes.martin@mairie.example")
    assert (user.role, user.name, user.password_hash) == (role, "Agnès Martin", None)

    [mail] = outbox(app)
    assert "To: agnes.martin@mairie.example" in mail
    path = link_path(mail)
    assert path.startswith("/account/invitation/")
    # The command prints a link of its own (the email's is made by the job): it opens too.
    printed = link_path(result.output)
    assert printed.startswith("/account/invitation/")
    assert english_client(app).get(printed).status_code == 200

    client = english_client(app)
    assert client.get(path).status_code == 200
    response = post_form(
        client,
        path,
        {"password": FIRST_PASSWORD, "confirm": FIRST_PASSWORD},
        token_from="/account/login",
    )
    assert response.status_code == 302
    assert ("success", "Your password is set.") in alerts(client.get("/account/settings"))
    login(english_client(app), user, FIRST_PASSWORD)

    # The invitation is spent once the password is chosen.
    response = english_client(app).get(path, follow_redirects=True)
    assert ("error", "This link is invalid or has expired. Ask for a new one.") in alerts(response)


def test_a_staff_account_can_be_given_a_password_at_once(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create-curator", "eco@mairie.example", "--password", FIRST_PASSWORD]
    )
    assert result.exit_code == 0, result.output
    assert outbox(app) == []
    login(english_client(app), staff("eco@mairie.example"), FIRST_PASSWORD)


def test_a_staff_password_too_short_is_refused(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create-admin", "root@mairie.example", "--password", "court"]
    )
    assert result.exit_code != 0
    assert "weak_password" in result.output
