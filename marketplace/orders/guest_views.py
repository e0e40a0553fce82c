"""Buying without an account: the guest checkout, the thank-you page, the signed link to an order."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import rate_limits
from marketplace.errors import error_response
from marketplace.extensions import limiter
from marketplace.orders import guest_access, guest_links
from marketplace.orders.emails import send_order_link
from marketplace.orders.guest_forms import GuestContactForm
from marketplace.orders.views import checkout_page

bp = Blueprint("guest", __name__)


def _renew_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/checkout/guest", methods=["GET", "POST"])
@limiter.shared_limit(rate_limits.checkout, scope="checkout", methods=["POST"])
def checkout():
    """Check out without an account: the usual choices plus an email and a phone number."""
    if current_user.is_authenticated:
        return redirect(url_for("orders.checkout"))
    return checkout_page(GuestContactForm())


@bp.get("/checkout/<int:checkout_id>/placed")
def placed(checkout_id: int):
    """Thank the guest, say where the email went, and offer to create an account."""
    checkout = guest_access.own_checkout(checkout_id)
    return render_template("orders/placed.html", checkout=checkout)


@bp.get("/orders/<int:order_id>/link/<token>")
def open_link(order_id: int, token: str):
    """Open a guest's order from the signed link of an email: no login needed."""
    try:
        order = guest_links.order_for_token(order_id, token)
    except guest_links.ExpiredOrderLink:
        return render_template("orders/link_expired.html", order_id=order_id, token=token), 403
    except guest_links.BadOrderLink:
        return error_response(404, bad_link_message())
    if order.customer_id is not None:  # it joined an account: that account's login opens it
        return redirect(url_for("orders.detail", order_id=order.id), 303)
    guest = order.checkout.guest
    guest_access.grant_checkout(order.checkout_id)
    guest_access.prove_email(guest.email)  # type: ignore[union-attr]  # checked by order_for_token
    if current_user.is_authenticated:
        # A link mailed to the account's own address proves it: its guest orders join the account.
        guest_access.claim_proven_orders(current_user._get_current_object())
    # To the order's own address: the token does not stay in the address bar or the history.
    return redirect(url_for("orders.detail", order_id=order.id), 303)


@bp.post("/orders/<int:order_id>/link/<token>/renew")
@limiter.limit(_renew_limit)
def renew_link(order_id: int, token: str):
    """Mail a fresh link for an expired one, to the order's own address only."""
    try:
        guest_links.order_for_token(order_id, token)
    except guest_links.ExpiredOrderLink as expired:
        send_order_link(expired.order)
    except guest_links.BadOrderLink:
        return error_response(404, bad_link_message())
    else:  # still valid (opened in another tab meanwhile): open it
        return redirect(url_for("guest.open_link", order_id=order_id, token=token), 303)
    # The address stays unsaid: the page showing the link may not be the guest's.
    flash(_("A new link to your order is on its way to the email address of the order."), "info")
    return redirect(url_for("public.home"), 303)


def bad_link_message() -> str:
    """What a visitor reads when a link to an order does not open it."""
    return _(
        "This link to an order is not valid: it may be incomplete or altered, or the details of "
        "the order were erased. Open the link from your latest email about the order."
    )
