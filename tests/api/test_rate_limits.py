"""Rate limits per client address and per token, answered with 429 and Retry-After."""

from __future__ import annotations

import pytest

from marketplace.app import create_app
from marketplace.extensions import db, limiter
from tests.api.conftest import bearer, make_token
from tests.factories import make_shop


@pytest.fixture
def tight_app(database_url, tmp_path):
    """The app with small API budgets."""
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
            "API_RATE_LIMIT_PER_IP": "6 per minute",
            "API_RATE_LIMIT_PER_TOKEN": "3 per minute",
        },
    )
    limiter.reset()
    with app.app_context():
        yield app
        db.session.remove()
        from tests.conftest import _empty_tables

        _empty_tables()
        db.engine.dispose()
    limiter.reset()


def test_each_address_has_a_budget(tight_app):
    client = tight_app.test_client()
    statuses = [client.get("/api/v1/categories").status_code for _ in range(7)]
    assert statuses == [200] * 6 + [429]
    refused = client.get("/api/v1/search?q=pain")  # search shares the budget
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert (refused.headers["RateLimit-Limit"], refused.headers["RateLimit-Remaining"]) == (
        "6",
        "0",
    )
    assert refused.get_json()["status"] == 429
    other = tight_app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert other.get("/api/v1/categories").status_code == 200


def test_each_token_has_a_budget(tight_app):
    shop = make_shop()
    first, second = make_token(shop, "Caisse"), make_token(shop, "Stock")
    client = tight_app.test_client()
    answers = [client.get("/api/v1/merchant/shop", headers=bearer(first)) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    # The headers tell the budget that runs out first: the token's.
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert answers[0].headers["RateLimit-Limit"] == "3"
    assert client.get("/api/v1/merchant/shop", headers=bearer(second)).status_code == 200
