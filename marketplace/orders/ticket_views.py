"""Preparation tickets on the board: one order or one pickup slot, printed (A4, 80 mm) or as a PDF."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import SHOPKEEPER
from marketplace.orders.board_views import day_of, get_shop_order
from marketplace.orders.models import Order
from marketplace.orders.tickets import orders_of_slot, paper_size, parse_slot, tickets_pdf
from shops.access import closed_to_agent_mode, get_owned_shop
from shops.models import Shop

bp = closed_to_agent_mode(
    Blueprint("tickets", __name__, url_prefix="/merchant/shops/<slug>/orders")
)


@bp.before_request
@roles_required(SHOPKEEPER)
def require_shopkeeper():
    """Tickets are for shopkeepers (and admins)."""


def _page(shop: Shop, orders: list[Order], pdf_url: str):
    size = paper_size(request.args.get("size"))
    other = "80mm" if size == "a4" else "a4"
    args = {**(request.view_args or {}), "slot": request.args.get("slot", "")[:25] or None}
    return render_template(
        "orders/board/tickets.html",
        shop=shop,
        orders=orders,
        size=size,
        pdf_url=pdf_url,
        other_size=other,
        other_size_url=url_for(request.endpoint or ".order", **args, size=other),
    )


def _pdf(shop: Shop, orders: list[Order], name: str) -> Response:
    body = tickets_pdf(shop, orders, paper_size(request.args.get("size")))
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{shop.slug}-{name}.pdf"'},
    )


@bp.get("/<int:order_id>/ticket")
def order(slug: str, order_id: int):
    """One order's preparation ticket, ready to print."""
    shop = get_owned_shop(slug)
    item = get_shop_order(shop, order_id)
    size = paper_size(request.args.get("size"))
    return _page(shop, [item], url_for(".order_pdf", slug=slug, order_id=order_id, size=size))


@bp.get("/<int:order_id>/ticket.pdf")
def order_pdf(slug: str, order_id: int):
    """One order's preparation ticket as a PDF."""
    shop = get_owned_shop(slug)
    return _pdf(shop, [get_shop_order(shop, order_id)], f"order-{order_id}")


def _slot_orders(shop: Shop):
    starts_at = parse_slot(request.args.get("slot"), current_app.config["TIMEZONE"])
    if starts_at is None:
        flash(_("This pickup slot is not a date and time."), "error")
        return None, redirect(url_for("board.index", slug=shop.slug), 303)
    orders = orders_of_slot(shop, starts_at)
    if not orders:
        flash(_("No order to prepare in this pickup slot."), "info")
        day = starts_at.date().isoformat()
        return None, redirect(url_for("board.index", slug=shop.slug, day=day), 303)
    return orders, None


@bp.get("/tickets")
def slot(slug: str):
    """Every ticket of one pickup slot, one per page, ready to print."""
    shop = get_owned_shop(slug)
    orders, refusal = _slot_orders(shop)
    if orders is None:
        return refusal
    size = paper_size(request.args.get("size"))
    slot_text = request.args.get("slot", "")[:25]
    return _page(shop, orders, url_for(".slot_pdf", slug=slug, slot=slot_text, size=size))


@bp.get("/tickets.pdf")
def slot_pdf(slug: str):
    """Every ticket of one pickup slot as a PDF."""
    shop = get_owned_shop(slug)
    orders, refusal = _slot_orders(shop)
    if orders is None:
        return refusal
    return _pdf(shop, orders, f"slot-{day_of(orders[0]).isoformat()}")
