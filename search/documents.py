"""Read what the public may see from the database, as index documents."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from search.schema import product_document, shop_document
from shops.catalogue import public_products_query, public_shops_query
from shops.models import PUBLISHED, Product, ProductImage, Shop


def _shop_options():
    return (selectinload(Shop.hours), selectinload(Shop.closures))


def load_shop(session: Session, shop_id: int) -> Shop | None:
    """The shop with its hours and closures if it is published, else None."""
    shop = session.scalar(select(Shop).where(Shop.id == shop_id).options(*_shop_options()))
    return shop if shop is not None and shop.status == PUBLISHED else None


def types_sold(session: Session, shop_id: int | None = None) -> dict[int, tuple[str, ...]]:
    """Shop id -> the product types of its visible products (one shop, or every shop)."""
    query = (
        public_products_query()
        .with_only_columns(Product.shop_id, Product.product_type)
        .where(Product.product_type.is_not(None))
        .distinct()
        .order_by(Product.shop_id, Product.product_type)
    )
    if shop_id is not None:
        query = query.where(Product.shop_id == shop_id)
    found: dict[int, list[str]] = {}
    for sid, slug in session.execute(query):
        if slug:
            found.setdefault(sid, []).append(slug)
    return {sid: tuple(slugs) for sid, slugs in found.items()}


def shop_documents(session: Session, shop: Shop) -> Iterator[dict]:
    """The shop's document (with the types it sells) followed by those of its visible products.

    A product's type change re-indexes the product only: the shop's list of types catches up at
    the shop's next change or rebuild (a shop's range of types rarely changes)."""
    products = list(
        session.scalars(
            public_products_query()
            .where(Product.shop_id == shop.id)
            .options(selectinload(Product.images))
        )
    )
    yield shop_document(shop, tuple(sorted({p.product_type for p in products if p.product_type})))
    for product in products:
        yield product_document(product, shop, first_image(product))


def first_image(product: Product) -> str | None:
    """The path of the product's first photo, if any."""
    return product.images[0].path if product.images else None


def load_public_products(
    session: Session, product_ids: list[int], chunk: int = 500
) -> dict[int, Product]:
    """The products of `product_ids` the public may see, by id (a few queries per 500 ids)."""
    found: dict[int, Product] = {}
    for start in range(0, len(product_ids), chunk):
        found.update(
            (product.id, product)
            for product in session.scalars(
                public_products_query()
                .where(Product.id.in_(product_ids[start : start + chunk]))
                .options(selectinload(Product.images), selectinload(Product.shop))
            )
        )
    return found


# Plain rows, not ORM objects, for a full rebuild: five times faster to read 100,000 products.
PRODUCT_COLUMNS = (
    Product.id,
    Product.shop_id,
    Product.slug,
    Product.name,
    Product.description,
    Product.price_cents,
    Product.stock,
    Product.category,
    Product.product_type,
    Product.sku,
    Product.created_at,
)


def all_documents(session: Session, batch: int = 5000) -> Iterator[dict]:
    """Every document the index should hold: published shops, then their visible products."""
    shops = {s.id: s for s in session.scalars(public_shops_query().options(*_shop_options())).all()}
    sold = types_sold(session)
    for shop in shops.values():
        yield shop_document(shop, sold.get(shop.id, ()))
    images = dict(
        session.execute(
            select(ProductImage.product_id, ProductImage.path).order_by(
                ProductImage.product_id, ProductImage.position.desc(), ProductImage.id.desc()
            )
        ).all()
    )  # the last path kept per product is its first photo
    query = (
        public_products_query()
        .with_only_columns(*PRODUCT_COLUMNS)
        .order_by(Product.id)
        .execution_options(yield_per=batch)
    )
    for row in session.execute(query):
        yield product_document(row, shops[row.shop_id], images.get(row.id))


def count_documents(session: Session) -> int:
    """How many documents `all_documents` yields."""
    shops = session.scalar(select(func.count()).select_from(public_shops_query().subquery()))
    products = session.scalar(select(func.count()).select_from(public_products_query().subquery()))
    return (shops or 0) + (products or 0)
