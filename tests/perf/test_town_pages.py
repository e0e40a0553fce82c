"""Home, the shop directory, a category and the map come from the anonymous page cache, and
every change (a shop, a collection, which collections are live) shows on the next request."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.accounts.models import CURATOR
from marketplace.curation import collections
from marketplace.db import utcnow
from marketplace.extensions import db
from shops import services
from shops.models import Shop
from tests.conftest import page_text
from tests.factories import make_shop, make_user

TOWN_PAGES = ("/", "/shops", "/shops?category=boulangerie", "/map")


@pytest.fixture
def town(app):
    return make_shop(name="Boulangerie Commune")


def test_the_town_pages_are_served_from_the_cache(app, client, town):
    for url in TOWN_PAGES:
        assert client.get(url).headers["X-Page-Cache"] == "miss", url
        again = client.get(url)
        assert again.headers["X-Page-Cache"] == "hit", url
        assert again.status_code == 200 and "Boulangerie Commune" in page_text(again), url


def test_a_new_shop_and_a_renamed_one_show_on_the_next_request(app, client, town):
    for url in TOWN_PAGES:
        client.get(url)
    make_shop(name="Boulangerie Nouvelle")
    shop = db.session.get(Shop, town.id)
    services.update_shop(shop, {"name": "Boulangerie Renommée"})
    db.session.commit()
    for url in TOWN_PAGES:
        text = page_text(client.get(url))
        assert "Boulangerie Nouvelle" in text and "Boulangerie Renommée" in text, url


def test_a_collection_shows_on_the_home_page_when_published_and_when_its_date_comes(
    app, client, town
):
    curator = make_user("office@example.org", CURATOR, "Office")
    client.get("/")
    values = {
        "title": "Noël au marché",
        "slug": "noel",
        "body": "",
        "published": False,
        "starts_at": None,
        "ends_at": None,
    }
    collection = collections.save_collection(None, values, curator)
    collections.add_item(collection, curator, shop=db.session.get(Shop, town.id))
    db.session.commit()
    assert "Noël au marché" not in page_text(client.get("/"))
    soon = utcnow() + timedelta(seconds=1)
    collections.save_collection(
        collection, {**values, "published": True, "starts_at": soon}, curator
    )
    db.session.commit()
    # Published, but from a moment still to come: the stamp asks the database at each request.
    with app.test_request_context():
        from marketplace.public.stamps import town_stamp

        assert town_stamp(soon - timedelta(seconds=1)) != town_stamp(soon)
    collections.save_collection(collection, {**values, "published": True}, curator)
    db.session.commit()
    assert "Noël au marché" in page_text(client.get("/"))


def test_a_suspended_shop_leaves_the_directory_at_once(app, client, town):
    assert "Boulangerie Commune" in page_text(client.get("/shops"))
    shop = db.session.get(Shop, town.id)
    shop.status = "suspended"
    db.session.commit()
    assert "Boulangerie Commune" not in page_text(client.get("/shops"))
