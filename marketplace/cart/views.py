"""Cart pages: see the cart by shop, add, change quantities, remove."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from marketplace.cart import services, storage
from marketplace.errors import error_response, wants_json
from marketplace.extensions import db
from marketplace.i18n import safe_next

bp = Blueprint("cart", __name__, url_prefix="/cart")


def _product_id() -> int:
    value = request.form.get("product_id", "")
    if not (value.isascii() and value.isdigit()) or len(value) > 12:  # int('²') would raise
        abort(400)
    return int(value)


def _quantity(allow_zero: bool = False) -> int | None:
    try:
        return services.parse_quantity(request.form.get("quantity", "1"), allow_zero)
    except services.InvalidQuantity:
        flash(_("Choose a quantity from 1 to %(max)s.", max=services.MAX_QUANTITY), "error")
        return None


@bp.get("/")
def show():
    """Show the cart grouped by shop, with anything that can no longer be bought."""
    summary = services.summarize(storage.load_items())
    return render_template("cart/cart.html", summary=summary, states=state_labels())


@bp.post("/add")
def add():
    """Add a product to the cart; back to `next` (the product's place on the page), or JSON for
    static/js/add-to-cart.js, which posts the same form without leaving the page."""
    product_id = _product_id()
    back = safe_next(request.form.get("next"), url_for("cart.show"))
    try:
        quantity = services.parse_quantity(request.form.get("quantity", "1"))
    except services.InvalidQuantity:
        return _refused(
            400, _("Choose a quantity from 1 to %(max)s.", max=services.MAX_QUANTITY), back
        )
    items = storage.load_items()
    try:
        product = services.add_to_cart(items, product_id, quantity)
    except services.NotOnSale:
        abort(404)
    except services.NotEnoughStock as error:
        message = _("Only %(n)s left of %(name)s.", n=error.left, name=error.product.name)
        return _refused(409, message, back)
    storage.save_items(items)
    db.session.commit()
    message = _("%(name)s is in your cart.", name=product.name)
    if wants_json():
        return jsonify({"message": message, "count": sum(items.values())})
    flash(message, "success")
    return redirect(back, 303)


def _refused(code: int, message: str, back: str):
    """Nothing added: a JSON error for the script, else the message shown back on the page."""
    if wants_json():
        return error_response(code, message)
    flash(message, "error")
    return redirect(back, 303)


@bp.post("/update")
def update():
    """Change the quantity of a line (0 removes it)."""
    product_id = _product_id()
    quantity = _quantity(allow_zero=True)
    if quantity is not None:
        items = storage.load_items()
        if product_id in items:
            if quantity == 0:
                items.pop(product_id)
            else:
                items[product_id] = quantity
            storage.save_items(items)
            db.session.commit()
    return redirect(url_for("cart.show"), 303)


@bp.post("/remove")
def remove():
    """Remove a line from the cart."""
    product_id = _product_id()
    items = storage.load_items()
    if items.pop(product_id, None) is not None:
        storage.save_items(items)
        db.session.commit()
    return redirect(url_for("cart.show"), 303)


def state_labels() -> dict[str, str]:
    """The message shown beside a cart line that cannot be bought as it is."""
    return {
        services.UNAVAILABLE: _("No longer available"),
        services.OUT_OF_STOCK: _("Out of stock"),
        services.NOT_ENOUGH: _("Not enough left: lower the quantity"),
    }


def merge_cart_at_login(sender, user, **extra) -> None:
    """On flask-login's user_logged_in: the visitor's cart joins the resident's stored cart."""
    # The one place a cart changes hands (connected by register_hooks in marketplace/app.py).
    storage.merge_visitor_cart(user)
    db.session.commit()
