"""Low-stock alerts: once per crossing of a product's threshold, an email and a signal.

Stock changes in many places (a checkout's conditional UPDATE, a cancellation putting units
back, the product form, a CSV import, the API), so no caller has to remember the alert: a
listener notes every product whose stock or threshold changed in the transaction, and just
before the commit one compare-and-set UPDATE marks those that fell to their threshold and were
not marked yet (concurrent sales cannot both alert), and another clears the mark of those back
above it. The marked ones are announced with `product_low_stock` (inside the transaction, so
webhooks write their deliveries in it) and emailed by a job after the commit.
"""

from __future__ import annotations

import logging

from blinker import Namespace
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, not_, select, update
from sqlalchemy.orm import Session

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.jobs import job
from marketplace.mail import send_email
from marketplace.urls import external_url
from shops.models import Product, Shop
from shops.statements import product_ids_in

log = logging.getLogger(__name__)

_signals = Namespace()
# Sent with product_ids=[...] inside the transaction that brought them to their threshold.
product_low_stock = _signals.signal("product-low-stock")

_TOUCHED = "vitrine.stock_touched"  # in Session.info: ids of products whose stock changed
_ALERTED = "vitrine.stock_alerted"  # ids to email once the transaction commits
_OWN = "vitrine_stock_check"  # execution option of this module's own UPDATEs
WATCHED = ("stock", "low_stock_threshold")


def low_stock_condition():
    """The SQL condition of a product at or below its low-stock threshold."""
    return and_(
        Product.low_stock_threshold.is_not(None),
        Product.stock.is_not(None),
        Product.stock <= Product.low_stock_threshold,
    )


def low_stock_count(shop: Shop) -> int:
    """How many of the shop's products are at or below their low-stock threshold."""
    query = select(func.count()).select_from(Product)
    return db.session.execute(
        query.where(Product.shop_id == shop.id, low_stock_condition())
    ).scalar_one()


def check_stock_levels(session: Session, product_ids: set[int]) -> list[int]:
    """Mark the products that crossed their threshold, unmark the restocked; return the new ones.

    A read first, so that the usual case (no threshold, nothing changes) writes nothing; then
    compare-and-set UPDATEs, so that two transactions cannot both mark the same crossing.
    """
    ids = sorted(product_ids)
    to_mark, to_clear = [], []
    for chunk in _chunks(ids):
        for row in session.execute(
            select(
                Product.id, Product.stock, Product.low_stock_threshold, Product.low_stock_alerted_at
            ).where(
                Product.id.in_(chunk),
                Product.low_stock_threshold.is_not(None)
                | Product.low_stock_alerted_at.is_not(None),
            )
        ):
            low = row.stock is not None and row.low_stock_threshold is not None
            low = low and row.stock <= row.low_stock_threshold
            if low and row.low_stock_alerted_at is None:
                to_mark.append(row.id)
            elif not low and row.low_stock_alerted_at is not None:
                to_clear.append(row.id)
    options = {"synchronize_session": False, _OWN: True}
    crossed: list[int] = []
    for chunk in _chunks(to_mark):
        crossed += session.scalars(
            update(Product)
            .where(
                Product.id.in_(chunk), low_stock_condition(), Product.low_stock_alerted_at.is_(None)
            )
            .values(low_stock_alerted_at=utcnow())
            .returning(Product.id)
            .execution_options(**options)
        )
    for chunk in _chunks(to_clear):
        session.execute(
            update(Product)
            .where(Product.id.in_(chunk), not_(low_stock_condition()))
            .values(low_stock_alerted_at=None)
            .execution_options(**options)
        )
    return crossed


def _chunks(ids: list[int], size: int = 500):
    # A catalogue import touches thousands of products: SQLite takes a limited number of
    # parameters per statement.
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def note_changed_products(session: Session, flush_context) -> None:
    """after_flush: remember the products whose stock or threshold the unit of work changed."""
    touched = session.info.setdefault(_TOUCHED, set())
    for obj in session.new | session.dirty:
        if not isinstance(obj, Product) or obj.id is None:
            continue
        if obj in session.new or any(_changed(obj, name) for name in WATCHED):
            touched.add(obj.id)


def _changed(product: Product, name: str) -> bool:
    from sqlalchemy import inspect

    return inspect(product).attrs[name].history.has_changes()


def note_bulk_update(state) -> None:
    """do_orm_execute: a conditional UPDATE of products (a sale, a release) names them by id."""
    if not state.is_update or state.execution_options.get(_OWN):
        return
    mapper = state.bind_mapper
    if mapper is None or mapper.class_ is not Product or state.statement.whereclause is None:
        return
    ids = product_ids_in(state.statement.whereclause)
    if ids:
        state.session.info.setdefault(_TOUCHED, set()).update(ids)


def check_before_commit(session: Session) -> None:
    """before_commit: alert the products of this transaction that fell to their threshold."""
    # A change not flushed yet (an attribute set, no query since) is noted only by the commit's
    # own flush, after this listener: look at the pending products too, or its crossing is lost.
    pending = any(isinstance(obj, Product) for obj in session.new | session.dirty)
    if not session.info.get(_TOUCHED) and not pending:
        return
    session.flush()  # the last changes are noted (after_flush) and visible to the UPDATEs
    touched = session.info.pop(_TOUCHED, set())
    if not touched or not has_app_context():
        return
    crossed = check_stock_levels(session, touched)
    if not crossed:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy typed as Flask
    product_low_stock.send(app, session=session, product_ids=crossed)
    by_shop = session.info.setdefault(_ALERTED, {})
    for shop_id, product_id in session.execute(
        select(Product.shop_id, Product.id).where(Product.id.in_(crossed)).order_by(Product.id)
    ):
        by_shop.setdefault(shop_id, []).append(product_id)


def email_after_commit(session: Session) -> None:
    """after_commit: queue one email per shop for its products that crossed their threshold."""
    session.info.pop(_TOUCHED, None)
    for shop_id, product_ids in session.info.pop(_ALERTED, {}).items():
        try:
            email_low_stock.delay(shop_id, product_ids)
        except Exception:  # the queue is down: the badge still shows them; never fail the commit
            log.exception("low-stock email of shop %s not queued", shop_id)


def forget_after_rollback(session: Session) -> None:
    """after_rollback: nothing of the rolled-back transaction is alerted."""
    session.info.pop(_TOUCHED, None)
    session.info.pop(_ALERTED, None)


@job()
def email_low_stock(shop_id: int, product_ids: list[int]) -> None:
    """Tell the shop which products fell low on stock, in its owner's language (not the restocked)."""
    shop = db.session.get(Shop, shop_id)
    products = list(
        db.session.scalars(
            select(Product)
            .where(
                Product.id.in_(product_ids),
                Product.shop_id == shop_id,
                Product.low_stock_alerted_at.is_not(None),
            )
            .order_by(Product.name)
        )
    )
    if shop is None or not products:
        return
    owner = shop.owner
    if len(products) == 1:
        subject = _l("Low stock: %(product)s", product=products[0].name)
        link = external_url("catalogue.edit", slug=shop.slug, product_id=products[0].id)
    else:
        subject = _l("Low stock: %(num)s products", num=len(products))
        link = external_url("catalogue.index", slug=shop.slug, low=1)
    send_email(
        shop.email or owner.email,
        subject,
        "low_stock",
        locale=owner.locale,
        products=products,
        shop=shop,
        link=link,
    )
