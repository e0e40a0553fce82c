"""Small `make_*` helpers that build test data through the real services."""

from __future__ import annotations

import io
from datetime import time

import pytest
from PIL import Image

from marketplace.accounts import services as accounts
from marketplace.accounts.models import RESIDENT, SHOPKEEPER
from marketplace.extensions import db
from shops import catalogue, services
from shops.hours import Interval
from shops.models import CHANGES_REQUESTED, DRAFT, PENDING_REVIEW, PUBLISHED, REJECTED, SUSPENDED
from shops.photo_jobs import prepare_photo
from shops.status import transition_shop

PASSWORD = "correct horse battery"


def make_user(
    email: str = "resident@example.org", role: str = RESIDENT, name: str = "Alice"
) -> object:
    """Create and commit a user with the shared test password and a confirmed email."""
    user = accounts.register_user(email, PASSWORD, name, role)
    accounts.confirm_email(user)
    db.session.commit()
    return user


# How a shop reaches each status through the state machine (reason given where one is needed).
PATH_TO_STATUS = {
    DRAFT: [],
    PENDING_REVIEW: [(PENDING_REVIEW, None)],
    PUBLISHED: [(PENDING_REVIEW, None), (PUBLISHED, None)],
    REJECTED: [(PENDING_REVIEW, None), (REJECTED, "Adresse introuvable.")],
    CHANGES_REQUESTED: [(PENDING_REVIEW, None), (CHANGES_REQUESTED, "Ajoutez une photo.")],
    SUSPENDED: [
        (PENDING_REVIEW, None),
        (PUBLISHED, None),
        (SUSPENDED, "Fermeture administrative."),
    ],
}


def make_shop(
    owner=None,
    name: str = "Boulangerie du Marché",
    published: bool = True,
    status: str | None = None,
    **values,
):
    """Create a shop open Mon-Sat 08:00-13:00 and 15:00-19:30, published by default.

    `status` walks the shop through the state machine to any status (draft when published=False).
    """
    if owner is None:
        owner = make_user(f"owner-{services.slugify(name)}@example.org", SHOPKEEPER, "Bob")
    data = {
        "name": name,
        "category": "boulangerie",
        "description": "Pain au levain.",
        "address": "12 rue Oberkampf",
        "postcode": "75011",
        "city": "Paris",
        "lat": 48.8650,
        "lon": 2.3780,
        **values,
    }
    shop = services.create_shop(owner, data)
    services.set_opening_hours(
        shop,
        [Interval(d, time(8), time(13)) for d in range(6)]
        + [Interval(d, time(15), time(19, 30)) for d in range(6)],
    )
    for target, reason in PATH_TO_STATUS[status or (PUBLISHED if published else DRAFT)]:
        transition_shop(shop, target, None, reason)
    db.session.commit()
    return shop


def make_product(shop, name: str = "Baguette tradition", price_cents: int = 130, **values):
    """Create and commit a product of `shop`."""
    product = catalogue.create_product(shop, {"name": name, "price_cents": price_cents, **values})
    db.session.commit()
    return product


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48)) -> bytes:
    """Return a real little photo in `fmt` (JPEG, PNG, WEBP), made with Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, fmt)
    return buffer.getvalue()


def make_product_image(product, upload_dir: str, fmt: str = "PNG"):
    """Store and commit a real photo of `product`, resized by its job; return the ProductImage."""
    upload = catalogue.add_product_image(
        product, io.BytesIO(image_bytes(fmt)), "Photo", upload_dir, 10 * 1024 * 1024
    )
    db.session.commit()
    prepare_photo.run_now(upload.id)
    db.session.refresh(product)
    return product.images[-1]


def make_shop_photo(shop, upload_dir: str, alt: str = "Vitrine", data: bytes | None = None):
    """Store and commit a real photo of `shop`, resized by its job; return its stored path."""
    upload = services.set_shop_photo(
        shop, io.BytesIO(data or image_bytes()), alt, upload_dir, 10 * 1024 * 1024
    )
    db.session.commit()
    prepare_photo.run_now(upload.id)
    db.session.refresh(shop)
    return shop.photo_path


def shop_form_data(**overrides) -> dict:
    """What a browser sends from the shop form, filled in, with `overrides`."""
    data = {
        "name": "Fromagerie Oberkampf",
        "category": "fromagerie",
        "description": "Comté 24 mois, chèvres de Touraine.",
        "address": "80 rue Oberkampf",
        "postcode": "75011",
        "city": "Paris",
        "lat": "48.8652",
        "lon": "2.3791",
        "siret": "",
        "phone": "01 43 55 12 34",
        "email": "",
        "website": "",
        "pay_at_pickup": "y",
        "prep_minutes": "60",
        "slot_minutes": "30",
        "slot_capacity": "5",
    }
    return {**data, **overrides}


def product_form_data(**overrides) -> dict:
    """What a browser sends from the product form (every field, as text), with `overrides`."""
    data = {
        "name": "Comté 24 mois",
        "description": "Au lait cru.",
        "price": "12,50",
        "stock": "",
        "category": "Fromages",
        "sku": "",
        "active": "y",
        "photo_alt": "",
    }
    return {**data, **overrides}


def shop_state(shop_id: int) -> dict:
    """Everything about a shop that a merchant page could change, read fresh from the database."""
    from sqlalchemy import select

    from shops.models import Closure, OpeningHours, Product, ProductImage, Shop

    db.session.expire_all()

    def rows(model, *where):
        return [
            {c.name: getattr(r, c.name) for c in model.__table__.columns}
            for r in db.session.scalars(select(model).where(*where).order_by(model.id))
        ]

    products = select(Product.id).where(Product.shop_id == shop_id)
    return {
        "shop": rows(Shop, Shop.id == shop_id),
        "hours": rows(OpeningHours, OpeningHours.shop_id == shop_id),
        "closures": rows(Closure, Closure.shop_id == shop_id),
        "products": rows(Product, Product.shop_id == shop_id),
        "images": rows(ProductImage, ProductImage.product_id.in_(products)),
    }


def login(client, user, password: str = PASSWORD):
    """Log `user` in through the real login form."""
    from tests.conftest import csrf_token

    token = csrf_token(client)
    response = client.post(
        "/account/login", data={"csrf_token": token, "email": user.email, "password": password}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def resident(app):
    return make_user("resident@example.org", RESIDENT, "Alice")


@pytest.fixture
def shopkeeper(app):
    return make_user("shopkeeper@example.org", SHOPKEEPER, "Bob")
