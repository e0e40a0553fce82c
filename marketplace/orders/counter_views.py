"""The counter's quick tools on the board: find an order by its code, and the live feed of new orders."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import SHOPKEEPER
from marketplace.campaigns.display import town_share
from marketplace.campaigns.guessing import (
    blocked_message,
    guess_keys,
    note_wrong_code,
    seconds_blocked,
)
from marketplace.campaigns.messages import refusal_message
from marketplace.campaigns.participation import town_today
from marketplace.campaigns.redemption import UNKNOWN, RedemptionRefused
from marketplace.campaigns.taking import redeem_voucher_at_counter
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.money import format_money
from marketplace.orders.board_views import (
    board_context,
    get_shop_order,
    orders_of_day,
    parse_day,
    pending_counts,
    requested_day,
)
from marketplace.orders.counter import code_from_input, find_orders_by_code, orders_placed_since
from marketplace.orders.status import CONFIRMED
from marketplace.templating import current_locale
from shops.access import closed_to_agent_mode, get_owned_shop

bp = closed_to_agent_mode(
    Blueprint("counter", __name__, url_prefix="/merchant/shops/<slug>/orders")
)
MAX_KNOWN = 500  # ids the board says it shows; more than a day's orders of any shop
MAX_SINCE = timedelta(days=2)  # a board left open longer shows the orders of its last two days


def opened_at(text: str | None) -> datetime:
    """When the board was opened (its `since`, UTC ISO), within the last two days; else now."""
    now = utcnow()
    try:
        since = datetime.fromisoformat(text or "")
    except ValueError:
        return now
    if since.tzinfo is None or not now - MAX_SINCE <= since <= now:
        return now
    return since


@bp.before_request
@roles_required(SHOPKEEPER)
def require_shopkeeper():
    """The counter is for shopkeepers (and admins)."""


@bp.get("/find")
def find(slug: str):
    """Open the order with the typed or scanned pickup code; say so clearly when there is none."""
    shop = get_owned_shop(slug)
    day = requested_day()
    typed = request.args.get("code", "")
    code = code_from_input(typed)
    found = find_orders_by_code(shop, typed)
    if len(found) == 1:
        # The code is the one the customer showed: the order opens with it filled in.
        target = url_for("board.order", slug=slug, order_id=found[0].id, code=code, day=day)
        return redirect(target, 303)
    if found:
        page = render_template(
            "orders/board/found.html", shop=shop, orders=found, code=code, day=day
        )
        return page, 200
    if code:
        message = _("No order of this shop has the code %(code)s.", code=code)
    else:
        message = _("Type the pickup code the customer shows, for example ABC-123.")
    context = board_context(shop, day)
    page = render_template(
        "orders/board/index.html", find_error=message, typed=typed[:40], **context
    )
    return page, 404 if code else 400


@bp.post("/<int:order_id>/voucher")
def voucher(slug: str, order_id: int):
    """Redeem a town voucher, typed or scanned from its QR, on a pay-at-pickup order."""
    shop = get_owned_shop(slug)
    order = get_shop_order(shop, order_id)
    back = redirect(url_for("board.order", slug=slug, order_id=order_id), 303)
    guesses = guess_keys(shop.id)
    wait = seconds_blocked(guesses)
    if wait:
        flash(blocked_message(wait), "error")  # no code is looked up until the window ends
        return back
    try:
        typed = request.form.get("voucher", "")
        redeem_voucher_at_counter(order, typed, town_today(), utcnow(), current_user.id)
        db.session.commit()
    except RedemptionRefused as refused:
        db.session.rollback()
        if refused.code == UNKNOWN:
            note_wrong_code(guesses)
        flash(
            refusal_message(refused.code, shop.name) or _("This voucher cannot be used."), "error"
        )
        return back
    except IntegrityError:
        db.session.rollback()  # the same campaign's voucher, typed twice at once
        flash(refusal_message("counter_same_campaign") or "", "error")
        return back
    share = town_share(order)
    if share is not None:
        flash(
            _(
                "Voucher accepted: the town pays %(town)s. Collect %(pay)s.",
                town=format_money(share.town_cents, current_locale()),
                pay=format_money(share.pay_cents, current_locale()),
            ),
            "success",
        )
    return back


@bp.get("/feed.json")
def feed(slug: str):
    """The orders to prepare the open board does not show yet, and the header count.

    Those of the board's day, and every order placed since the board was opened (`since`),
    whatever its pickup day: in the evening most new orders are for tomorrow, and the
    shopkeeper still wants to hear of them.
    """
    shop = get_owned_shop(slug)
    day = parse_day(request.args.get("day")) or requested_day()
    known = {int(i) for i in request.args.get("known", "").split(",")[:MAX_KNOWN] if i.isdigit()}
    today = [o for o in orders_of_day(shop, day) if o.status == CONFIRMED]
    since = orders_placed_since(shop, opened_at(request.args.get("since")), MAX_KNOWN)
    fresh = [o for o in {o.id: o for o in today + since}.values() if o.id not in known]
    to_prepare = pending_counts(current_user)
    return jsonify(
        orders=[
            {
                "id": o.id,
                "html": render_template("orders/board/_card.html", shop=shop, order=o, day=day),
            }
            for o in fresh
        ],
        to_prepare=to_prepare,
        to_prepare_label=_("(%(n)s to prepare)", n=to_prepare) if to_prepare else "",
        message=_("New order #%(id)s", id=fresh[-1].id) if fresh else "",
    )
