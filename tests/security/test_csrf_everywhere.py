"""CSRF: every state-changing route refuses a request without the form's token, and changes nothing.

The routes come from the url_map; each is sent by the user entitled to it (so that only the missing
token can be the reason for the refusal), as a cross-site form would be.
"""

from __future__ import annotations

import pytest

from marketplace.accounts.services import make_email_change_token, make_password_token
from tests.security.attack import (
    client_of,
    database_state,
    group_of,
    rightful_user,
    state_changing_rules,
    values_for,
)

FORM = {"name": "x", "reason": "x", "email": "x@example.org", "password": "0123456789ab"}


@pytest.mark.parametrize(("rule", "method"), state_changing_rules())
def test_a_form_without_its_csrf_token_is_refused(town, rule, method):
    app, world, clients = town
    special = {
        "i18n.switch_language": lambda: {"code": "en"},
        "accounts.reset_password": lambda: {"token": make_password_token(world.resident_r)},
        "accounts.accept_invitation": lambda: {
            "token": make_password_token(world.resident_r, "invite")
        },
        "accounts.confirm_email": lambda: {
            "token": make_password_token(world.resident_r, "confirm")
        },
        "accounts.change_email": lambda: {
            "token": make_email_change_token(world.resident_r, "moved@example.org")
        },
    }
    if rule.endpoint in special:
        values = special[rule.endpoint]()
    elif group_of(rule) == "public" and rule.arguments:
        values = None
    else:
        values = values_for(rule, world)
    if values is None:
        pytest.skip(f"no test object for {sorted(rule.arguments)} of {rule.endpoint}")
    url = app.url_map.bind("localhost").build(rule.endpoint, values, method=method)
    client = client_of(app, clients, rightful_user(rule, world))
    before = database_state()
    response = client.open(
        url, method=method, data=FORM, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 400, f"{method} {url}: {response.status_code}"
    assert "Your form expired or was not sent from this site" in response.get_data(as_text=True)
    assert database_state() == before
    assert client.get("/account/settings").status_code == 200  # still logged in (logout too)


def test_the_csrf_suite_covers_the_forms():
    """Guard: the parametrisation really found the forms."""
    covered = {p.values[0].endpoint for p in state_changing_rules()}
    assert {"accounts.login", "accounts.logout", "cart.add", "orders.checkout"} <= covered
    assert {"catalogue.edit", "board.cancel", "orders.cancel"} <= covered
