"""The resident's side: checkout with a pickup slot per shop, my orders, cancel, re-order."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from marketplace import rate_limits
from marketplace.bounded import db_int
from marketplace.campaigns.checkout_preview import (
    preview_blocked,
    preview_for,
    shown_parts,
    wants_voucher_applied,
)
from marketplace.campaigns.guessing import (
    blocked_message,
    guess_keys,
    note_wrong_code,
    seconds_blocked,
)
from marketplace.campaigns.participation import town_today
from marketplace.campaigns.redemption import UNKNOWN, normalize_voucher_code
from marketplace.cart import services as cart
from marketplace.cart import storage
from marketplace.db import utcnow
from marketplace.extensions import db, limiter
from marketplace.orders import emails, guest_access, operations
from marketplace.orders.checkout import (
    CheckoutAlreadyPlaced,
    CheckoutError,
    CheckoutRequest,
    PaymentServiceUnavailable,
    checkout_for_form_token,
    is_form_token,
    new_form_token,
    place_checkout,
)
from marketplace.orders.checkout_messages import checkout_error_message, counter_part_stands
from marketplace.orders.guest_forms import GuestContactForm
from marketplace.orders.guests import GuestDetails
from marketplace.orders.labels import status_label
from marketplace.orders.models import (
    AT_PICKUP,
    CHECKOUT_COMPLETED,
    CHECKOUT_OPEN,
    ONLINE,
    Checkout,
)
from marketplace.orders.payment import online_payment_available, payment_starter
from marketplace.orders.payment_choice import plan_payments
from marketplace.orders.qr import qr_svg
from marketplace.orders.signals import order_cancelled
from marketplace.orders.slots import parse_slot_key, pickup_slots_for
from marketplace.orders.status import READY, InvalidTransition
from marketplace.orders.stock import OutOfStock

bp = Blueprint("orders", __name__)


def _tz() -> str:
    return current_app.config["TIMEZONE"]


def _slot_choices(summary):
    now = utcnow()
    return {g.shop.id: pickup_slots_for(g.shop, now, _tz()) for g in summary.groups}


def _payment_unavailable() -> int:
    flash(
        _(
            "The payment service is unavailable right now. Nothing was charged and your "
            "cart is kept: please try again in a few minutes."
        ),
        "error",
    )
    return 503


def already_placed(placed: Checkout):
    """Answer a second submission of a checkout form with what the first one placed."""
    if placed.customer_id is None:
        # Only the browser that was sent this form knows its token: it placed this checkout.
        guest_access.grant_checkout(placed.id)
    if placed.method == AT_PICKUP:
        flash(_("Thank you! Your order is confirmed."), "success")
        return redirect(placed_page(placed), 303)
    if placed.status == CHECKOUT_OPEN and placed.paid_at is None:
        # To its payment page: the session is created once (its idempotency key is the checkout's).
        return redirect(url_for("payments.resume_payment", checkout_id=placed.id), 303)
    return redirect(url_for("payments.checkout_return", checkout_id=placed.id), 303)


def placed_page(placed: Checkout) -> str:
    """Where a checkout paid at the counter is shown once placed: My orders, or the guest's page."""
    if placed.customer_id is None:
        return url_for("guest.placed", checkout_id=placed.id)
    return url_for("orders.my_orders", placed=placed.id)


def _refused(error: CheckoutError | OutOfStock) -> int:
    """Say why the checkout was refused; return the status of the page to show again."""
    if isinstance(error, OutOfStock):
        flash(
            _(
                "Not enough stock left of %(name)s: lower the quantity or remove it.",
                name=error.name,
            ),
            "error",
        )
        return 409
    flash(checkout_error_message(error), "error")
    return 409 if error.code in ("slot_unavailable", "cart_problem") else 400


def place_from_form(summary, form_token: str, guest: GuestDetails | None):
    """Place the checkout of the submitted form: a redirect, or the status of the page to show again.

    The town's parts are taken as the page showed them (its town-<shop> fields) or not at all.
    """
    chosen = {g.shop.id: request.form.get(f"slot-{g.shop.id}", "") for g in summary.groups}
    slots = {shop_id: parse_slot_key(key) for shop_id, key in chosen.items()}
    wish = CheckoutRequest(
        storage.load_items(),
        {k: v for k, v in slots.items() if v},
        request.form.get("method", ""),  # an older form's choice for the whole cart
        form_token,
        guest=guest,
        methods={g.shop.id: request.form.get(f"pay-{g.shop.id}", "") for g in summary.groups},
        voucher=request.form.get("voucher_applied", ""),
        town_parts=shown_parts(request.form, summary),
    )
    customer_id = None if guest is not None else current_user.id
    # The payments package registers how to start an online payment when Stripe is configured.
    start = payment_starter()
    try:
        placed = place_checkout(
            customer_id,
            wish,
            utcnow(),
            _tz(),
            current_app.config["PAYMENT_RESERVATION_MINUTES"],
            online_available=start is not None,
        )
    except CheckoutAlreadyPlaced:
        db.session.rollback()  # a twin submission committed first: show what it placed
        first = checkout_for_form_token(customer_id, form_token)
        if first is not None:
            return already_placed(first)
        flash(_("This order could not be placed: please try again."), "error")
        return 409
    except (CheckoutError, OutOfStock) as error:
        db.session.rollback()
        # A twin submission of this form may have committed while this one read the cart:
        # it emptied the cart and took the stock. Its checkout is this click's answer too.
        first = checkout_for_form_token(customer_id, form_token)
        if first is not None:
            return already_placed(first)
        return _refused(error)
    if guest is not None:  # this browser placed it (both parts of a mixed cart): it may follow it
        guest_access.grant_checkout(placed.id)
        if placed.counter_part is not None:
            guest_access.grant_checkout(placed.counter_part.id)
    counter = placed.counter_orders  # confirmed at once, whatever the online payment does
    # What is left to pay online stays in the cart until its payment page opens.
    storage.save_items(
        {ln.product_id: ln.quantity for o in placed.orders for ln in o.lines if ln.product_id}
        if placed.method == ONLINE
        else {}
    )
    # Reserve and commit first: no row lock is held while Stripe answers (or does not).
    db.session.commit()
    for order in counter:
        emails.send_order_confirmed(order)
    if placed.method == ONLINE and placed.status == CHECKOUT_COMPLETED:
        for order in placed.orders:  # the town paid it all: confirmed without a card payment
            emails.send_order_confirmed(order)
    if placed.method == AT_PICKUP or placed.status == CHECKOUT_COMPLETED:
        storage.save_items({})
        db.session.commit()
        flash(_("Thank you! Your order is confirmed."), "success")
        return redirect(placed_page(placed), 303)
    try:
        if start is None:  # place_checkout makes no online part without a starter
            raise PaymentServiceUnavailable("online payment is not configured")
        pay_url = start(placed)
    except PaymentServiceUnavailable:
        db.session.commit()  # the online part was expired: its stock and slots are back
        if counter:
            flash(counter_part_stands(counter), "success")
        return _payment_unavailable()
    storage.save_items({})
    db.session.commit()  # a short transaction records the session id
    return redirect(pay_url, 303)


@bp.route("/checkout", methods=["GET", "POST"])
@limiter.shared_limit(rate_limits.checkout, scope="checkout", methods=["POST"])
@login_required
def checkout():
    """Choose a pickup slot for each shop and place the orders (once per form)."""
    return checkout_page(None)


def checkout_page(guest_form: GuestContactForm | None):
    """Show and place the checkout: an account holder's, or a guest's when `guest_form` is given."""
    operations.expire_overdue(utcnow())
    db.session.commit()
    customer_id = None if guest_form is not None else current_user.id
    form_token = request.form.get("checkout_token", "") if request.method == "POST" else ""
    if is_form_token(form_token):
        # Before looking at the cart: the first submission of this form has emptied it.
        placed = checkout_for_form_token(customer_id, form_token)
        if placed is not None:
            return already_placed(placed)
    summary = cart.summarize(storage.load_items())
    if summary.is_empty:
        flash(_("Your cart is empty."), "info")
        return redirect(url_for("cart.show"))
    status = 200
    typed = request.form.get("voucher", "")[:100] if request.method == "POST" else ""
    guesses = guess_keys() if normalize_voucher_code(typed) else []
    wait = seconds_blocked(guesses) if guesses else 0
    if request.method == "POST":
        if wait:
            status = 429  # guessing codes: none is looked up, nothing is placed
        elif not is_form_token(form_token):
            flash(
                _("This order form has expired: check your choices and place the order again."),
                "error",
            )
            status = 400
        elif wants_voucher_applied(request.form):
            status = 200  # shown again with the voucher's amounts: the resident confirms them
        elif guest_form is not None and not guest_form.validate():
            status = 400  # the contact fields show their errors; nothing is reserved
        else:
            guest = guest_form.details(str(get_locale())) if guest_form is not None else None
            outcome = place_from_form(summary, form_token, guest)
            if not isinstance(outcome, int):
                return outcome
            status = outcome
        summary = cart.summarize(storage.load_items())
    posted = request.method == "POST"
    chosen = {g.shop.id: request.form.get(f"slot-{g.shop.id}", "") for g in summary.groups}
    paying = {g.shop.id: request.form.get(f"pay-{g.shop.id}", "") for g in summary.groups}
    resident = None if guest_form is not None else current_user
    if wait:
        town = preview_blocked(resident, summary, typed, town_today(), blocked_message(wait))
    else:
        town = preview_for(resident, summary, typed, town_today())
        if town.error_code == UNKNOWN:
            note_wrong_code(guesses)
    if town.error:
        flash(town.error, "error")
        status = 400 if status == 200 else status
    elif posted and wants_voucher_applied(request.form) and town.applied:
        flash(
            _("Voucher applied: check what the town pays and what you pay, then confirm."), "info"
        )
    page = render_template(
        "orders/checkout.html",
        summary=summary,
        slots=_slot_choices(summary),
        chosen=chosen if posted else {},
        states=None,
        payments=plan_payments(
            [g.shop for g in summary.groups], online_payment_available(), paying if posted else {}
        ),
        form_token=new_form_token(),  # a failed submission leaves its token unused: a new one
        guest_form=guest_form,
        town=town,
    )
    return page, status, ({"Retry-After": "60"} if status == 503 else {})


@bp.get("/orders")
@login_required
def my_orders():
    """List my orders, newest first."""
    orders = operations.orders_of_customer(current_user.id)
    placed = db_int(request.args.get("placed"))
    return render_template("orders/my_orders.html", orders=orders, placed=placed)


@bp.get("/orders/<int:order_id>")
def detail(order_id: int):
    """Show an order: status history, pickup code and QR, address, map and opening hours."""
    order = guest_access.own_order(order_id)  # mine, or a guest order this browser holds
    guest = order.checkout.guest
    proven = guest is not None and guest_access.proven_email() == guest.email
    return render_template(
        "orders/detail.html",
        order=order,
        # segno writes the SVG from our own URL and code: nothing user-typed goes into it.
        qr=Markup(qr_svg(order)),  # noqa: S704
        guest_email_proven=proven,
    )


@bp.post("/orders/<int:order_id>/cancel")
def cancel(order_id: int):
    """Cancel my order while the shop has not prepared it."""
    order = guest_access.own_order(order_id)
    try:
        operations.cancel_by_customer(order, order.customer_id)
    except InvalidTransition as error:
        db.session.rollback()
        if error.current == READY:
            message = _(
                "This order can no longer be cancelled: the shop has already prepared it. "
                "Contact the shop."
            )
        else:  # e.g. a second click once it is cancelled: say what it is, not "prepared"
            message = _(
                "This order is %(status)s: it can no longer be cancelled.",
                status=status_label(error.current),
            )
        flash(message, "error")
        return redirect(url_for("orders.detail", order_id=order.id), 303)
    db.session.commit()
    order_cancelled.send(current_app._get_current_object(), order=order)  # type: ignore[attr-defined]  # current_app is a proxy typed as Flask
    emails.send_order_cancelled(order, None, by_shop=False)
    flash(_("Your order is cancelled."), "success")
    return redirect(url_for("orders.detail", order_id=order.id), 303)


@bp.post("/orders/<int:order_id>/reorder")
def reorder(order_id: int):
    """Put the products of a past order back in the cart."""
    order = guest_access.own_order(order_id)
    items = storage.load_items()
    left_out = cart.put_back(items, [(line.product, line.quantity) for line in order.lines])
    storage.save_items(items)
    db.session.commit()
    if left_out:
        flash(_("Some products of this order are no longer sold."), "info")
    return redirect(url_for("cart.show"), 303)


def inject_counts() -> dict:
    """Counts shown in the navigation: items in the cart, orders waiting for preparation."""
    from marketplace.orders.board_views import pending_counts

    if not has_request_context() or current_user is None:
        return {}  # emails rendered by commands have no visitor
    counts = {"cart_count": sum(storage.load_items().values())}
    if current_user.is_authenticated and current_user.is_shopkeeper:
        counts["orders_to_prepare"] = pending_counts(current_user)
    return counts
