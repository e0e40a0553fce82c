"""Putting shops forward: featured shops, editorial collections, new in town on the home page."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from marketplace.curation.models import Collection
from marketplace.db import utcnow
from marketplace.extensions import db
from tests.conftest import page_text, post_form
from tests.curation.helpers import audit_entries
from tests.factories import image_bytes, make_product, make_shop


def create(client, **fields):
    data = {"title": "Noël à Oberkampf", "slug": "noel", "body": "Nos idées cadeaux.", **fields}
    return post_form(client, "/curation/collections/new", data)


def test_a_collection_is_built_ordered_and_shown_on_the_home_page(app, office, curator):
    cheese = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    books = make_shop(name="Librairie Page", category="librairie")
    product = make_product(books, "Atlas des saveurs", 3500)
    photo = (io.BytesIO(image_bytes()), "noel.jpg")
    response = create(office, published="y", photo=photo, photo_alt="Vitrine décorée")
    assert response.status_code == 303
    collection = db.session.scalar(select(Collection))
    assert collection.photo_path and collection.published
    url = f"/curation/collections/{collection.id}"
    for data in (
        {"shop_id": str(books.id)},
        {"product_id": str(product.id)},
        {"shop_id": str(cheese.id)},
    ):
        post_form(office, f"{url}/items", data, token_from=url)
    items = db.session.scalars(select(Collection)).one().items
    post_form(office, f"{url}/items/{items[2].id}/up", token_from=url)
    post_form(office, f"{url}/items/{items[2].id}/up", token_from=url)
    db.session.expire_all()
    order = [
        i.shop.name if i.shop else i.product.name
        for i in db.session.get(Collection, collection.id).items
    ]
    assert order == ["Fromagerie Oberkampf", "Librairie Page", "Atlas des saveurs"]

    visitor = app.test_client()
    page = page_text(visitor.get("/collections/noel"))
    assert (
        page.index("Fromagerie Oberkampf")
        < page.index("Librairie Page")
        < page.index("Atlas des saveurs")
    )
    assert "Noël à Oberkampf" in page_text(visitor.get("/"))
    actions = [e.action for e in audit_entries(target_kind="collection", actor_id=curator.id)]
    assert actions == ["collection.created"] + ["collection.item_added"] * 3


def test_publish_dates_bound_the_collection(app, office):
    later = (utcnow() + timedelta(days=3)).astimezone().strftime("%Y-%m-%dT%H:%M")
    create(office, published="y", starts_at=later)
    visitor = app.test_client()
    assert visitor.get("/collections/noel").status_code == 404
    assert "Noël à Oberkampf" not in page_text(visitor.get("/"))
    collection = db.session.scalar(select(Collection))
    collection.starts_at = utcnow() - timedelta(days=2)
    collection.ends_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert visitor.get("/collections/noel").status_code == 404
    collection.ends_at = utcnow() + timedelta(days=1)
    db.session.commit()
    assert visitor.get("/collections/noel").status_code == 200


def test_an_unpublished_collection_is_not_public(app, office):
    create(office)
    assert app.test_client().get("/collections/noel").status_code == 404


def test_bad_input_re_shows_the_form(app, office):
    create(office)
    assert create(office).status_code == 400  # the same web address twice
    assert create(office, slug="Pas Valide!").status_code == 400
    early = {"slug": "dates", "starts_at": "2026-12-10T10:00", "ends_at": "2026-12-01T10:00"}
    assert create(office, **early).status_code == 400
    assert db.session.scalar(select(db.func.count()).select_from(Collection)) == 1


def test_a_suspended_shop_leaves_the_collections(app, office):
    shop = make_shop(name="Boucherie Martin", category="boucherie")
    create(office, published="y")
    collection = db.session.scalar(select(Collection))
    url = f"/curation/collections/{collection.id}"
    post_form(office, f"{url}/items", {"shop_id": str(shop.id)}, token_from=url)
    assert "Boucherie Martin" in page_text(app.test_client().get("/collections/noel"))
    post_form(
        office, f"/curation/shops/{shop.id}/decide", {"action": "suspend", "reason": "Travaux"}
    )
    assert "Boucherie Martin" not in page_text(app.test_client().get("/collections/noel"))


def test_featured_shops_are_put_forward_on_the_home_page(app, office, curator):
    shop = make_shop(name="Fleurs de Lune", category="fleuriste")
    home = page_text(app.test_client().get("/"))
    assert home.count("Fleurs de Lune</a></h3>") == 1  # one card, in "new in town"
    post_form(office, f"/curation/shops/{shop.id}/feature", {"featured": "1"})
    db.session.refresh(shop)
    assert shop.featured
    assert page_text(app.test_client().get("/")).count("Fleurs de Lune</a></h3>") == 2
    post_form(office, f"/curation/shops/{shop.id}/feature", {"featured": "0"})
    db.session.refresh(shop)
    assert not shop.featured
    actions = [e.action for e in audit_entries(target_kind="shop", actor_id=curator.id)]
    assert actions == ["shop.featured", "shop.unfeatured"]


def test_only_a_published_shop_can_be_featured(app, office):
    shop = make_shop(published=False)
    post_form(
        office, f"/curation/shops/{shop.id}/feature", {"featured": "1"}, token_from="/curation/"
    )
    db.session.refresh(shop)
    assert not shop.featured
