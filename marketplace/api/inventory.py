"""Stock and prices of many SKUs in one go: every item applies, or none does."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.extensions import db
from shops import catalogue
from shops.models import Product, Shop


@dataclass
class InventoryRejected(Exception):
    """Some items cannot apply; `errors` lists each with its index, SKU and messages."""

    errors: list[dict] = field(default_factory=list)


def apply_inventory(shop: Shop, items: list[dict]) -> list[Product]:
    """Set the stock and/or price of each SKU of `shop`; raise InventoryRejected, changing nothing."""
    skus = [item["sku"] for item in items]
    products = {
        p.sku: p
        for p in db.session.scalars(
            select(Product).where(Product.shop_id == shop.id, Product.sku.in_(set(skus)))
        )
    }
    errors, seen = [], set()
    for index, sku in enumerate(skus):
        if sku in seen:
            errors.append(
                {
                    "index": index,
                    "sku": sku,
                    "errors": {"sku": [_("This SKU is twice in the list.")]},
                }
            )
        elif sku not in products:
            errors.append(
                {
                    "index": index,
                    "sku": sku,
                    "errors": {"sku": [_("No product of this shop has this SKU.")]},
                }
            )
        seen.add(sku)
    if errors:
        raise InventoryRejected(errors)
    changed = []
    for item in items:
        product = products[item["sku"]]
        values = {k: item[k] for k in ("stock",) if k in item}
        if "price" in item:
            values["price_cents"] = item["price"]
        catalogue.update_product(product, values)
        changed.append(product)
    db.session.flush()
    return changed
