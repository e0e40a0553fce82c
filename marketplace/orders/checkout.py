"""Turning a cart into one checkout and one order per shop, stock reserved in the same transaction."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import User
from marketplace.campaigns.redemption import RedemptionRefused
from marketplace.campaigns.taking import redeem_at_checkout
from marketplace.cart.services import NOT_ENOUGH, OUT_OF_STOCK, summarize
from marketplace.extensions import db
from marketplace.orders.guests import GuestDetails
from marketplace.orders.models import (
    AT_PICKUP,
    CHECKOUT_COMPLETED,
    ONLINE,
    Checkout,
    Order,
    OrderLine,
)
from marketplace.orders.payment_choice import (
    METHODS,
    MethodRefused,
    accepted_methods,
    pick_method,
)
from marketplace.orders.signals import orders_placed
from marketplace.orders.slots import find_slot
from marketplace.orders.status import CONFIRMED, PENDING_PAYMENT, transition_order
from marketplace.orders.stock import OutOfStock, reserve_stock
from shops.models import Shop

# Letters and digits that cannot be confused when read aloud or on a small screen.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# How long an unpaid online checkout holds stock and slots. Stripe refuses a Checkout Session
# that expires less than 30 minutes after it is made, so a shorter setting is raised to 31.
# Stripe's largest EUR charge (999 999,99 €); also keeps every total far inside a 32-bit column.
MAX_CHECKOUT_CENTS = 99_999_999
RESERVATION_MINUTES = 35
MIN_RESERVATION_MINUTES = 31
# What a checkout form token looks like (secrets.token_urlsafe): anything else is refused.
FORM_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")


class CheckoutError(Exception):
    """The cart cannot be checked out as it is; `code` names why, `shop` which shop if any."""

    def __init__(self, code: str, shop: Shop | None = None, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.shop = shop
        self.detail = detail


class PaymentServiceUnavailable(RuntimeError):
    """Online payment cannot be started (not configured, or the payment service is down)."""


class CheckoutAlreadyPlaced(Exception):
    """This checkout form was already submitted: its checkout exists (a double click, a resend)."""

    def __init__(self, form_token: str) -> None:
        super().__init__(form_token)
        self.form_token = form_token


@dataclass(frozen=True)
class CheckoutRequest:
    """What the resident chose: the cart, a slot start per shop id, how to pay, the form's token;
    and, for a guest without an account, how to reach them.

    `methods` is how to pay each shop's part ({shop id: online | at_pickup}); `method` is a
    preference for the shops without one ("" for none): see payment_choice.pick_method.
    `voucher` is the code typed at checkout; `town_parts` is the town's part per shop id the
    page showed (None: not checked, for callers that show nothing).
    """

    items: dict[int, int]
    slots: dict[int, datetime]
    method: str
    form_token: str | None = None
    guest: GuestDetails | None = None
    methods: Mapping[int, str] = field(default_factory=dict)
    voucher: str = ""
    town_parts: Mapping[int, int] | None = None


def new_form_token() -> str:
    """Return a fresh one-time token for a checkout form."""
    return secrets.token_urlsafe(24)


def is_form_token(text: str | None) -> bool:
    """True when `text` has the shape of a token made by new_form_token."""
    return text is not None and FORM_TOKEN_RE.fullmatch(text) is not None


def checkout_for_form_token(customer_id: int | None, form_token: str) -> Checkout | None:
    """The checkout this customer (None: a guest) placed with `form_token`, if any."""
    checkout = db.session.scalar(select(Checkout).where(Checkout.form_token == form_token))
    return checkout if checkout is not None and checkout.customer_id == customer_id else None


def new_pickup_code() -> str:
    """Return a random six-character pickup code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def place_checkout(
    customer_id: int | None,
    request: CheckoutRequest,
    now: datetime,
    tz: str,
    reservation_minutes: int = RESERVATION_MINUTES,
    online_available: bool = True,
) -> Checkout:
    """Create the checkout and its orders, reserving stock and slots, or raise and change nothing.

    Each shop's part is paid as payment_choice.pick_method says: a mixed cart gives two
    checkouts, the online one (returned; it waits for the payment) and its `counter_part`,
    confirmed at once. `online_available` says whether the app can take online payment.
    The caller commits; on any error it rolls back, so no half-written order can remain.
    A request whose form token already placed a checkout raises CheckoutAlreadyPlaced.
    A guest (no `customer_id`) must give a contact in `request.guest`.
    """
    if customer_id is None and request.guest is None:
        raise CheckoutError("no_contact")
    if request.method not in ("", *METHODS):
        raise CheckoutError("bad_method")
    summary = summarize(request.items)
    if summary.is_empty:
        raise CheckoutError("empty_cart")
    if summary.problems:
        line = summary.problems[0]
        if line.state in (OUT_OF_STOCK, NOT_ENOUGH):
            # Same answer whether another buyer took the units before or during this checkout.
            raise OutOfStock(line.product_id, line.product.name if line.product else "")
        raise CheckoutError(
            "cart_problem",
            line.product.shop if line.product else None,
            line.product.name if line.product else "",
        )
    if summary.total_cents > MAX_CHECKOUT_CENTS:
        raise CheckoutError("total_too_large")
    # Lock the shops in a fixed order: concurrent checkouts then check slot capacity in turn.
    shop_ids = sorted(g.shop.id for g in summary.groups)
    locked = {
        s.id: s
        for s in db.session.scalars(
            select(Shop).where(Shop.id.in_(shop_ids)).order_by(Shop.id).with_for_update()
        )
    }
    # After the shop locks: a twin submission of the same form waited for them, and now
    # sees the checkout the first one committed (PostgreSQL reads committed rows per statement).
    if request.form_token and db.session.scalar(
        select(Checkout.id).where(Checkout.form_token == request.form_token)
    ):
        raise CheckoutAlreadyPlaced(request.form_token)
    methods = _methods_by_shop(list(locked.values()), request, online_available)
    parts = _open_checkouts(customer_id, request, now, reservation_minutes, methods)
    placed: list[Order] = []
    for group in summary.groups:
        shop = locked[group.shop.id]
        starts_at = request.slots.get(shop.id)
        slot = find_slot(shop, starts_at, now, tz) if starts_at else None
        if slot is None:
            raise CheckoutError("slot_unavailable", shop)
        checkout = parts[methods[shop.id]]
        order = Order(
            checkout_id=checkout.id,
            shop_id=shop.id,
            customer_id=customer_id,
            status=PENDING_PAYMENT,
            pickup_starts_at=slot.starts_at,
            pickup_ends_at=slot.ends_at,
            pickup_code=new_pickup_code(),
            total_cents=0,
        )
        for line in group.lines:
            product = line.product
            if product is None:  # summarize() groups only the lines whose product exists
                raise CheckoutError("cart_problem", shop)
            try:
                reserve_stock(line.product_id, line.quantity)
            except OutOfStock as error:
                raise OutOfStock(line.product_id, product.name) from error
            order.lines.append(
                OrderLine(
                    product_id=line.product_id,
                    name=product.name,
                    unit_price_cents=product.price_cents,
                    quantity=line.quantity,
                )
            )
        order.total_cents = sum(line.total_cents for line in order.lines)
        checkout.total_cents += order.total_cents
        db.session.add(order)
        placed.append(order)
    db.session.flush()
    _take_town_parts(customer_id, placed, request, now, tz)
    if AT_PICKUP in parts:
        confirm_checkout(parts[AT_PICKUP], actor_id=customer_id)
    if ONLINE in parts and parts[ONLINE].total_cents == 0:
        confirm_checkout(parts[ONLINE], actor_id=customer_id)  # the town pays it all: no card
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy typed as Flask
    orders_placed.send(app, orders=[o for c in parts.values() for o in c.orders])
    return parts.get(ONLINE) or parts[AT_PICKUP]


def _take_town_parts(
    customer_id: int | None, placed: list[Order], request: CheckoutRequest, now: datetime, tz: str
) -> None:
    """Take the town's parts (voucher, matched spending); each checkout then charges the rest."""
    user = db.session.get(User, customer_id) if customer_id is not None else None
    today = now.astimezone(ZoneInfo(tz)).date()
    try:
        town = redeem_at_checkout(user, placed, request.voucher, request.town_parts, today, now)
    except RedemptionRefused as refused:
        raise CheckoutError(refused.code, refused.shop) from refused
    for order in placed:
        order.checkout.total_cents -= town.get(order.id, 0)


def _methods_by_shop(
    shops: list[Shop], request: CheckoutRequest, online_available: bool
) -> dict[int, str]:
    """How each shop's part is paid, read on the locked shops; CheckoutError if one cannot be."""
    methods = {}
    for shop in shops:
        accepted = accepted_methods(shop, online_available)
        try:
            methods[shop.id] = pick_method(
                accepted, request.methods.get(shop.id, ""), request.method
            )
        except MethodRefused as refused:
            raise CheckoutError(refused.code, shop) from refused
    return methods


def _open_checkouts(
    customer_id: int | None,
    request: CheckoutRequest,
    now: datetime,
    reservation_minutes: int,
    methods: dict[int, str],
) -> dict[str, Checkout]:
    """One checkout per way of paying the cart, the online one first, holding the form token."""
    parts: dict[str, Checkout] = {}
    for method in (m for m in METHODS if m in methods.values()):
        checkout = Checkout(
            customer_id=customer_id,
            method=method,
            total_cents=0,
            expires_at=now + timedelta(minutes=max(reservation_minutes, MIN_RESERVATION_MINUTES)),
            form_token=None if parts else request.form_token,
        )
        if customer_id is None and request.guest is not None:
            checkout.guest = request.guest.contact()  # each part reaches the guest
        db.session.add(checkout)
        try:
            # The first checkout row is the first write: on SQLite a twin waits here for the
            # first one's commit, then meets the unique token; the caller rolls back.
            db.session.flush()
        except IntegrityError as error:
            if request.form_token is None or parts:
                raise
            raise CheckoutAlreadyPlaced(request.form_token) from error
        parts[method] = checkout
    if len(parts) == 2:
        parts[ONLINE].counter_part = parts[AT_PICKUP]
    return parts


def confirm_checkout(checkout: Checkout, actor_id: int | None) -> list[Order]:
    """Confirm every pending order of the checkout (paid, or to be paid at pickup)."""
    confirmed = []
    for order in checkout.orders:
        if order.status == PENDING_PAYMENT:
            transition_order(order, CONFIRMED, actor_id)
            confirmed.append(order)
    checkout.status = CHECKOUT_COMPLETED
    return confirmed
