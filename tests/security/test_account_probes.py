"""An attacker probing emails learns nothing: every form that takes an account email answers a
used and an unused one alike, writes no mail itself, and the login lock falls on both alike."""

from __future__ import annotations

import pytest
from flask_wtf.file import FileField, MultipleFileField
from wtforms import EmailField

from marketplace.accounts.services import find_user_by_email
from tests.conftest import english_client, outbox, post_form
from tests.factories import PASSWORD, login, make_user
from tests.security.attack import (
    ACCOUNT_EMAIL_FORMS,
    NOT_ACCOUNT_EMAILS,
    NOT_STORED_UPLOADS,
    UPLOAD_REFUSALS,
    form_classes_with,
    visible,
)

USED, UNUSED = "anna@example.org", "emma@example.org"  # the same length: Content-Length too


def send(app, form: str, email: str, address: str):
    """Send `form` with `email` from a browser of its own address; return the answer and the
    page it leads to."""
    path, who, fields = ACCOUNT_EMAIL_FORMS[form]
    client = english_client(app)
    client.environ_base["REMOTE_ADDR"] = address
    if who == "resident":
        login(client, find_user_by_email("resident@example.org") or make_user())
    prefix = "email-" if form == "ChangeEmailForm" else ""
    data = {k: v.format(password=PASSWORD) for k, v in fields.items()}
    response = post_form(client, path, {**data, f"{prefix}email": email})
    after = client.get(response.headers["Location"]) if response.status_code == 302 else None
    return response, after


@pytest.mark.parametrize("form", ACCOUNT_EMAIL_FORMS)
def test_a_used_and_an_unused_email_get_the_same_answer(app, queued_jobs, form):
    make_user(USED)
    seen = []
    for n, email in enumerate((USED, UNUSED)):
        response, after = send(app, form, email, f"10.9.0.{n}")
        seen.append((visible(response, email), after and visible(after, email)))
    assert seen[0] == seen[1]
    assert outbox(app) == []  # any mail is the job's, not the request's


def test_the_login_lock_falls_alike_on_a_used_and_an_unused_email(app):
    app.config["LOGIN_ACCOUNT_LIMIT"] = "2 per 15 minutes"
    make_user(USED)
    locks = []
    for m, email in enumerate((USED, UNUSED)):
        for n in range(2):
            send(app, "LoginForm", email, f"10.9.{n}.{m}")
        response, _ = send(app, "LoginForm", email, f"10.9.9.{m}")
        assert response.status_code == 429
        locks.append(visible(response, email))
    assert locks[0] == locks[1]


def test_every_form_with_an_email_field_is_probed_or_excused():
    assert form_classes_with(EmailField) == set(ACCOUNT_EMAIL_FORMS) | set(NOT_ACCOUNT_EMAILS)


def test_every_form_with_a_file_field_is_refused_in_test_uploads_or_excused():
    found = form_classes_with(FileField, MultipleFileField)
    assert found == set(UPLOAD_REFUSALS) | set(NOT_STORED_UPLOADS)
