"""The search page: usable without JavaScript, facets as links, suggestions, an empty state."""

from __future__ import annotations

from tests.conftest import page_text
from tests.factories import make_product, make_shop


def test_results_facets_and_suggestion_on_the_page(app, client):
    shop = make_shop()
    make_product(shop, "Pain au levain", 450)
    html = page_text(client.get("/search?q=levian"))
    assert "Pain au levain" in html
    assert "levain" in html and ("Did you mean" in html or "Vouliez-vous dire" in html)
    assert "/search?q=levian&amp;category=boulangerie" in html or "category=boulangerie" in html
    assert 'role="search"' in html and 'for="search-q"' in html


def test_the_header_has_a_search_box_everywhere(app, client):
    html = page_text(client.get("/"))
    assert 'action="/search"' in html and 'for="site-search-q"' in html


def test_nothing_found_proposes_categories(app, client):
    html = page_text(client.get("/search?q=xylophone"))
    assert "xylophone" in html
    assert "/search?category=fromagerie" in html


def test_a_bad_filter_on_the_page_is_explained_not_fatal(app, client):
    response = client.get("/search?q=pain&min_price=abc")
    assert response.status_code == 400
    assert "alert--error" in page_text(response)
