"""The signed link to a guest's order, in each email to the guest: it opens the order without login.

The token is signed with the app's secret (itsdangerous, its own salt) and names the order and a
fingerprint of the guest's email: it opens that order only, and stops working once the contact
is erased (once the order joins an account, it leads to the login page). It expires after GUEST_ORDER_LINK_MAX_AGE seconds;
every email carries a fresh one.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from marketplace.accounts.services import normalize_email
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.urls import external_url

SALT = "vitrine-guest-order"


class BadOrderLink(Exception):
    """The link was altered, names another order, or its email is no longer the order's."""


class ExpiredOrderLink(Exception):
    """A genuine link to `order` that is too old; a fresh one may be mailed to the guest."""

    def __init__(self, order: Order) -> None:
        super().__init__(order.id)
        self.order = order


def _serializer() -> URLSafeTimedSerializer:
    # Links signed with a key being rotated out (SECRET_KEY_FALLBACKS) still open.
    keys = [*current_app.config.get("SECRET_KEY_FALLBACKS", []), current_app.config["SECRET_KEY"]]
    return URLSafeTimedSerializer(keys, salt=SALT)


def email_fingerprint(email: str) -> str:
    """A short digest of the email, so that the token does not carry the address itself."""
    return hashlib.sha256(normalize_email(email).encode()).hexdigest()[:16]


def make_order_token(order: Order) -> str:
    """Return a signed token opening `order`, bound to its guest's email (the order must be a guest's)."""
    guest = order.checkout.guest
    if guest is None:
        raise ValueError("only a guest's order has a signed link")
    return _serializer().dumps({"o": order.id, "e": email_fingerprint(guest.email)})


def _matching_order(order_id: int, data: object) -> Order | None:
    if not isinstance(data, dict) or data.get("o") != order_id:
        return None
    order = db.session.get(Order, order_id)
    if order is None:
        return None
    if order.customer_id is not None:
        return order  # it joined an account since: the caller sends the visitor to log in
    guest = order.checkout.guest
    if guest is None or data.get("e") != email_fingerprint(guest.email):
        return None
    return order


def order_for_token(order_id: int, token: str) -> Order:
    """Return the order a valid token opens; raise BadOrderLink or ExpiredOrderLink otherwise."""
    serializer = _serializer()
    try:
        data = serializer.loads(token, max_age=current_app.config["GUEST_ORDER_LINK_MAX_AGE"])
    except SignatureExpired as expired:
        # The signature is genuine, only old: name the order so that a fresh link can be sent.
        order = _matching_order(order_id, serializer.load_payload(expired.payload or b""))
        if order is None:
            raise BadOrderLink() from expired
        raise ExpiredOrderLink(order) from expired
    except BadSignature as bad:
        raise BadOrderLink() from bad
    order = _matching_order(order_id, data)
    if order is None:
        raise BadOrderLink()
    return order


def order_page_url(order: Order) -> str:
    """The absolute address of the order's page for its buyer: the signed link for a guest."""
    if order.customer_id is None and order.checkout.guest is not None:
        return external_url("guest.open_link", order_id=order.id, token=make_order_token(order))
    return external_url("orders.detail", order_id=order.id)
