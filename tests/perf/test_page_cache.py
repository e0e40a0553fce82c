"""The anonymous shop and product pages come from a cache, and every change shows at once."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from sqlalchemy import event

from marketplace.app import create_app
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.stock import reserve_stock
from marketplace.public import page_cache
from shops import catalogue, services
from shops.hours import Interval
from shops.models import Product, Shop
from tests.conftest import CSRF_RE, english_client, page_text
from tests.factories import login, make_product, make_product_image, make_shop, make_user


def product_url(product) -> str:
    return f"/shops/{product.shop.slug}/products/{product.id}-{product.slug}"


@pytest.fixture
def bakery(app):
    shop = make_shop(name="Boulangerie Cache")
    make_product(shop, "Pain de campagne", 350, stock=5)
    return shop


@pytest.fixture
def statements(app):
    """Count the SQL statements the app runs (on every engine it uses)."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine.__class__, "before_cursor_execute", count)
    yield seen
    event.remove(db.engine.__class__, "before_cursor_execute", count)


def change_price(product_id: int, cents: int) -> None:
    product = db.session.get(Product, product_id)
    catalogue.update_product(product, {"price_cents": cents})
    db.session.commit()


def test_a_repeated_anonymous_page_is_served_from_the_cache_with_one_query_and_a_count(
    app, client, bakery, statements
):
    product = bakery_product(bakery)
    for url in (f"/shops/{bakery.slug}", product_url(product)):
        client.get(url)
        statements.clear()
        again = client.get(url)
        assert again.status_code == 200
        assert again.get_data() != b""
        # The stamp, and the visit added to the page's daily counter (the shop's Sales page);
        # the page itself is not rebuilt. On PostgreSQL the stamp goes on a connection of its
        # own, outside SQLAlchemy (public/stamp_connection.py).
        assert again.headers["X-Page-Cache"] == "hit"
        on_postgres = db.engine.dialect.name == "postgresql"
        assert len(statements) == (1 if on_postgres else 2), statements
        assert "page_views" in statements[-1]
        assert "3,50" in page_text(again)


def bakery_product(shop) -> Product:
    return db.session.scalars(db.select(Product).where(Product.shop_id == shop.id)).one()


def test_a_price_change_shows_on_the_next_request(app, client, bakery):
    product = bakery_product(bakery)
    for url in (f"/shops/{bakery.slug}", product_url(product)):
        assert "3,50\u202f€" in page_text(client.get(url))
    change_price(product.id, 420)
    for url in (f"/shops/{bakery.slug}", product_url(product)):
        text = page_text(client.get(url))
        assert "4,20\u202f€" in text and "3,50\u202f€" not in text, url


def test_a_change_made_by_another_app_instance_shows_on_the_next_request(
    app, client, bakery, database_url, tmp_path
):
    """Two processes share the database, each with its own cache: the stamp is in the database."""
    product = bakery_product(bakery)
    url = product_url(product)
    assert "3,50\u202f€" in page_text(client.get(url))
    other = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": str(tmp_path / "other")},
    )
    with other.app_context():
        assert "3,50\u202f€" in page_text(other.test_client().get(url))  # cached there too
        change_price(product.id, 275)
        db.session.remove()
        db.engine.dispose()
    assert "2,75\u202f€" in page_text(client.get(url))
    assert "2,75\u202f€" in page_text(client.get(f"/shops/{bakery.slug}"))


def test_stock_taken_by_a_checkout_shows_at_once_and_back_again(app, client, bakery):
    """Checkouts change stock with a conditional UPDATE, not through the shop's version."""
    product = bakery_product(bakery)
    shop_url, url = f"/shops/{bakery.slug}", product_url(product)
    assert "5 in stock" in page_text(english_client(app).get(url))
    reserve_stock(product.id, 2)
    db.session.commit()
    english = english_client(app)
    assert "3 in stock" in page_text(english.get(url))
    assert "Out of stock" not in page_text(english.get(shop_url))
    reserve_stock(product.id, 3)
    db.session.commit()
    assert "Out of stock" in page_text(english.get(shop_url))
    assert "Out of stock" in page_text(english.get(url))
    catalogue.update_product(db.session.get(Product, product.id), {"stock": 5})
    db.session.commit()
    assert "Out of stock" not in page_text(english.get(shop_url))
    assert "5 in stock" in page_text(english.get(url))


def test_hours_closures_photos_and_hiding_show_on_the_next_request(app, client, bakery):
    product = bakery_product(bakery)
    shop_url, url = f"/shops/{bakery.slug}", product_url(product)
    assert "21:45" not in page_text(client.get(shop_url))
    shop = db.session.get(Shop, bakery.id)
    services.set_opening_hours(shop, [Interval(d, time(7), time(21, 45)) for d in range(7)])
    db.session.commit()
    assert "21:45" in page_text(client.get(shop_url))

    today = utcnow().date()
    services.add_closure(shop, today + timedelta(days=3), today + timedelta(days=9), "Congés")
    db.session.commit()
    assert "Congés" in page_text(client.get(shop_url))

    assert "-thumb.jpg" not in page_text(client.get(shop_url))
    make_product_image(db.session.get(Product, product.id), app.config["UPLOAD_DIR"])
    assert "-thumb.jpg" in page_text(client.get(shop_url))

    db.session.get(Product, product.id).hidden_reason = "Allégation interdite."
    db.session.commit()
    assert client.get(url).status_code == 404
    assert "Pain de campagne" not in page_text(client.get(shop_url))


def test_a_shop_profile_change_or_suspension_shows_on_the_next_request(app, client, bakery):
    shop_url = f"/shops/{bakery.slug}"
    assert "Pain au levain." in page_text(client.get(shop_url))
    services.update_shop(db.session.get(Shop, bakery.id), {"description": "Farines du Perche."})
    db.session.commit()
    assert "Farines du Perche." in page_text(client.get(shop_url))
    from shops.status import transition_shop

    transition_shop(db.session.get(Shop, bakery.id), "suspended", None, "Contrôle sanitaire.")
    db.session.commit()
    assert client.get(shop_url).status_code == 404


def test_any_catalogue_change_bumps_the_shop_version_in_the_same_transaction(app, bakery):
    before = db.session.get(Shop, bakery.id).version
    make_product(db.session.get(Shop, bakery.id), "Fougasse", 300)
    after_create = db.session.get(Shop, bakery.id).version
    change_price(bakery_product_named(bakery, "Fougasse").id, 320)
    after_update = db.session.get(Shop, bakery.id).version
    db.session.delete(bakery_product_named(bakery, "Fougasse"))
    db.session.commit()
    after_delete = db.session.get(Shop, bakery.id).version
    assert before < after_create < after_update < after_delete
    # A change rolled back leaves the version as it was.
    catalogue.update_product(bakery_product(bakery), {"price_cents": 999})
    db.session.flush()
    db.session.rollback()
    assert db.session.get(Shop, bakery.id).version == after_delete


def bakery_product_named(shop, name: str) -> Product:
    return db.session.scalars(
        db.select(Product).where(Product.shop_id == shop.id, Product.name == name)
    ).one()


def test_personal_pages_are_never_served_from_the_anonymous_cache(app, client, bakery):
    product = bakery_product(bakery)
    shop_url = f"/shops/{bakery.slug}"
    client.get(shop_url)  # cached for visitors
    user = make_user("cache-resident@example.org")
    login(client, user)
    page = page_text(client.get(shop_url))
    assert "Se déconnecter" in page
    visitor = app.test_client()
    token = CSRF_RE.search(visitor.get(shop_url).get_data(as_text=True))
    visitor.post(
        "/cart/add",
        data={
            "csrf_token": token.group(1) or token.group(2),
            "product_id": product.id,
            "quantity": 1,
        },
    )
    assert re.search(
        r'class="count" id="cart-count">\(1\)', visitor.get(shop_url).get_data(as_text=True)
    )
    assert "Se déconnecter" not in page_text(app.test_client().get(shop_url))


def test_the_cached_page_carries_the_visitors_token_then_each_visitor_s_own(app, bakery):
    product = bakery_product(bakery)
    shop_url = f"/shops/{bakery.slug}"
    first, second = app.test_client(), app.test_client()
    pages = [visitor.get(shop_url) for visitor in (first, second)]
    # No session yet: the same bytes for both (an edge cache may share them), and no cookie.
    assert pages[0].get_data() == pages[1].get_data()
    assert all("Set-Cookie" not in page.headers for page in pages)
    assert page_cache.CSRF_PLACEHOLDER not in pages[0].get_data(as_text=True)
    token = CSRF_RE.search(pages[0].get_data(as_text=True))
    for visitor in (first, second):
        added = visitor.post(
            "/cart/add",
            data={"csrf_token": token.group(1) or token.group(2), "product_id": product.id},
        )
        assert added.status_code in (302, 303)
    # Having acted, each has a session and a token of their own on the next page.
    own = [CSRF_RE.search(v.get(shop_url).get_data(as_text=True)) for v in (first, second)]
    assert len({m.group(1) or m.group(2) for m in own} | {token.group(1) or token.group(2)}) == 3


def test_languages_are_cached_apart(app, bakery):
    shop_url = f"/shops/{bakery.slug}"
    assert "Opening hours" in page_text(english_client(app).get(shop_url))
    assert "Horaires d" in page_text(app.test_client().get(shop_url))
    assert "Opening hours" in page_text(english_client(app).get(shop_url))


def test_conditional_get_answers_304_until_the_page_changes(app, client, bakery):
    product = bakery_product(bakery)
    for url in (f"/shops/{bakery.slug}", product_url(product)):
        first = client.get(url)
        etag = first.headers["ETag"]
        assert first.headers["Cache-Control"] == "public, no-cache"
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.get_data() == b""
        # A visitor with a session (their own CSRF token on the page) gets the whole page.
        other = app.test_client()
        visitors_token = CSRF_RE.search(first.get_data(as_text=True))
        other.post(
            "/lang/fr", data={"csrf_token": visitors_token.group(1) or visitors_token.group(2)}
        )
        answer = other.get(url, headers={"If-None-Match": etag})
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == "private, no-cache"
    change_price(product.id, 510)
    for url in (f"/shops/{bakery.slug}", product_url(product)):
        response = client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 200 and "5,10\u202f€" in page_text(response)


def test_open_now_is_recomputed_when_the_shop_opens_or_closes(app, bakery):
    shop = db.session.get(Shop, bakery.id)
    now = utcnow()
    until = page_cache.next_change(shop.hours, now, app.config["TIMEZONE"])
    assert now < until <= now + timedelta(days=1)
    # Opening hours 08:00-13:00 and 15:00-19:30: the next change is one of those or midnight.
    local = until.astimezone(page_cache.ZoneInfo(app.config["TIMEZONE"]))
    assert local.strftime("%H:%M") in {"08:00", "13:00", "15:00", "19:30", "00:00"}


def test_the_lru_keeps_the_most_recently_used_pages():
    cache = page_cache.PageCache(2)
    entries = [page_cache.Entry((b"x",), str(n), n, None) for n in range(3)]
    cache.put(("a",), entries[0])
    cache.put(("b",), entries[1])
    assert cache.get(("a",)) is entries[0]
    cache.put(("c",), entries[2])
    assert cache.get(("b",)) is None
    assert cache.get(("a",)) is entries[0] and cache.get(("c",)) is entries[2]


def test_the_stamps_are_planned_once_on_postgresql(app, client, bakery):
    """A stamp's plan is the same for every shop: PostgreSQL must not plan it at each request."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no plan cache to set: the stamps run through SQLAlchemy there")
    from marketplace.public.stamp_connection import _connection

    assert client.get(f"/shops/{bakery.slug}").status_code == 200
    setting = _connection(db.engine.url).execute("SHOW plan_cache_mode").fetchone()
    assert setting == ("force_generic_plan",)
