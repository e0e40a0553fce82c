"""A repeated search is answered from the snapshot's results and the page cache, every search
is still logged, and an indexed change shows on the next search."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace.extensions import db
from search.models import SearchLog
from shops import catalogue
from shops.models import Product
from tests.conftest import page_text
from tests.factories import make_product, make_shop


def test_a_repeated_search_is_cached_logged_and_fresh_after_a_change(app, client):
    bread = make_product(make_shop(name="Boulangerie Recherche"), "Baguette tradition", 130)
    first = client.get("/search?q=baguette")
    assert first.headers["X-Page-Cache"] == "miss"
    again = client.get("/search?q=baguette")
    assert again.headers["X-Page-Cache"] == "hit"
    assert "Baguette tradition" in page_text(again)
    assert "Set-Cookie" not in again.headers
    catalogue.update_product(db.session.get(Product, bread.id), {"name": "Baguette dorée"})
    db.session.commit()
    changed = client.get("/search?q=baguette")
    assert changed.headers["X-Page-Cache"] == "miss"
    assert "Baguette dorée" in page_text(changed)
    api = client.get("/api/v1/search?q=baguette").get_json()
    assert [r["name"] for r in api["results"]] == ["Baguette dorée"]
    logged = db.session.scalar(select(func.count()).select_from(SearchLog))
    assert logged == 4  # every search counts for the city office, cached or not


def test_searches_are_logged_in_batches_and_none_is_lost(app, client):
    """Under load a search costs no write of its own: the log is written once a second."""
    from search.log_writer import flush_search_logs

    make_product(make_shop(name="Boulangerie Lot"), "Pain aux noix", 290)
    app.config["SEARCH_LOG_FLUSH_SECONDS"] = 3600.0  # nothing due during the test
    for q in ("noix", "pain", "noix"):
        assert client.get("/search", query_string={"q": q}).status_code == 200
    assert client.get("/api/v1/search?q=noix").status_code == 200

    def logged() -> list[str]:
        db.session.expire_all()
        return sorted(db.session.scalars(select(SearchLog.query)))

    assert logged() == []
    flush_search_logs(app)
    assert logged() == ["noix", "noix", "noix", "pain"]
    flush_search_logs(app)  # nothing new: nothing added
    assert len(logged()) == 4
