"""What the checkout says to the resident: why a cart cannot be placed, which orders stand."""

from __future__ import annotations

from flask_babel import gettext as _

from marketplace.campaigns.messages import refusal_message
from marketplace.orders.checkout import CheckoutError
from marketplace.orders.models import Order


def checkout_error_message(error: CheckoutError) -> str:
    """Say in the resident's words why the cart cannot be checked out."""
    shop = error.shop.name if error.shop else ""
    town = refusal_message(error.code, shop)
    if town is not None:
        return town
    return {
        "empty_cart": _("Your cart is empty."),
        "total_too_large": _(
            "This cart is too large for one payment (999 999,99 € at most). "
            "Please split it into several orders."
        ),
        "cart_problem": _(
            "Something in your cart can no longer be bought as it is (%(name)s). "
            "Please check your cart.",
            name=error.detail,
        ),
        "no_pay_at_pickup": _("%(shop)s does not take payment at pickup.", shop=shop),
        "slot_unavailable": _(
            "The pickup time chosen for %(shop)s is no longer available. "
            "Please choose another one.",
            shop=shop,
        ),
        "bad_method": _("Choose how to pay."),
        "no_online_payment": _(
            "%(shop)s cannot take online payment any more: check how each shop is paid.",
            shop=shop,
        ),
        "no_contact": _("Give your email and phone number, or log in."),
        "no_payment_method": _(
            "%(shop)s cannot be paid right now: remove its products to order the rest.",
            shop=shop,
        ),
    }.get(error.code, _("This order cannot be placed."))


def counter_part_stands(counter: list[Order]) -> str:
    """Say that the orders to pay at the counter are confirmed, whatever the card payment does."""
    return _(
        "Your orders to pay at the counter are confirmed (%(shops)s): see My orders.",
        shops=", ".join(o.shop.name for o in counter),
    )
