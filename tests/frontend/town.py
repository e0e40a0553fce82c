"""A small town for the front-end tests: a shop with a photo and products, a resident with an order."""

from __future__ import annotations

import io

from marketplace.extensions import db
from shops import services
from tests.factories import image_bytes, make_product, make_product_image
from tests.orders.helpers import make_order


def build_town(app) -> dict:
    """Create one shop (photo, products, hours) with an order of a resident; return what pages need."""
    order = make_order()
    shop = order.shop
    services.set_shop_photo(
        shop,
        io.BytesIO(image_bytes()),
        "La devanture de la fromagerie",
        app.config["UPLOAD_DIR"],
        app.config["MAX_PHOTO_BYTES"],
    )
    db.session.commit()
    product = order.lines[0].product
    make_product_image(product, app.config["UPLOAD_DIR"])
    make_product(shop, "Comté 24 mois", 1250, stock=4)
    return {"shop": shop, "product": product, "order": order, "customer": order.customer}


def product_path(product) -> str:
    """The public page of a product."""
    return f"/shops/{product.shop.slug}/products/{product.id}-{product.slug}"
