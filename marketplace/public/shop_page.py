"""The products of a shop page: grouped by product type under headings, or found by the page's
own search box. A few queries per page whatever the number of products (types counted in SQL,
products grouped in Python)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func
from sqlalchemy.orm import selectinload

from marketplace.extensions import db
from search.service import search_in_shop
from shops.catalogue import public_products_query
from shops.models import Product
from shops.product_types import get_type, taxonomy

OTHER = "autres"  # the group of products without a (known) type
_TYPE_ORDER = {slug: i for i, slug in enumerate(taxonomy().types)}  # families, then types


@dataclass
class TypeGroup:
    """A product type of the shop: its heading, how many products it has, and those shown."""

    slug: str | None  # None: products without a type
    count: int
    first_page: int  # the page its heading starts on
    products: list[Product] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The id of its heading."""
        return f"t-{self.slug or OTHER}"

    def label(self, locale: str) -> str:
        """The type's label in `locale` (None: the template says "Other products")."""
        found = get_type(self.slug)
        return found.label(locale) if found else ""


def type_groups(shop_id: int, per_page: int) -> list[TypeGroup]:
    """Every type the shop's visible products have, in taxonomy order (untyped last), counted."""
    counts: dict[str | None, int] = {}
    rows = db.session.execute(
        public_products_query()
        .with_only_columns(Product.product_type, func.count())
        .where(Product.shop_id == shop_id)
        .group_by(Product.product_type)
    )
    for slug, n in rows:
        key = slug if slug in _TYPE_ORDER else None  # an unknown slug counts as untyped
        counts[key] = counts.get(key, 0) + n
    groups, seen = [], 0
    for slug in sorted(counts, key=lambda s: _TYPE_ORDER.get(s or "", len(_TYPE_ORDER))):
        groups.append(TypeGroup(slug, counts[slug], seen // per_page + 1))
        seen += counts[slug]
    return groups


def products_by_type(shop_id: int, page: int, per_page: int) -> tuple[list[TypeGroup], int]:
    """The page's products in their type groups (groups without any on this page left out), and
    the shop's number of visible products."""
    groups = type_groups(shop_id, per_page)
    order = {g.slug: i for i, g in enumerate(groups) if g.slug}
    rank = case(order, value=Product.product_type, else_=len(order)) if order else None
    products = db.session.scalars(
        public_products_query()
        .where(Product.shop_id == shop_id)
        .options(selectinload(Product.images))
        .order_by(*([rank] if rank is not None else []), Product.name, Product.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    by_slug = {g.slug: g for g in groups}
    for product in products:
        key = product.product_type if product.product_type in order else None
        by_slug[key].products.append(product)
    return groups, sum(g.count for g in groups)


def found_in_shop(shop_slug: str, q: str, page: int, per_page: int) -> tuple[list[Product], int]:
    """The shop's products matching `q`, best first, and how many match (through search/)."""
    results = search_in_shop(shop_slug, q, page, per_page)
    ids = [hit.id for hit in results.hits if hit.type == "product"]
    found = {
        p.id: p
        for p in db.session.scalars(
            public_products_query().where(Product.id.in_(ids)).options(selectinload(Product.images))
        )
    }
    # The index may lag a change by a moment: what the database no longer shows is left out.
    return [found[i] for i in ids if i in found], results.total
