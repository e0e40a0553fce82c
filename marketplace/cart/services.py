"""The cart: what is in it, grouped by shop and checked against what is still on sale."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from marketplace.cart.models import CartItem
from marketplace.extensions import db
from shops.models import Product, Shop

MAX_QUANTITY = 99

# Why a cart line cannot be bought as it is.
OK = "ok"
UNAVAILABLE = "unavailable"  # deactivated, hidden, shop no longer published, or deleted
OUT_OF_STOCK = "out_of_stock"  # no unit left
NOT_ENOUGH = "not_enough"  # fewer units left than asked


class InvalidQuantity(ValueError):
    """A quantity that is not a whole number from 1 to MAX_QUANTITY."""


class NotOnSale(LookupError):
    """The product does not exist, is deactivated or hidden, or its shop is not published."""

    def __init__(self, product_id: int) -> None:
        super().__init__(product_id)
        self.product_id = product_id


class NotEnoughStock(Exception):
    """The cart would hold more units of `product` than are left."""

    def __init__(self, product: Product) -> None:
        super().__init__(product.id)
        self.product = product
        self.left = product.stock or 0


def parse_quantity(value: object, allow_zero: bool = False) -> int:
    """Return a quantity typed in a form; raise InvalidQuantity for 'abc', -1, 10**9..."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 3:  # int('²') would raise
        raise InvalidQuantity(text)
    quantity = int(text)
    if quantity > MAX_QUANTITY or (quantity == 0 and not allow_zero):
        raise InvalidQuantity(text)
    return quantity


@dataclass
class CartLine:
    """A product in the cart with the quantity asked and whether it can be bought."""

    product: Product | None
    product_id: int
    quantity: int
    state: str

    @property
    def total_cents(self) -> int:
        return self.product.price_cents * self.quantity if self.product else 0


@dataclass
class ShopGroup:
    """The cart lines of one shop, with their subtotal."""

    shop: Shop
    lines: list[CartLine] = field(default_factory=list)

    @property
    def subtotal_cents(self) -> int:
        return sum(line.total_cents for line in self.lines if line.state == OK)


@dataclass
class CartSummary:
    """The whole cart, by shop; `problems` lists lines that cannot be bought as they are."""

    groups: list[ShopGroup]
    missing: list[CartLine]

    @property
    def total_cents(self) -> int:
        return sum(g.subtotal_cents for g in self.groups)

    @property
    def problems(self) -> list[CartLine]:
        lines = [line for g in self.groups for line in g.lines if line.state != OK]
        return lines + self.missing

    @property
    def count(self) -> int:
        return sum(line.quantity for g in self.groups for line in g.lines)

    @property
    def is_empty(self) -> bool:
        return not self.groups and not self.missing


def line_state(product: Product | None, quantity: int) -> str:
    """Say whether `quantity` units of `product` can be bought now."""
    if product is None or not product.is_public:
        return UNAVAILABLE
    if product.stock is None or product.stock >= quantity:
        return OK
    return OUT_OF_STOCK if product.stock == 0 else NOT_ENOUGH


def summarize(items: dict[int, int]) -> CartSummary:
    """Load the products of `items` ({product_id: quantity}) and group them by shop."""
    products = {
        p.id: p
        for p in db.session.scalars(
            select(Product).where(Product.id.in_(items)).options(selectinload(Product.shop))
        )
    } if items else {}  # fmt: skip
    groups: dict[int, ShopGroup] = {}
    missing = []
    for product_id, quantity in items.items():
        product = products.get(product_id)
        line = CartLine(product, product_id, quantity, line_state(product, quantity))
        if product is None:
            missing.append(line)
            continue
        groups.setdefault(product.shop_id, ShopGroup(product.shop)).lines.append(line)
    ordered = sorted(groups.values(), key=lambda g: g.shop.name.lower())
    return CartSummary(ordered, missing)


def stored_items(user_id: int) -> dict[int, int]:
    """Return a logged-in resident's stored cart as {product_id: quantity}."""
    rows = db.session.execute(
        select(CartItem.product_id, CartItem.quantity).where(CartItem.user_id == user_id)
    )
    return dict(rows.all())


def save_items(user_id: int, items: dict[int, int]) -> None:
    """Replace the stored cart of `user_id` with `items`."""
    db.session.execute(delete(CartItem).where(CartItem.user_id == user_id))
    existing = (
        set(db.session.scalars(select(Product.id).where(Product.id.in_(items)))) if items else set()
    )
    for product_id, quantity in items.items():
        if product_id in existing and quantity > 0:
            db.session.add(CartItem(user_id=user_id, product_id=product_id, quantity=quantity))
    db.session.flush()


def merge_items(stored: dict[int, int], visitor: dict[int, int]) -> dict[int, int]:
    """Merge a visitor's session cart into the stored one (quantities add up, capped)."""
    merged = dict(stored)
    for product_id, quantity in visitor.items():
        merged[product_id] = _after_adding(merged, product_id, quantity)
    return merged


def _after_adding(items: dict[int, int], product_id: int, quantity: int) -> int:
    # One cap for every way units enter a cart: a line never holds more than MAX_QUANTITY.
    return min(items.get(product_id, 0) + quantity, MAX_QUANTITY)


def put_back(items: dict[int, int], lines: Iterable[tuple[Product | None, int]]) -> int:
    """Add (product, quantity) lines to the cart `items`, capped; return how many are no longer sold.

    Used for "add to cart", "order again" and "cancel the payment": a product that is deleted,
    deactivated, hidden or in a shop no longer published is left out instead.
    """
    left_out = 0
    for product, quantity in lines:
        if product is None or not product.is_public:
            left_out += 1
            continue
        items[product.id] = _after_adding(items, product.id, quantity)
    return left_out


def add_to_cart(items: dict[int, int], product_id: int, quantity: int) -> Product:
    """Add `quantity` units of a product to the cart `items`; raise NotOnSale or NotEnoughStock.

    On error `items` is left as it was.
    """
    product = db.session.get(Product, product_id)
    if product is None or not product.is_public:
        raise NotOnSale(product_id)
    if product.stock is not None and _after_adding(items, product_id, quantity) > product.stock:
        raise NotEnoughStock(product)
    put_back(items, [(product, quantity)])
    return product
