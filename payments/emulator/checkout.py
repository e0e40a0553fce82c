"""Checkout Sessions (mode=payment): creation, retrieval, line items, expiry and completion."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web
from localstripe import resources as ls
from localstripe.server import get_post_data, json_response, unflatten_data

from . import charges
from .compat import Clock, base_url, fetch, stored
from .errors import as_currency, as_int, as_metadata, invalid, need, reject_unknown
from .events import emit

PARAMS = {
    "mode",
    "line_items",
    "customer_email",
    "client_reference_id",
    "metadata",
    "payment_intent_data",
    "success_url",
    "cancel_url",
    "expires_at",
    "locale",
    "currency",
    "payment_method_types",
    "allowed_payment_method_types",
    "submit_type",
    "billing_address_collection",
    "customer_creation",
}
INTENT_PARAMS = {
    "transfer_group",
    "metadata",
    "description",
    "receipt_email",
    "statement_descriptor",
    "statement_descriptor_suffix",
}
MIN_EXPIRY, MAX_EXPIRY = 30 * 60, 24 * 3600
MIN_AMOUNT = 50  # Stripe's minimum charge: 0.50 EUR


def _line_item(index: int, item: dict) -> dict:
    prefix = f"line_items[{index}]"
    if not isinstance(item, dict):
        raise invalid("Invalid line item", prefix)
    if "price" in item:
        raise invalid("The emulator supports line_items[].price_data only.", f"{prefix}[price]")
    reject_unknown(item, {"price_data", "quantity"}, prefix)
    price = need(item, "price_data", f"{prefix}[price_data]")
    reject_unknown(price, {"currency", "unit_amount", "product_data"}, f"{prefix}[price_data]")
    currency = as_currency(need(price, "currency", f"{prefix}[price_data][currency]"))
    unit = as_int(
        need(price, "unit_amount", f"{prefix}[price_data][unit_amount]"),
        f"{prefix}[price_data][unit_amount]",
        0,
    )
    product = need(price, "product_data", f"{prefix}[price_data][product_data]")
    name = need(product, "name", f"{prefix}[price_data][product_data][name]")
    quantity = as_int(need(item, "quantity", f"{prefix}[quantity]"), f"{prefix}[quantity]", 1)
    total = unit * quantity
    return {
        "id": "li_" + ls.random_id(24),
        "object": "item",
        "amount_discount": 0,
        "amount_subtotal": total,
        "amount_tax": 0,
        "amount_total": total,
        "currency": currency,
        "description": name,
        "quantity": quantity,
        "price": {
            "id": "price_" + ls.random_id(24),
            "object": "price",
            "active": False,
            "currency": currency,
            "unit_amount": unit,
            "type": "one_time",
            "product": "prod_" + ls.random_id(14),
            "metadata": {},
            "livemode": False,
        },
    }


class CheckoutSession(ls.StripeObject):
    """A hosted Checkout Session for a one-off payment."""

    object = "checkout.session"
    _id_prefix = "cs_test_"

    def __init__(self, data: dict, base: str):
        reject_unknown(data, PARAMS)
        if need(data, "mode") != "payment":
            raise invalid("The emulator supports mode=payment only.", "mode")
        items = need(data, "line_items")
        items = [
            _line_item(i, item)
            for i, item in enumerate(items if isinstance(items, list) else [items])
        ]
        currencies = {item["currency"] for item in items}
        if len(currencies) != 1:
            raise invalid("All line items must use the same currency.", "line_items")
        total = sum(item["amount_total"] for item in items)
        if total < MIN_AMOUNT:
            raise invalid(
                "The Checkout Session's total amount due must add up to at least €0.50",
                "line_items",
                "amount_too_small",
            )
        now = Clock.now()
        expires_at = as_int(data.get("expires_at", now + MAX_EXPIRY), "expires_at")
        if not now + MIN_EXPIRY <= expires_at <= now + MAX_EXPIRY:
            raise invalid(
                "The `expires_at` timestamp must be between 30 minutes and 24 hours "
                "from Checkout Session creation.",
                "expires_at",
            )
        intent = data.get("payment_intent_data") or {}
        reject_unknown(intent, INTENT_PARAMS, "payment_intent_data")
        intent["metadata"] = as_metadata(intent.get("metadata"), "payment_intent_data[metadata]")
        metadata = as_metadata(data.get("metadata"))
        super().__init__()
        self.mode = "payment"
        self.currency = currencies.pop()
        self.amount_subtotal = self.amount_total = total
        self.total_details = {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0}
        self.cancel_url = data.get("cancel_url")
        self.success_url = data.get("success_url")
        self.client_reference_id = data.get("client_reference_id")
        self.customer = None
        self.customer_email = data.get("customer_email")
        self.customer_details: dict[str, Any] | None = None
        self.expires_at = expires_at
        self.locale = data.get("locale")
        self.metadata = metadata
        self.payment_intent = None
        # Only cards are emulated: a session that may not take them could never be paid here.
        allowed = data.get("allowed_payment_method_types") or data.get("payment_method_types")
        if allowed is not None and "card" not in (
            allowed.values() if isinstance(allowed, dict) else allowed
        ):
            raise invalid("The emulator takes card payments only", "allowed_payment_method_types")
        self.payment_method_types = ["card"]
        self.payment_status = "unpaid"
        self.status = "open"
        self.submit_type = data.get("submit_type")
        self.ui_mode = "hosted"
        self.url: str | None = f"{base}/c/pay/{self.id}"
        self.invoice = self.payment_link = self.setup_intent = self.subscription = None
        self._items = items
        self._intent_data = intent

    def _expire_if_due(self) -> None:
        if self.status == "open" and Clock.now() >= self.expires_at:
            self._expire()

    def _expire(self) -> None:
        self.status = "expired"
        self.url = None
        if self.payment_intent:
            charges.cancel_intent(ls.PaymentIntent._api_retrieve(self.payment_intent))
        emit("checkout.session.expired", self)

    def _intent(self):
        if self.payment_intent is None:
            pi = charges.create_intent(
                self.amount_total, self.currency, self._intent_data, self.customer_email
            )
            self.payment_intent = pi.id
        return ls.PaymentIntent._api_retrieve(self.payment_intent)

    def _complete(self, name: str | None, email: str | None) -> None:
        self.status = "complete"
        self.payment_status = "paid"
        self.url = None
        self.customer_details = {
            "email": email or self.customer_email,
            "name": name or None,
            "phone": None,
            "address": {
                "city": None,
                "country": "FR",
                "line1": None,
                "line2": None,
                "postal_code": None,
                "state": None,
            },
            "tax_exempt": "none",
            "tax_ids": [],
        }
        emit("checkout.session.completed", self)

    def _success_redirect(self) -> str | None:
        if not self.success_url:
            return None
        return self.success_url.replace("{CHECKOUT_SESSION_ID}", self.id)


def get_session(session_id: str) -> CheckoutSession:
    """Return a session by id (expiring it first if its time has come) or raise a 404."""
    session = fetch(CheckoutSession, session_id, name="checkout.session")
    session._expire_if_due()
    return session


async def create(request: web.Request) -> web.Response:
    """POST /v1/checkout/sessions."""
    data = await get_post_data(request) or {}
    expand = data.pop("expand", None)
    return json_response(CheckoutSession(data, base_url(request))._export(expand=expand))


def retrieve(request: web.Request) -> web.Response:
    """GET /v1/checkout/sessions/{id}."""
    expand = unflatten_data(request.query).get("expand")
    return json_response(get_session(request.match_info["id"])._export(expand=expand))


async def expire(request: web.Request) -> web.Response:
    """POST /v1/checkout/sessions/{id}/expire (checkout.session.expired)."""
    session = get_session(request.match_info["id"])
    if session.status != "open":
        raise invalid(
            f'Only Checkout Sessions with a status in ["open"] can be expired. '
            f'This Checkout Session has a status of "{session.status}".'
        )
    session._expire()
    return json_response(session._export())


def list_sessions(request: web.Request) -> web.Response:
    """GET /v1/checkout/sessions, newest first, filtered by payment_intent or status."""
    query = unflatten_data(request.query)
    reject_unknown(query, {"payment_intent", "status", "limit", "starting_after", "expand"})
    sessions = stored(CheckoutSession)[::-1]
    for session in sessions:
        session._expire_if_due()
    for key in ("payment_intent", "status"):
        if query.get(key):
            sessions = [s for s in sessions if getattr(s, key) == query[key]]
    page = ls.List("/v1/checkout/sessions", query.get("limit"), query.get("starting_after"))
    page._list = sessions
    return json_response(page._export(expand=query.get("expand")))


def line_items(request: web.Request) -> web.Response:
    """GET /v1/checkout/sessions/{id}/line_items."""
    session = get_session(request.match_info["id"])
    url = f"/v1/checkout/sessions/{session.id}/line_items"
    return json_response({"object": "list", "url": url, "has_more": False, "data": session._items})


async def expire_forever(app: web.Application, every: float = 1.0) -> None:
    """Expire open sessions whose expires_at has passed, so the event is sent unprompted."""
    while True:
        await asyncio.sleep(every)
        for session in stored(CheckoutSession):
            session._expire_if_due()
