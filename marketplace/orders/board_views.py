"""The shopkeeper's order board: today's pickups, prepare, hand over, cancel."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import SHOPKEEPER
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders import emails, operations
from marketplace.orders.models import Order, with_lines_and_buyer
from marketplace.orders.signals import order_cancelled, order_collected
from marketplace.orders.status import COLLECTED, CONFIRMED, READY, InvalidTransition
from shops.access import closed_to_agent_mode, get_owned_shop
from shops.models import Shop

bp = closed_to_agent_mode(Blueprint("board", __name__, url_prefix="/merchant/shops/<slug>/orders"))
MAX_DAYS_AWAY = 3660  # how far from today the board can be browsed


@bp.before_request
@roles_required(SHOPKEEPER)
def require_shopkeeper():
    """The board is for shopkeepers (and admins)."""


def parse_day(text: str | None) -> date | None:
    """The day in `text` (YYYY-MM-DD) if it is one the board can show, else None."""
    today = utcnow().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    # 9999-12-31 typed in the address bar would overflow the day before/after and the query.
    return day if abs((day - today).days) <= MAX_DAYS_AWAY else None


def requested_day() -> date:
    today = utcnow().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()
    return parse_day(request.args.get("day")) or today


def day_of(order: Order) -> date:
    """The town-time day of the order's pickup."""
    return order.pickup_starts_at.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def back_to_board(slug: str, order: Order):
    """Redirect to the board of the day the shopkeeper came from (the form's `day`), or the order's."""
    day = parse_day(request.form.get("day")) or day_of(order)
    return redirect(url_for("board.index", slug=slug, day=day.isoformat()), 303)


def orders_of_day(shop: Shop, day: date) -> list[Order]:
    """The shop's orders to collect on `day` (town time), by slot."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    start = datetime.combine(day, datetime.min.time(), zone)
    return list(
        db.session.scalars(
            select(Order)
            .where(
                Order.shop_id == shop.id,
                Order.pickup_starts_at >= start,
                Order.pickup_starts_at < start + timedelta(days=1),
                Order.status.in_((CONFIRMED, READY, COLLECTED)),
            )
            .options(*with_lines_and_buyer())
            .order_by(Order.pickup_starts_at, Order.id)
        )
    )


def get_shop_order(shop: Shop, order_id: int) -> Order:
    """Return an order of this shop; another shop's order is a 404."""
    order = db.session.get(Order, order_id)
    if order is None or order.shop_id != shop.id:
        abort(404)
    return order


@bp.get("/")
def index(slug: str):
    """Today's pickups by slot, with what to prepare, what is ready and what was collected."""
    shop = get_owned_shop(slug)
    operations.expire_overdue(utcnow())
    db.session.commit()
    return render_template("orders/board/index.html", **board_context(shop, requested_day()))


def board_context(shop: Shop, day: date) -> dict:
    """What the day's board shows: orders by slot, counts, and the next day with orders."""
    orders = orders_of_day(shop, day)
    by_slot = [
        (start, list(group)) for start, group in groupby(orders, key=lambda o: o.pickup_starts_at)
    ]
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    later, first_later = db.session.execute(
        select(func.count(), func.min(Order.pickup_starts_at)).where(
            Order.shop_id == shop.id,
            Order.status == CONFIRMED,
            Order.pickup_starts_at >= datetime.combine(day + timedelta(days=1), time.min, zone),
        )
    ).one()
    return {
        "shop": shop,
        "day": day,
        "by_slot": by_slot,
        "orders": orders,
        "counts": {
            s: sum(1 for o in orders if o.status == s) for s in (CONFIRMED, READY, COLLECTED)
        },
        "later": later,
        # SQLite hands back a naive (UTC) value from min(): mark it so before converting.
        "later_day": first_later and _as_utc(first_later).astimezone(zone).date(),
        "latest_id": max((o.id for o in orders), default=0),
        "opened_at": utcnow().isoformat(),  # the live feed adds every order placed after it
        "prev_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
    }


def _as_utc(moment: datetime | str) -> datetime:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@bp.get("/print")
def print_list(slug: str):
    """A printable preparation list: totals per product, then each order."""
    shop = get_owned_shop(slug)
    day = requested_day()
    orders = [o for o in orders_of_day(shop, day) if o.status == CONFIRMED]
    totals: dict[str, int] = {}
    for order in orders:
        for line in order.lines:
            totals[line.name] = totals.get(line.name, 0) + line.quantity
    return render_template(
        "orders/board/print.html", shop=shop, day=day, orders=orders, totals=sorted(totals.items())
    )


@bp.get("/<int:order_id>")
def order(slug: str, order_id: int):
    """One order, with the actions the shop can take on it now."""
    shop = get_owned_shop(slug)
    item = get_shop_order(shop, order_id)
    day = parse_day(request.args.get("day")) or day_of(item)
    return render_template(
        "orders/board/order.html",
        shop=shop,
        order=item,
        code=request.args.get("code", "")[:12],
        day=day,
    )


@bp.post("/<int:order_id>/ready")
def ready(slug: str, order_id: int):
    """Mark the order as prepared: the resident is told it waits at the counter."""
    shop = get_owned_shop(slug)
    item = get_shop_order(shop, order_id)
    try:
        operations.mark_ready(item, current_user.id)
    except InvalidTransition as error:
        db.session.rollback()
        flash(transition_message(error), "error")
        return redirect(url_for("board.order", slug=slug, order_id=order_id), 303)
    db.session.commit()
    emails.send_order_ready(item)
    flash(_("Order #%(id)s is ready; the customer is told.", id=item.id), "success")
    # Back to the board of the day the shopkeeper came from (else the order's own day).
    return back_to_board(slug, item)


@bp.post("/<int:order_id>/collect")
def collect(slug: str, order_id: int):
    """Hand the order over once the customer's pickup code is checked."""
    shop = get_owned_shop(slug)
    item = get_shop_order(shop, order_id)
    try:
        operations.confirm_collection(item, request.form.get("code", ""), current_user.id)
    except operations.WrongPickupCode:
        db.session.rollback()
        flash(_("This code is not the order's code. Do not hand the order over."), "error")
        return order_page(shop, item, 400)
    except InvalidTransition as error:
        db.session.rollback()
        flash(transition_message(error), "error")
        return order_page(shop, item, 409)
    db.session.commit()
    order_collected.send(current_app._get_current_object(), order=item)  # type: ignore[attr-defined]  # current_app is a proxy typed as Flask
    flash(_("Order #%(id)s is collected. Thank you!", id=item.id), "success")
    return back_to_board(slug, item)


@bp.post("/<int:order_id>/cancel")
def cancel(slug: str, order_id: int):
    """Cancel the order, telling the customer why."""
    shop = get_owned_shop(slug)
    item = get_shop_order(shop, order_id)
    reason = (request.form.get("reason") or "").strip()[:500]
    try:
        operations.cancel_by_shop(item, current_user.id, reason)
    except operations.ReasonRequired:
        flash(_("Say why you cancel: the customer will read it."), "error")
        return order_page(shop, item, 400)
    except InvalidTransition as error:
        db.session.rollback()
        flash(transition_message(error), "error")
        return order_page(shop, item, 409)
    db.session.commit()
    order_cancelled.send(current_app._get_current_object(), order=item)  # type: ignore[attr-defined]  # current_app is a proxy typed as Flask
    emails.send_order_cancelled(item, reason, by_shop=True)
    flash(_("Order #%(id)s is cancelled; the customer is told.", id=item.id), "success")
    return back_to_board(slug, item)


def order_page(shop: Shop, item: Order, status: int):
    """The order's page again after a refused action, keeping the day the shopkeeper came from."""
    day = parse_day(request.form.get("day")) or day_of(item)
    page = render_template("orders/board/order.html", shop=shop, order=item, code="", day=day)
    return page, status


def transition_message(error: InvalidTransition) -> str:
    """Explain a refused status change in the shopkeeper's words."""
    from marketplace.orders.labels import status_label

    return _(
        "This order is %(status)s: it cannot be %(target)s.",
        status=status_label(error.current),
        target=status_label(error.target),
    )


def pending_counts(user) -> int:
    """How many confirmed orders wait for preparation across the user's shops."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Order)
            .join(Shop, Shop.id == Order.shop_id)
            .where(Shop.owner_id == user.id, Order.status == CONFIRMED)
        )
        or 0
    )
