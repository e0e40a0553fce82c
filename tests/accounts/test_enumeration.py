"""Nobody learns from the sign-up or reset pages whether an email has an account (issue 19, item 7).

Both forms answer a used and an unused email alike, and mail through the job queue: the request
only queues a job with the address, so it does the same work either way; the job finds out.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import (
    drain_jobs,
    english_client,
    link_path,
    outbox,
    page_text,
    post_form,
)
from tests.factories import PASSWORD, login, make_user

# Two addresses of the same length, so that even Content-Length cannot differ.
TAKEN, FREE = "anna@example.org", "emma@example.org"
# What differs between any two requests and says nothing about the account: the session cookie
# and CSRF token (random), the request id, and the clock readings of the rate-limit headers.
UNCOMPARED = {"Set-Cookie", "X-Request-ID", "X-RateLimit-Reset", "Retry-After"}
CSRF_VALUE = re.compile(r'(name="(?:\w+-)?csrf_token" (?:type="hidden" )?value=")[^"]+')


def sign_up(client, email: str):
    data = {"name": "Zoé", "email": email, "password": PASSWORD, "confirm": PASSWORD}
    return post_form(client, "/account/register", data)


def browser(app, address: str):
    """An English-speaking browser from its own address (each has its own rate-limit budget)."""
    client = english_client(app)
    client.environ_base["REMOTE_ADDR"] = address
    return client


def seen(response, email: str) -> tuple:
    """What a visitor sees of a response, the typed email and the random tokens blanked out."""
    headers = sorted((k, v) for k, v in response.headers.items() if k not in UNCOMPARED)
    body = CSRF_VALUE.sub(r"\1<token>", page_text(response)).replace(email, "<email>")
    return response.status_code, headers, body


def both_ways(app, send, path_after: str) -> list[tuple]:
    """Send the form for the used then the unused email; what each browser saw, both pages."""
    views = []
    for n, email in enumerate((TAKEN, FREE)):
        client = browser(app, f"10.0.0.{n + 1}")
        response = send(client, email)
        assert response.headers["Location"] == path_after
        views.append((seen(response, email), seen(client.get(path_after), email)))
    return views


def test_signing_up_with_a_used_email_looks_exactly_like_a_new_sign_up(app, queued_jobs):
    owner = make_user(TAKEN)
    taken, free = both_ways(app, sign_up, "/account/login")
    assert taken == free
    page_after = taken[1][2]
    assert "Check your email: we sent a message to <email> to finish opening" in page_after
    # The mail is queued, not written by the request; the job writes it.
    assert outbox(app) == []
    assert [t.name for t in queued_jobs.pending()] == [
        "marketplace.accounts.emails.email_signup_notice",
        "marketplace.accounts.emails.email_confirmation",
    ]
    assert drain_jobs(app) == 2
    notice, confirmation = outbox(app)
    assert notice.startswith(f"To: {owner.email}\n")
    # In the owner's language (French, the default: this account never chose one).
    assert "Quelqu'un a essayé d'ouvrir un compte Vitrine avec votre adresse" in notice
    assert confirmation.startswith(f"To: {FREE}\n") and "/account/confirm/" in confirmation


def test_the_owner_told_of_the_attempt_can_reset_the_password_from_the_notice(app):
    owner = make_user(TAKEN)
    sign_up(browser(app, "10.0.0.1"), TAKEN.upper())
    [notice] = outbox(app)
    assert "Aucun nouveau compte n'a été ouvert." in notice
    path = link_path(notice)
    assert path.startswith("/account/reset/")
    client = english_client(app)
    new = {"password": "un tout nouveau mot de passe", "confirm": "un tout nouveau mot de passe"}
    assert post_form(client, path, new, token_from="/account/login").status_code == 302
    login(english_client(app), owner, "un tout nouveau mot de passe")


def test_a_reset_request_looks_and_costs_the_same_for_a_used_and_an_unused_email(app, queued_jobs):
    make_user(TAKEN)

    def ask(client, email):
        return post_form(client, "/account/reset", {"email": email})

    taken, free = both_ways(app, ask, "/account/login")
    assert taken == free
    # Both requests queued the very same job; neither looked for the account nor wrote mail.
    pending = queued_jobs.pending()
    assert [(t.name, t.args) for t in pending] == [
        ("marketplace.accounts.emails.email_password_reset", (TAKEN,)),
        ("marketplace.accounts.emails.email_password_reset", (FREE,)),
    ]
    assert outbox(app) == []
    drain_jobs(app)
    [mail] = outbox(app)
    assert mail.startswith(f"To: {TAKEN}\n") and "/account/reset/" in mail


@pytest.mark.parametrize("email", [TAKEN, "nobody@example.org"])
def test_a_second_sign_up_for_an_address_opens_no_second_account(app, email):
    from sqlalchemy import func, select

    from marketplace.accounts.models import User
    from marketplace.extensions import db

    make_user(TAKEN)
    for n in range(2):
        assert sign_up(browser(app, f"10.0.1.{n}"), email).status_code == 302
    count = db.session.scalar(select(func.count()).select_from(User).where(User.email == email))
    assert count == 1


def test_moving_an_account_to_a_used_email_looks_like_moving_it_to_a_free_one(app, queued_jobs):
    make_user(TAKEN)
    resident = make_user("resident@example.org")
    views = []
    for n, email in enumerate((TAKEN, FREE)):
        client = browser(app, f"10.0.0.{n + 1}")
        login(client, resident)
        data = {"action": "email", "email-email": email, "email-current_password": PASSWORD}
        response = post_form(client, "/account/settings", data)
        views.append((seen(response, email), seen(client.get("/account/settings"), email)))
    assert views[0] == views[1]
    assert [(t.name, t.args) for t in queued_jobs.pending()] == [
        ("marketplace.accounts.emails.email_change_link", (resident.id, TAKEN)),
        ("marketplace.accounts.emails.email_change_link", (resident.id, FREE)),
    ]
    assert outbox(app) == []
    drain_jobs(app)
    notice, link = outbox(app)
    assert notice.startswith(f"To: {TAKEN}\n") and "/account/" not in notice
    assert link.startswith(f"To: {FREE}\n") and "/account/email/" in link
