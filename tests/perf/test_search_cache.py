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
