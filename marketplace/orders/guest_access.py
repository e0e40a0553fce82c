"""Which guest checkouts this browser may open: those it placed, and those whose mailed link it opened.

Both live in the signed session cookie, like the visitor's cart. A guest checkout stops being
opened this way once it joins an account: the account is the way in from then on.
"""

from __future__ import annotations

from flask import abort, flash, session
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.services import normalize_email
from marketplace.extensions import db, login_manager
from marketplace.orders.guests import claim_guest_orders
from marketplace.orders.models import Checkout, Order

CHECKOUTS_KEY = "guest_checkouts"
EMAIL_KEY = "guest_email"  # an address whose mailbox this browser proved (by a mailed link)
MAX_HELD = 20  # the latest ones: the session cookie stays small


def held_checkouts() -> list[int]:
    """The ids of the guest checkouts this browser may open."""
    held = session.get(CHECKOUTS_KEY) or []
    return [i for i in held if isinstance(i, int)]


def grant_checkout(checkout_id: int) -> None:
    """Let this browser open the guest checkout `checkout_id` (it placed it, or proved the email)."""
    held = [i for i in held_checkouts() if i != checkout_id]
    session[CHECKOUTS_KEY] = [*held, checkout_id][-MAX_HELD:]


def prove_email(email: str) -> None:
    """Remember that this browser opened a link mailed to `email`."""
    session[EMAIL_KEY] = normalize_email(email)


def proven_email() -> str | None:
    """The address whose mailbox this browser proved, if any."""
    value = session.get(EMAIL_KEY)
    return value if isinstance(value, str) and value else None


def forget_email() -> None:
    """Forget the proven address (its data was erased)."""
    session.pop(EMAIL_KEY, None)


def forget_guest_access_at_logout(sender, user, **extra) -> None:
    """On flask-login's user_logged_out: the next person at this browser holds no guest order."""
    # Connected by register_hooks in marketplace/app.py (a shared computer: logging out is leaving).
    session.pop(CHECKOUTS_KEY, None)
    forget_email()


def may_open(checkout: Checkout) -> bool:
    """Whether the visitor may see and act on `checkout`: their account's, or a guest one they hold."""
    if current_user.is_authenticated and checkout.customer_id == current_user.id:
        return True
    return checkout.customer_id is None and checkout.id in held_checkouts()


def _refuse():
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())  # to the login page, then back here
    abort(404)


def own_checkout(checkout_id: int) -> Checkout:
    """Return the checkout the visitor may open; anyone else's is a 404 (or the login page)."""
    checkout = db.session.get(Checkout, checkout_id)
    if checkout is None or not may_open(checkout):
        _refuse()
    return checkout  # type: ignore[return-value]  # _refuse() never returns


def own_order(order_id: int) -> Order:
    """Return the order the visitor may open; anyone else's is a 404 (or the login page)."""
    order = db.session.get(Order, order_id)
    if order is None or not may_open(order.checkout):
        _refuse()
    return order  # type: ignore[return-value]  # _refuse() never returns


def claim_proven_orders(user) -> None:
    """Give `user`'s account the guest orders with its email that this browser has proof of."""
    claimed = claim_guest_orders(user, held_checkouts(), proven_email())
    if claimed:
        db.session.commit()
        flash(_("Your orders placed as a guest are now in your account."), "success")


def claim_guest_orders_at_login(sender, user, **extra) -> None:
    """On flask-login's user_logged_in (sign-up too): claim the guest orders this browser proves."""
    # Connected by register_hooks in marketplace/app.py, after the cart's merge.
    claim_proven_orders(user)
