"""Cached shared pages served before Flask (public/fast_path.py): the same answer as Flask's,
every change on the next request, the visit still counted, and nothing personal ever served."""

from __future__ import annotations

import pytest
from flask import request_started

from marketplace.extensions import db
from marketplace.public import visits
from marketplace.sales.models import SHOP_PAGE, PageView
from shops import catalogue, services
from shops.models import Product, Shop
from tests.conftest import page_text
from tests.factories import login, make_product, make_shop

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.fixture
def flask_requests(app):
    """The requests Flask itself handled (the fast path's never reach it)."""
    seen: list[str] = []

    def note(sender, **_extra):
        from flask import request

        seen.append(request.path)

    request_started.connect(note, app)
    yield seen
    request_started.disconnect(note, app)


@pytest.fixture
def bakery(app):
    shop = make_shop(name="Boulangerie Rapide")
    bread = make_product(shop, "Pain au levain", 380, stock=4)
    db.session.commit()
    return shop, bread


def pages(shop, bread) -> list[str]:
    product = f"/shops/{shop.slug}/products/{bread.id}-{bread.slug}"
    return [f"/shops/{shop.slug}", product, "/", "/shops", "/shops?category=boulangerie", "/map"]


def test_a_second_visitor_gets_flask_s_answer_without_flask(app, bakery, flask_requests):
    """Same status, body and headers as Flask gives a visitor with an unrelated cookie."""
    for url in pages(*bakery):
        app.test_client(use_cookies=False).get(url)  # Flask renders it and shows it is shared
        flask_requests.clear()
        fast = app.test_client(use_cookies=False).get(url)
        assert flask_requests == [], url
        with_cookie = app.test_client(use_cookies=False).get(url, headers={"Cookie": "ab=1"})
        assert flask_requests == [url.split("?")[0]]  # a cookie: Flask answers
        assert fast.status_code == with_cookie.status_code == 200
        assert fast.get_data() == with_cookie.get_data(), url
        ours, theirs = dict(fast.headers), dict(with_cookie.headers)
        assert ours.pop("X-Request-ID") != theirs.pop("X-Request-ID")
        assert ours == theirs, url
        assert ours["X-Page-Cache"] == "hit" and "Set-Cookie" not in ours


def test_every_change_shows_on_the_next_request(app, bakery, flask_requests):
    shop, bread = bakery
    urls = pages(shop, bread)
    visitor = app.test_client(use_cookies=False)
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    for url in urls:
        visitor.get(url)
        visitor.get(url)
    services.update_shop(db.session.get(Shop, shop.id), {"name": "Boulangerie Renommée"})
    db.session.commit()
    for url in urls:
        assert "Boulangerie Renommée" in page_text(visitor.get(url)), url
    catalogue.update_product(db.session.get(Product, bread.id), {"stock": 0})
    db.session.commit()
    for url in urls[:2]:  # sold out: the shop and the product pages show it at once
        assert "Out of stock" in page_text(visitor.get(url)), url
    assert flask_requests[-2:] == [f"/shops/{shop.slug}", urls[1]]  # re-rendered


def test_each_language_gets_its_own_page(app, bakery, flask_requests):
    shop, _bread = bakery
    url = f"/shops/{shop.slug}"
    french, english = app.test_client(use_cookies=False), app.test_client(use_cookies=False)
    french.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    english.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    french.get(url)
    english.get(url)
    flask_requests.clear()
    assert 'lang="fr"' in french.get(url).get_data(as_text=True)
    assert 'lang="en"' in english.get(url).get_data(as_text=True)
    assert flask_requests == []


def test_a_conditional_request_and_a_head_request(app, bakery, flask_requests):
    shop, _bread = bakery
    url = f"/shops/{shop.slug}"
    visitor = app.test_client(use_cookies=False)
    first = visitor.get(url)
    flask_requests.clear()
    again = visitor.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    head = visitor.head(url)
    assert head.status_code == 200 and head.get_data() == b""
    assert int(head.headers["Content-Length"]) == len(first.get_data())
    assert flask_requests == []


def test_visits_are_counted_and_robots_are_not(app, bakery, flask_requests):
    shop, bread = bakery
    visitor = app.test_client(use_cookies=False)
    product = pages(shop, bread)[1]
    for _ in range(3):
        visitor.get(f"/shops/{shop.slug}", headers={"User-Agent": BROWSER})
    visitor.get(product, headers={"User-Agent": BROWSER})
    visitor.get(product, headers={"User-Agent": BROWSER})
    visitor.get(f"/shops/{shop.slug}", headers={"User-Agent": "Googlebot/2.1"})
    assert len(flask_requests) == 2  # the first of each page only
    visits.flush_visits(app)
    db.session.expire_all()
    views = {(r.shop_id, r.product_id): r.views for r in db.session.scalars(db.select(PageView))}
    assert views == {(shop.id, SHOP_PAGE): 3, (shop.id, bread.id): 2}


def test_a_logged_in_resident_or_a_cookie_never_gets_the_shared_page(app, bakery, flask_requests):
    shop, _bread = bakery
    url = f"/shops/{shop.slug}"
    app.test_client(use_cookies=False).get(url)
    owner = app.test_client()
    login(owner, shop.owner)
    flask_requests.clear()
    page = owner.get(url)
    assert flask_requests == [url]
    assert "X-Page-Cache" not in page.headers
    token = app.test_client(use_cookies=False).get(url, headers={"Authorization": "Bearer x"})
    assert flask_requests == [url, url] and token.status_code == 200


def test_a_search_page_and_a_shop_search_stay_with_their_views(app, bakery, flask_requests):
    """Rate-limited and logged per search: never answered by the fast path."""
    shop, _bread = bakery
    visitor = app.test_client(use_cookies=False)
    for url in ("/search?q=pain", f"/shops/{shop.slug}?q=levain"):
        visitor.get(url)
        flask_requests.clear()
        visitor.get(url)
        assert flask_requests == [url.split("?")[0]], url
