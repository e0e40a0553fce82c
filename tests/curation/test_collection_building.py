"""Building a collection: shops and products found by name, a web address made from the title,
a picture kept across a refused form."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from marketplace.curation.models import Collection
from marketplace.extensions import db
from shops.photo_models import PhotoUpload
from tests.conftest import page_text, post_form
from tests.curation.helpers import make_curator
from tests.factories import image_bytes, login, make_product, make_shop


def create(client, **fields):
    data = {"title": "Noël à Oberkampf", "body": "Nos idées cadeaux.", **fields}
    return post_form(client, "/curation/collections/new", data)


def _names(collection_id: int) -> list[str]:
    db.session.expire_all()
    items = db.session.get(Collection, collection_id).items
    return [i.shop.name if i.shop else i.product.name for i in items]


def test_the_curator_finds_shops_and_products_by_name_and_adds_them(app, office):
    cheese = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    make_shop(name="Fromagerie Fermée", category="fromagerie", published=False)
    grocer = make_shop(name="Épicerie Lune")
    make_product(grocer, "Fromage blanc fermier", 450)
    make_product(grocer, "Bœuf bourguignon", 1450)
    create(office, slug="noel")
    collection = db.session.scalar(select(Collection))
    url = f"/curation/collections/{collection.id}"

    page = page_text(office.get(f"{url}?q=FROMAG"))
    assert "Fromagerie Oberkampf" in page and "Fromage blanc fermier" in page
    assert "Fromagerie Fermée" not in page  # not published: not put forward
    assert f'name="shop_id" value="{cheese.id}"' in page  # its Add button
    assert 'name="shop_id"' not in page_text(office.get(f"{url}?q=xylophone"))
    for typed in ("epicerie lune", "ÉPICERIE", "Épi"):  # accents and capitals forgiven
        assert "Épicerie Lune" in page_text(office.get(f"{url}?q={typed}")), typed
    assert "Bœuf bourguignon" in page_text(office.get(f"{url}?q=boeuf"))

    answer = post_form(
        office, f"{url}/items", {"shop_id": str(cheese.id), "q": "fromag"}, token_from=url
    )
    assert answer.status_code == 303 and answer.location.endswith(f"{url}?q=fromag")
    assert _names(collection.id) == ["Fromagerie Oberkampf"]


def test_an_unpublished_shop_or_a_hidden_product_cannot_be_added(app, office):
    draft = make_shop(name="Fromagerie Fermée", published=False)
    product = make_product(make_shop(name="Épicerie Lune"), "Tomme", 900)
    product.hidden_reason = "Étiquette trompeuse"
    db.session.commit()
    create(office, slug="noel")
    collection = db.session.scalar(select(Collection))
    url = f"/curation/collections/{collection.id}"
    for data in ({"shop_id": str(draft.id)}, {"product_id": str(product.id)}, {"shop_id": "x"}):
        post_form(office, f"{url}/items", data, token_from=url)
    assert _names(collection.id) == []


def test_the_search_box_suggests_names_as_json(app, office):
    make_shop(name="Librairie Page")
    create(office, slug="noel")
    collection = db.session.scalar(select(Collection))
    body = office.get(f"/curation/collections/{collection.id}/candidates?q=libr").get_json()
    [suggestion] = body["suggestions"]
    assert suggestion["label"] == "Librairie Page" and suggestion["type"] == "shop"
    assert "q=Librairie+Page" in suggestion["url"]


def test_the_web_address_is_made_from_the_title_unless_given(app, office):
    assert create(office).status_code == 303
    assert create(office).status_code == 303
    assert create(office, title="Pâques", slug="printemps").status_code == 303
    slugs = db.session.scalars(select(Collection.slug).order_by(Collection.id)).all()
    assert slugs == ["noel-a-oberkampf", "noel-a-oberkampf-2", "printemps"]


def test_a_picture_is_kept_when_the_form_is_refused(app, office, curator):
    photo = (io.BytesIO(image_bytes()), "noel.jpg")
    early = {"starts_at": "2026-12-10T10:00", "ends_at": "2026-12-01T10:00", "photo_alt": "Vitrine"}
    refused = create(office, photo=photo, **early)
    assert refused.status_code == 400
    page = page_text(refused)
    held = db.session.scalar(select(PhotoUpload))
    assert f'name="held_photo" type="hidden" value="{held.id}"' in page
    preview = re.search(r'src="(/curation/collections/held-photo/\d+)"', page).group(1)
    assert office.get(preview).mimetype == "image/jpeg"
    other = app.test_client()
    login(other, make_curator("autre@example.org"))
    assert other.get(preview).status_code == 404  # only the curator who sent it sees it

    fixed = {**early, "ends_at": "2026-12-24T10:00", "held_photo": str(held.id)}
    assert create(office, **fixed).status_code == 303
    collection = db.session.scalar(select(Collection))
    db.session.refresh(collection)
    assert collection.photo_path  # the job prepared the kept picture
    assert db.session.scalar(select(PhotoUpload)) is None


def test_a_kept_picture_can_be_refused(app, office):
    photo = (io.BytesIO(image_bytes()), "noel.jpg")
    assert create(office, title="", photo=photo).status_code == 400  # no title
    held = db.session.scalar(select(PhotoUpload))
    kept = {"held_photo": str(held.id), "drop_held_photo": "y"}
    assert create(office, **kept).status_code == 303
    assert db.session.scalar(select(Collection)).photo_path is None
    assert db.session.scalar(select(PhotoUpload)) is None
