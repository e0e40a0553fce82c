"""/admin/jobs is the admin's: pending and failed jobs with their last error, in French and English."""

from __future__ import annotations

import re

import pytest

from marketplace.accounts.models import CURATOR, RESIDENT, SHOPKEEPER
from tests.conftest import csrf_token, english_client, page_text
from tests.factories import login, make_user
from tests.jobs.flaky import always_fails


def words(response) -> str:
    """The page's text without tags, spaces collapsed."""
    return (
        " ".join(re.sub(r"<[^>]+>", " ", page_text(response)).split())
        .replace("( ", "(")
        .replace(" )", ")")
    )


ADMIN_URLS = [("GET", "/admin/jobs"), ("POST", "/admin/jobs/1/retry")]


def test_every_admin_url_is_in_the_list(app):
    rules = {
        (method, rule.build(dict.fromkeys(rule.arguments, 1))[1])
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/admin")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert rules == set(ADMIN_URLS)


@pytest.mark.parametrize(("method", "path"), ADMIN_URLS)
@pytest.mark.parametrize("role", [RESIDENT, SHOPKEEPER, CURATOR])
def test_residents_shopkeepers_and_curators_get_403(app, method, path, role):
    client = app.test_client()
    login(client, make_user(f"{role}@example.org", role, "Someone"))
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, data={"csrf_token": csrf_token(client, "/account/settings")})
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(app):
    response = app.test_client().get("/admin/jobs")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_the_admin_sees_pending_and_failed_jobs_in_french_and_english(app, queued_jobs, admin):
    always_fails.delay(5)
    assert queued_jobs.drain(include_retries=True) == 2
    always_fails.delay(6)  # waits in the queue

    french = app.test_client()
    login(french, admin)
    text = words(french.get("/admin/jobs"))
    assert "Tâches en arrière-plan" in text
    assert "Tâches en échec (1)" in text and "order 5: mailbox full" in text
    assert "échouée" in text and "Relancer" in text
    assert "En attente (1)" in text and "tests.jobs.flaky.always_fails (6)" in text

    english = english_client(app)
    login(english, admin)
    text = words(english.get("/admin/jobs"))
    assert "Failed jobs (1)" in text and "Pending jobs (1)" in text and "Queue again" in text


def test_the_page_says_when_nothing_waits_or_failed(app, admin):
    client = english_client(app)
    login(client, admin)
    text = words(client.get("/admin/jobs"))
    assert "No failed job." in text and "The queue is empty." in text
