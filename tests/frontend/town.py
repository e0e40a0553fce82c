"""A small town for the front-end tests: a shop with a photo and products, a resident with an order."""

from __future__ import annotations

from tests.factories import make_product, make_product_image, make_shop_photo
from tests.orders.helpers import make_order


def build_town(app) -> dict:
    """Create one shop (photo, products, hours) with an order of a resident; return what pages need."""
    order = make_order()
    shop = order.shop
    make_shop_photo(shop, app.config["UPLOAD_DIR"], "La devanture de la fromagerie")
    product = order.lines[0].product
    make_product_image(product, app.config["UPLOAD_DIR"])
    make_product(shop, "Comté 24 mois", 1250, stock=4)
    return {"shop": shop, "product": product, "order": order, "customer": order.customer}


def product_path(product) -> str:
    """The public page of a product."""
    return f"/shops/{product.shop.slug}/products/{product.id}-{product.slug}"
