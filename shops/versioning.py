"""The shop's version stamp: bumped in the same transaction as any change its public pages show.

The public page cache (marketplace.public.page_cache) keys shop and product pages on
`Shop.version`, read from the database on every request, so a change made by any process is
visible on the next request. Every write to a shop, its hours, closures, products or photos
goes through the ORM, and this flush hook bumps the owning shop's counter with one
`UPDATE shops SET version = version + 1`; the row lock makes concurrent bumps count each change.
(The hook is installed on every Session by register_hooks in marketplace/app.py.)
Stock is the exception: checkouts change it with a conditional UPDATE, so the cache compares
stock itself instead (see page_cache), and a checkout never has to lock the shop row.
"""

from __future__ import annotations

import itertools

from sqlalchemy import inspect, update
from sqlalchemy.orm import Session

from shops.models import Closure, OpeningHours, Product, ProductImage, Shop


def _shop_id_of(session: Session, obj) -> int | None:
    if isinstance(obj, Shop):
        return None if obj in session.new else obj.id
    if isinstance(obj, Product | OpeningHours | Closure):
        shop = obj.shop
        return obj.shop_id or (shop.id if shop is not None else None)
    if isinstance(obj, ProductImage):
        product = obj.product
        if product is None and obj.product_id is not None:
            # A photo removed from its product's list has lost the link, not the key.
            product = session.get(Product, obj.product_id)
        if product is None:
            history = inspect(obj).attrs.product.history
            product = next(iter(history.deleted or ()), None)
        return None if product is None else (product.shop_id or product.shop.id)
    return None


def bump_shop_versions(session: Session, _flush_context, _instances) -> None:
    """Bump the version of every existing shop whose public pages this flush changes."""
    ids = {
        shop_id
        for obj in itertools.chain(session.new, session.dirty, session.deleted)
        if (shop_id := _shop_id_of(session, obj)) is not None
    }
    if not ids:
        return
    session.execute(
        update(Shop)
        .where(Shop.id.in_(sorted(ids)))
        # updated_at keeps its meaning (the shop's own profile changed), so it is set to itself.
        .values(version=Shop.version + 1, updated_at=Shop.updated_at)
        .execution_options(synchronize_session=False)
    )
