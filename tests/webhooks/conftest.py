"""Fixtures of the webhook tests: a real HTTP receiver on this machine, a shop with an endpoint."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from marketplace.extensions import db
from marketplace.webhooks.models import EVENTS
from marketplace.webhooks.services import register_endpoint
from tests.factories import make_shop
from tests.orders.helpers import set_hours


@dataclass
class Received:
    """One request the receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A shop's software: answers each POST with the next of `answers` (then 200), keeps them."""

    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    always: int | None = None  # answer this to every request

    @property
    def types(self) -> list[str]:
        return [r.event["type"] for r in self.received]


@pytest.fixture
def receiver():
    """A threaded http.server on 127.0.0.1 that records what it receives."""
    box: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            me = box["receiver"]
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            me.received.append(Received(self.path, dict(self.headers.items()), body))
            status = me.always or (me.answers.pop(0) if me.answers else 200)
            reply = b'{"received": true}' if status < 300 else b"Internal error: till offline"
            self.send_response(status)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args) -> None:  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box["receiver"] = Receiver(f"http://127.0.0.1:{server.server_address[1]}/hooks/vitrine")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box["receiver"]
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def shop(app):
    """A cheese shop open all week, orders prepared at once."""
    shop = make_shop(name="Fromagerie B", category="fromagerie", prep_minutes=0)
    shop.payouts_enabled = True  # so that an unpaid online checkout is possible
    set_hours(shop)
    return shop


@pytest.fixture
def endpoint(app, shop, receiver):
    """The shop's till, subscribed to every event."""
    endpoint = register_endpoint(shop, receiver.url, list(EVENTS), allow_local=True)
    db.session.commit()
    return endpoint
