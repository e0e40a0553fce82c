"""The offline Stripe emulator for payment tests: a subprocess plus a local webhook receiver."""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
import stripe

from payments.emulator.process import EmulatorProcess

API_KEY = "sk_test_emulator"
WEBHOOK_SECRET = "whsec_test_emulator"


@dataclass
class Delivery:
    """One webhook request as received: raw body, Stripe-Signature header, parsed event."""

    payload: bytes
    signature: str
    event: dict


@dataclass
class WebhookReceiver:
    """A tiny HTTP server that records webhook deliveries (and can refuse some)."""

    url: str = ""
    received: list[Delivery] = field(default_factory=list)
    refuse: dict[str, int] = field(default_factory=dict)  # event type -> deliveries to fail
    condition: threading.Condition = field(default_factory=threading.Condition)

    def record(self, payload: bytes, signature: str) -> int:
        """Store a delivery; return the HTTP status to answer."""
        event = json.loads(payload)
        with self.condition:
            if self.refuse.get(event["type"], 0) > 0:
                self.refuse[event["type"]] -= 1
                return 500
            self.received.append(Delivery(payload, signature, event))
            self.condition.notify_all()
            return 200

    def wait_for(self, event_type: str, object_id: str | None = None, timeout=10, **fields):
        """Return (and consume) the first delivery of event_type about object_id (or fields)."""
        wanted = {**fields, **({"id": object_id} if object_id else {})}

        def find():
            for delivery in self.received:
                obj = delivery.event["data"]["object"]
                if delivery.event["type"] == event_type and all(
                    obj.get(key) == value for key, value in wanted.items()
                ):
                    return delivery
            return None

        with self.condition:
            found = self.condition.wait_for(find, timeout)
            if found is None:
                seen = [d.event["type"] for d in self.received]
                raise AssertionError(f"no {event_type} webhook for {wanted} (got {seen})")
            self.received.remove(found)
            return found


def verified(delivery: Delivery) -> stripe.Event:
    """The webhook checked as our endpoint checks it: Stripe's signature on the raw body."""
    return stripe.Webhook.construct_event(delivery.payload, delivery.signature, WEBHOOK_SECRET)


def _serve(receiver: WebhookReceiver) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = receiver.record(body, self.headers.get("Stripe-Signature", ""))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True, name="webhook-receiver").start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/payments/stripe/webhook"
    return server


@dataclass
class StripeEmulator:
    """What the fixture yields: the running emulator, a client for it, its webhooks."""

    process: EmulatorProcess
    webhooks: WebhookReceiver
    api_key: str = API_KEY
    webhook_secret: str = WEBHOOK_SECRET

    @property
    def url(self) -> str:
        """Base URL of the emulator (STRIPE_API_BASE)."""
        return self.process.url

    def client(self, **options) -> stripe.StripeClient:
        """A StripeClient pointed at the emulator."""
        options.setdefault("max_network_retries", 0)
        return stripe.StripeClient(self.api_key, base_addresses={"api": self.url}, **options)


@pytest.fixture(scope="session")
def stripe_emulator(tmp_path_factory):
    """A Stripe emulator for the whole test session, its webhooks sent to a local receiver."""
    receiver = WebhookReceiver()
    server = _serve(receiver)
    process = EmulatorProcess(
        webhook_url=receiver.url,
        webhook_secret=WEBHOOK_SECRET,
        log_path=tmp_path_factory.mktemp("stripe-emulator") / "emulator.log",
        extra_args=("--webhook-backoff", "0.05"),
    )
    process.start()
    try:
        yield StripeEmulator(process, receiver)
    finally:
        process.stop()
        server.shutdown()
        server.server_close()


def checkout_params(group: str, **overrides) -> dict:
    """Parameters of a two-line, 34.90 EUR Checkout Session for transfer group `group`."""
    params = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "eur",
                    "unit_amount": 1250,
                    "product_data": {"name": "Pain de campagne"},
                },
                "quantity": 2,
            },
            {
                "price_data": {
                    "currency": "eur",
                    "unit_amount": 990,
                    "product_data": {"name": "Miel de lavande"},
                },
                "quantity": 1,
            },
        ],
        "customer_email": "camille@example.org",
        "client_reference_id": group,
        "metadata": {"checkout": group},
        "payment_intent_data": {"transfer_group": group, "metadata": {"checkout": group}},
        "success_url": "http://127.0.0.1:5000/payments/return?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://127.0.0.1:5000/cart",
        "expires_at": int(time.time()) + 3600,
    }
    params.update(overrides)
    return params


def pay(session_url: str, card: str, **fields) -> requests.Response:
    """Submit the hosted payment form as a browser would (no redirects followed)."""
    form = {"cardnumber": card, "expiry": "12 / 34", "cvc": "123", "name": "Camille Martin"}
    form.update(fields)
    return requests.post(session_url, data=form, allow_redirects=False, timeout=10)


@pytest.fixture
def elsewhere():
    """A webhook endpoint that is not Vitrine's, as when ours is down or misconfigured."""
    receiver = WebhookReceiver()
    server = _serve(receiver)
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def group() -> str:
    """A fresh transfer group (our checkout reference) per test."""
    return f"checkout-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def paid_session(stripe_emulator, group):
    """A Checkout Session paid with 4242 (its checkout.session.completed consumed)."""
    client = stripe_emulator.client()
    session = client.v1.checkout.sessions.create(checkout_params(group))
    assert pay(session.url, "4242 4242 4242 4242").status_code == 303
    stripe_emulator.webhooks.wait_for("checkout.session.completed", session.id)
    return client.v1.checkout.sessions.retrieve(
        session.id, {"expand": ["payment_intent.latest_charge.balance_transaction"]}
    )


@pytest.fixture
def onboarded_account(stripe_emulator):
    """An Express account whose onboarding is complete (payouts enabled)."""
    client = stripe_emulator.client()
    account = client.v1.accounts.create({"type": "express", "country": "FR"})
    stripe_emulator.process.set_account(account.id, charges_enabled=True, payouts_enabled=True)
    stripe_emulator.webhooks.wait_for("account.updated", account.id)
    return client.v1.accounts.retrieve(account.id)


@pytest.fixture
def town_settings() -> dict:
    """Settings a test gives its live town (override with @pytest.mark.parametrize)."""
    return {}


@pytest.fixture
def town(database_url, tmp_path, town_settings):
    """Vitrine served over real HTTP with a Stripe emulator of its own (see tests/payments/town.py)."""
    from tests.payments.town import open_town

    with open_town(database_url, tmp_path, town_settings) as live:
        yield live
