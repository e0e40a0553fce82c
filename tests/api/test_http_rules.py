"""What every API answer follows: problem+json errors, RateLimit-* headers, 415, no cookies."""

from __future__ import annotations

from tests.api.conftest import bearer
from tests.factories import login

PROBLEM = "application/problem+json"


def test_errors_are_problems_with_a_stable_code_and_a_translated_title(app, client, bakery):
    french = client.get("/api/v1/products/999999")
    english = client.get("/api/v1/products/999999", headers={"Accept-Language": "en"})
    assert french.status_code == english.status_code == 404
    assert french.mimetype == english.mimetype == PROBLEM
    fr, en = french.get_json(), english.get_json()
    assert fr["code"] == en["code"] == "not-found" and fr["type"] == en["type"]
    assert fr["type"].endswith(":not-found") and fr["status"] == 404
    assert (fr["title"], en["title"]) == ("Introuvable", "Not found")
    assert en["detail"] == "No product on sale has this number."
    invalid = client.get("/api/v1/shops?per_page=0&colour=red").get_json()
    assert invalid["code"] == "invalid-query" and set(invalid["errors"]) == {"colour"}


def test_a_body_that_is_not_json_is_a_415(app, client, bakery, bakery_token):
    answer = client.post(
        "/api/v1/merchant/products",
        data="name=Flan&price_cents=300",
        headers={**bearer(bakery_token), "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 415 and answer.get_json()["code"] == "unsupported-media-type"


def test_every_answer_tells_the_rate_limit(app, client, bakery, bakery_token):
    answers = [
        client.get("/api/v1/categories"),
        client.get("/api/v1/shops/nowhere"),
        client.get("/api/v1/merchant/shop"),
        client.get("/api/v1/merchant/shop", headers=bearer(bakery_token)),
        client.put("/api/v1/categories"),
        client.get("/api/v1/no-such-path"),
    ]
    assert [a.status_code for a in answers] == [200, 404, 401, 200, 405, 404]
    remaining = [int(a.headers["RateLimit-Remaining"]) for a in answers]
    assert remaining[:3] == sorted(remaining[:3], reverse=True)  # each call counts
    for answer in answers:
        assert int(answer.headers["RateLimit-Limit"]) >= int(answer.headers["RateLimit-Remaining"])
        assert int(answer.headers["RateLimit-Reset"]) > 0


def test_public_reads_do_not_vary_on_cookies(app, client, bakery):
    login(client, bakery.owner)  # a browser with a session cookie, signed in
    for path in ("/api/v1/shops", f"/api/v1/shops/{bakery.slug}", "/api/v1/search?q=pain"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert "Cookie" not in answer.headers.get("Vary", "")
        assert "Set-Cookie" not in answer.headers
        assert answer.headers["Cache-Control"].startswith("public")
