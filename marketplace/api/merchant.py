"""Merchant operations, with a shop's API token: its catalogue, stock, prices and orders."""

from __future__ import annotations

from flask import current_app, g, jsonify, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.api import schemas
from marketplace.api.auth import token_required
from marketplace.api.errors import ApiError
from marketplace.api.idempotency import idempotent
from marketplace.api.inventory import InventoryRejected, apply_inventory
from marketplace.api.models import CATALOGUE_READ, CATALOGUE_WRITE, ORDERS_MANAGE, ORDERS_READ
from marketplace.api.parsing import parse_body, parse_query, query
from marketplace.api.present import order_detail, product_detail, shop_detail
from marketplace.api.responses import json_page, paginate, require_current, single
from marketplace.api.v1 import bp
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders import emails, operations
from marketplace.orders.models import Order, OrderLine
from marketplace.orders.signals import order_cancelled, order_collected
from marketplace.orders.status import CANCELLED, COLLECTED, READY, InvalidTransition
from shops import catalogue
from shops.models import Product


def _own_product(product_id: int) -> Product:
    product = db.session.get(Product, product_id) if product_id <= schemas.MAX_ID else None
    if product is None or product.shop_id != g.api_shop.id:
        raise ApiError(404, _("This shop has no product with this number."))
    return product


def _own_order(order_id: int) -> Order:
    order = db.session.get(Order, order_id) if order_id <= schemas.MAX_ID else None
    if order is None or order.shop_id != g.api_shop.id:
        raise ApiError(404, _("This shop has no order with this number."))
    return order


def _product_body(product: Product) -> dict:
    return schemas.MerchantProductOut().dump(product_detail(product))


def _product_json(product: Product, status: int = 200):
    location = url_for("api.get_my_product", product_id=product.id) if status == 201 else None
    return single(_product_body(product), status, location)


def _order_body(order: Order) -> dict:
    return schemas.OrderOut().dump(order_detail(order))


def _duplicate_sku(sku: str) -> ApiError:
    return ApiError(
        409, _("Another product already uses this SKU."), {"sku": [sku]}, code="sku-taken"
    )


@bp.get("/merchant/shop")
@query(schemas.NoArgs)
@token_required()
def get_my_shop():
    """The shop this token acts for, whatever its status."""
    parse_query()
    body = schemas.MerchantShopOut().dump(shop_detail(g.api_shop, utcnow()))
    db.session.commit()  # last_used_at
    return single(body)


@bp.get("/merchant/products")
@query(schemas.MerchantProductArgs)
@token_required(CATALOGUE_READ)
def list_my_products():
    """All the shop's products, on sale or not, by name."""
    args = parse_query()
    statement = (
        select(Product)
        .where(Product.shop_id == g.api_shop.id)
        .options(selectinload(Product.images))
        .order_by(Product.name, Product.id)
    )
    if "sku" in args:
        statement = statement.where(Product.sku == args["sku"])
    if "active" in args:
        statement = statement.where(Product.is_active.is_(args["active"]))
    products, meta = paginate(statement, args)
    response = json_page(schemas.MerchantProductOut, [product_detail(p) for p in products], meta)
    db.session.commit()
    return response


@bp.post("/merchant/products")
@query(schemas.NoArgs)
@token_required(CATALOGUE_WRITE)
@idempotent
def create_my_product():
    """Add a product, with the same rules as the product form and the CSV import."""
    parse_query()
    values = catalogue.to_product_values(parse_body(schemas.ProductBody()))
    try:
        product = catalogue.create_product(g.api_shop, values)
    except catalogue.DuplicateSku as error:
        db.session.rollback()
        raise _duplicate_sku(str(error)) from error
    db.session.commit()
    return _product_json(product, 201)


@bp.get("/merchant/products/<int:product_id>")
@query(schemas.NoArgs)
@token_required(CATALOGUE_READ)
def get_my_product(product_id: int):
    """One of the shop's products, on sale or not."""
    parse_query()
    product = _own_product(product_id)
    response = _product_json(product)
    db.session.commit()
    return response


@bp.patch("/merchant/products/<int:product_id>")
@query(schemas.NoArgs)
@token_required(CATALOGUE_WRITE)
def update_my_product(product_id: int):
    """Change some fields of a product (the others stay)."""
    parse_query()
    product = _own_product(product_id)
    # A body that breaks the contract is a 400 whatever If-Match says (then a stale one is a 412).
    values = catalogue.to_product_values(parse_body(schemas.ProductBody(), partial=True))
    require_current(_product_body(product))
    try:
        catalogue.update_product(product, values)
    except catalogue.DuplicateSku as error:
        db.session.rollback()
        raise _duplicate_sku(str(error)) from error
    db.session.commit()
    return _product_json(product)


@bp.delete("/merchant/products/<int:product_id>")
@query(schemas.NoArgs)
@token_required(CATALOGUE_WRITE)
def archive_my_product(product_id: int):
    """Archive a product: gone from the public and search, kept for the shop with its orders."""
    parse_query()
    product = _own_product(product_id)
    require_current(_product_body(product))
    catalogue.update_product(product, {"is_active": False})  # as the product form's "on sale" box
    db.session.commit()
    return _product_json(product)


@bp.post("/merchant/inventory")
@query(schemas.NoArgs)
@token_required(CATALOGUE_WRITE)
@idempotent
def update_my_inventory():
    """Set stock and/or price of many SKUs: all apply, or none and each bad item is named."""
    parse_query()
    items = parse_body(schemas.InventoryBody())["items"]
    try:
        products = apply_inventory(g.api_shop, items)
    except InventoryRejected as error:
        db.session.rollback()
        raise ApiError(
            422,
            _("Nothing was changed: some items cannot apply."),
            {"items": error.errors},
            code="inventory-rejected",
        ) from error
    db.session.commit()
    body = {"updated": len(products), "items": [product_detail(p) for p in products]}
    return jsonify(schemas.InventoryOut().dump(body))


def _orders_query():
    return (
        select(Order)
        .where(Order.shop_id == g.api_shop.id)
        .options(
            selectinload(Order.lines).selectinload(OrderLine.product),
            selectinload(Order.events),
            selectinload(Order.checkout),
        )
    )


@bp.get("/merchant/orders")
@query(schemas.OrderArgs)
@token_required(ORDERS_READ)
def list_my_orders():
    """The shop's orders, newest first, optionally of one status."""
    args = parse_query()
    statement = _orders_query().order_by(Order.created_at.desc(), Order.id.desc())
    if "status" in args:
        statement = statement.where(Order.status == args["status"])
    orders, meta = paginate(statement, args)
    response = json_page(schemas.OrderOut, [order_detail(o) for o in orders], meta)
    db.session.commit()
    return response


@bp.get("/merchant/orders/<int:order_id>")
@query(schemas.NoArgs)
@token_required(ORDERS_READ)
def get_my_order(order_id: int):
    """One of the shop's orders with its lines and history."""
    parse_query()
    order = _own_order(order_id)
    body = _order_body(order)
    db.session.commit()
    return single(body)


def _change_status(order: Order, body: dict, actor_id: int) -> None:
    target = body["status"]
    if target == READY:
        operations.mark_ready(order, actor_id)
    elif target == COLLECTED:
        if not body.get("pickup_code"):
            raise ApiError(
                422,
                _("Give the customer's pickup code."),
                {"pickup_code": [_("Required to hand the order over.")]},
                code="pickup-code-required",
            )
        operations.confirm_collection(order, body["pickup_code"], actor_id)
    else:
        operations.cancel_by_shop(order, actor_id, body.get("reason") or "")


@bp.post("/merchant/orders/<int:order_id>/status")
@query(schemas.NoArgs)
@token_required(ORDERS_MANAGE)
@idempotent
def change_my_order_status(order_id: int):
    """Prepare, hand over or cancel an order, within the order board's rules."""
    parse_query()
    order = _own_order(order_id)
    body = parse_body(schemas.OrderStatusBody())  # a 400 first, as for PATCH
    require_current(_order_body(order))
    try:
        _change_status(order, body, g.api_token.user_id)
    except InvalidTransition as error:
        db.session.rollback()
        details = {"status": [error.current], "target": [error.target]}
        raise ApiError(
            409, _("This order cannot move to this status now."), details, code="status-conflict"
        ) from error
    except operations.WrongPickupCode as error:
        db.session.rollback()
        raise ApiError(
            422,
            _("This code is not the order's code."),
            {"pickup_code": [_("Wrong code.")]},
            code="wrong-pickup-code",
        ) from error
    except operations.ReasonRequired as error:
        db.session.rollback()
        raise ApiError(
            422,
            _("Say why you cancel: the customer will read it."),
            {"reason": [_("Required to cancel.")]},
            code="reason-required",
        ) from error
    db.session.commit()
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a proxy typed as Flask
    if order.status == READY:
        emails.send_order_ready(order)
    elif order.status == COLLECTED:
        order_collected.send(app, order=order)
    elif order.status == CANCELLED:
        order_cancelled.send(app, order=order)
        emails.send_order_cancelled(order, body.get("reason"), by_shop=True)
    return single(_order_body(order))
