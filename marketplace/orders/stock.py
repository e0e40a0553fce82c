"""Stock reservation: one conditional UPDATE per line, released exactly once."""

from __future__ import annotations

from sqlalchemy import case, update

from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.rows_changed import rows_changed
from shops.indexing import STOCK_FLIPS_NOTED, note_stock_flips
from shops.models import Product

# Stock UPDATEs report the products they take out of stock or put back (shops/indexing.py).
COUNTED = {"synchronize_session": False, STOCK_FLIPS_NOTED: True}


class OutOfStock(Exception):
    """Not enough units left of a product (or it is no longer on sale)."""

    def __init__(self, product_id: int, name: str = "") -> None:
        super().__init__(product_id)
        self.product_id = product_id
        self.name = name


def reserve_stock(product_id: int, quantity: int) -> None:
    """Take `quantity` units, or raise OutOfStock; never lets stock go below zero.

    The condition and the decrement are one statement, so concurrent checkouts cannot
    both take the last units. Unlimited stock (NULL) stays NULL.
    """
    taken = db.session.execute(
        update(Product)
        .where(
            Product.id == product_id,
            Product.is_active.is_(True),
            Product.hidden_reason.is_(None),
            (Product.stock.is_(None)) | (Product.stock >= quantity),
        )
        .values(stock=case((Product.stock.is_(None), None), else_=Product.stock - quantity))
        .returning(Product.stock)
        .execution_options(**COUNTED)
    ).first()
    if taken is None:
        raise OutOfStock(product_id)
    if taken.stock == 0:  # this checkout took the last units: search shows it out of stock
        note_stock_flips(db.session, [product_id])


def release_stock(order: Order) -> bool:
    """Put the order's units back, once; return False if they were already put back."""
    claimed = rows_changed(
        update(Order)
        .where(Order.id == order.id, Order.stock_released.is_(False))
        .values(stock_released=True)
    )
    if claimed != 1:
        return False
    order.stock_released = True
    for line in order.lines:
        if line.product_id is None:
            continue
        back = db.session.execute(
            update(Product)
            .where(Product.id == line.product_id, Product.stock.is_not(None))
            .values(stock=Product.stock + line.quantity)
            .returning(Product.stock)
            .execution_options(**COUNTED)
        ).first()
        # The row is locked by this UPDATE: what it returns less what it added was there before.
        if back is not None and back.stock == line.quantity:  # back in stock from none
            note_stock_flips(db.session, [line.product_id])
    return True
