"""Helpers of the guest checkout tests: a shop open all week, a visitor's cart, the mailed link."""

from __future__ import annotations

import re

from marketplace.extensions import db
from tests.conftest import outbox, post_form
from tests.factories import make_product, make_shop
from tests.orders.helpers import in_english, set_hours, slot_keys

CONTACT = {"email": "Zoe.Guest@Example.org", "phone": "06 12 34 56 78", "name": "Zoé"}
LINK_RE = re.compile(r"https?://[^/\s]+(/orders/\d+/link/[A-Za-z0-9_.\-]+)")


def guest_shop(name: str = "Fromagerie Oberkampf"):
    """A published shop open all week that takes payment at the counter, and its brie (5 left)."""
    shop = make_shop(name=name, category="fromagerie", prep_minutes=0)
    shop.pay_at_pickup = True
    set_hours(shop)
    return shop, make_product(shop, "Brie de Meaux", 1290, stock=5)


def visitor_with(app, product, quantity: int = 1):
    """An English-speaking browser without an account, with `quantity` of `product` in its cart."""
    client = in_english(app.test_client())
    added = post_form(
        client, "/cart/add", {"product_id": product.id, "quantity": quantity}, "/cart/"
    )
    assert added.status_code == 303
    return client


def guest_checkout_form(client, method: str = "at_pickup", **contact) -> dict:
    """The guest checkout form as its page gives it: tokens, first slots, `method`, the contact."""
    page = client.get("/checkout/guest").get_data(as_text=True)
    hidden = dict(re.findall(r'name="(csrf_token|checkout_token)" value="([^"]+)"', page))
    return {**hidden, **slot_keys(page), "method": method, **CONTACT, **contact}


def check_out_as_guest(client, method: str = "at_pickup", **contact):
    """Place the visitor's cart as a guest (first pickup time, `method`); return the response."""
    response = client.post("/checkout/guest", data=guest_checkout_form(client, method, **contact))
    db.session.expire_all()
    return response


def mailed_links(app, address: str) -> list[str]:
    """The paths of the signed order links in the emails sent to `address`, oldest first."""
    mails = [m for m in outbox(app) if m.startswith(f"To: {address}\n")]
    return [path for mail in mails for path in LINK_RE.findall(mail)]
