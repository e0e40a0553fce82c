"""API test helpers: a shop with a token, JSON calls with or without it."""

from __future__ import annotations

import pytest

from marketplace.api.tokens import issue_token
from marketplace.extensions import db
from tests.factories import make_product, make_shop


def make_token(shop, name: str = "Caisse") -> str:
    """Issue and commit a token for `shop` (as its owner); return the plain secret."""
    _token, secret = issue_token(shop, shop.owner, name)
    db.session.commit()
    return secret


def bearer(secret: str) -> dict:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def bakery(app):
    """A published bakery with three products on sale (two with a SKU)."""
    shop = make_shop()
    make_product(shop, "Baguette tradition", 130, sku="BAG-1", stock=40)
    make_product(shop, "Croissant", 110, sku="CRO-1", stock=None)
    make_product(shop, "Pain de seigle", 420)
    return shop


@pytest.fixture
def bakery_token(bakery) -> str:
    return make_token(bakery)
