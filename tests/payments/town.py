"""A live Vitrine for the payment stories: the app served over real HTTP with its own Stripe emulator.

Stripe's webhooks reach the app through its socket, as in production; a test waits for their
effects on the `stripe_event_applied` signal, never by sleeping.
"""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from email.header import decode_header, make_header
from pathlib import Path

import stripe
from sqlalchemy import select
from werkzeug.serving import make_server

from marketplace.app import create_app
from marketplace.extensions import db, limiter
from marketplace.mail import mail_delivered
from marketplace.orders.models import Checkout
from payments.emulator.process import EmulatorProcess
from payments.signals import stripe_event_applied
from tests.conftest import BrowserClient, _empty_tables, alerts, outbox, page_text, post_form
from tests.factories import login, make_product, make_shop, make_user
from tests.orders.helpers import checkout_form, in_english, slot_keys
from tests.payments.conftest import pay

API_KEY = "sk_test_vitrine_town"
WEBHOOK_SECRET = "whsec_test_vitrine_town"
VISA = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"
THREE_D_SECURE = "4000 0025 0000 3155"


@dataclass
class Applied:
    """A webhook event the app committed."""

    event_id: str
    event_type: str
    object_id: str | None
    outcome: str


class LiveTown:
    """The app behind a real HTTP server, its Stripe emulator, and the steps of the stories."""

    def __init__(self, app, server, emulator: EmulatorProcess) -> None:
        self.app, self.server, self.emulator = app, server, emulator
        self.url = f"http://127.0.0.1:{server.server_port}"
        self.applied: list[Applied] = []
        self.mailed: list[tuple[str, str]] = []  # (address, subject) of each email delivered
        self._changed = threading.Condition()

    @property
    def stripe(self) -> stripe.StripeClient:
        """A StripeClient looking at the emulator, to check what Stripe holds."""
        return stripe.StripeClient(API_KEY, base_addresses={"api": self.emulator.url})

    def webhooks_to(self, url: str) -> None:
        """Send Stripe's webhooks to `url` instead of the app (a lost delivery, from our side)."""
        self.emulator.add_webhook("default", url, WEBHOOK_SECRET)

    def webhooks_to_app(self) -> None:
        """Send Stripe's webhooks to the app's endpoint."""
        self.webhooks_to(f"{self.url}/payments/stripe/webhook")

    def _record(self, sender, **event) -> None:
        with self._changed:
            self.applied.append(Applied(**event))
            self._changed.notify_all()

    def _record_mail(self, sender, to: str, subject: str) -> None:
        with self._changed:
            self.mailed.append((to, subject))
            self._changed.notify_all()

    def wait_for_mail(self, address: str, subject: str, timeout: float = 15) -> None:
        """Wait until an email to `address` with this subject has been delivered.

        After a payment, whichever of the return page and the webhook comes second reports the
        event applied ("already paid") while the first may still be sending its emails."""
        with self._changed:
            found = self._changed.wait_for(lambda: (address, subject) in self.mailed, timeout)
        assert found, f"no email {subject!r} to {address}; sent: {self.mailed}"

    def wait_for(self, event_type: str, object_id: str, timeout: float = 15) -> Applied:
        """Wait until the app has applied Stripe's `event_type` about `object_id` (consumed)."""

        def find():
            return next(
                (a for a in self.applied if (a.event_type, a.object_id) == (event_type, object_id)),
                None,
            )

        with self._changed:
            found = self._changed.wait_for(find, timeout)
            assert found, f"{event_type} for {object_id} never applied; applied: {self.applied}"
            self.applied.remove(found)
        db.session.expire_all()  # what the test reads next comes from the database
        return found

    def restart_emulator(self) -> None:
        """Start a new emulator on the same port (its memory is empty), webhooks to the app."""
        port = int(self.emulator.url.rsplit(":", 1)[1])
        self.emulator.stop()
        self.emulator = _emulator(port)
        self.webhooks_to_app()

    def browser(self, user=None) -> BrowserClient:
        """An English-speaking browser, logged in as `user` if given."""
        client = in_english(self.app.test_client())
        if user is not None:
            login(client, user)
        return client

    def cli(self, *args: str):
        """Run `flask <args>` on the app and return the click result."""
        return self.app.test_cli_runner().invoke(args=list(args))

    def connected_shop(self, name: str, products: dict[str, tuple[int, int]], **values):
        """A published shop whose Stripe account is onboarded, and its {name: (price, stock)}."""
        shop = make_shop(name=name, slot_capacity=50, prep_minutes=0, **values)
        account = self.stripe.v1.accounts.create({"type": "express", "country": "FR"})
        shop.stripe_account_id = account.id
        made = [make_product(shop, n, price, stock=stock) for n, (price, stock) in products.items()]
        self.emulator.set_account(account.id, charges_enabled=True, payouts_enabled=True)
        self.wait_for("account.updated", account.id)
        assert db.session.get(type(shop), shop.id).payouts_enabled
        return shop, made


def resident(email: str = "camille@example.org", name: str = "Camille"):
    """A resident who reads Vitrine in English."""
    user = make_user(email, name=name)
    user.locale = "en"
    db.session.commit()
    return user


def fill_cart(client, items: dict) -> None:
    """Put {product: quantity} in the browser's cart."""
    for product, quantity in items.items():
        added = post_form(
            client, "/cart/add", {"product_id": product.id, "quantity": quantity}, "/cart/"
        )
        assert added.status_code == 303


def check_out(client, method: str = "online"):
    """Take the first pickup time at each shop and place the order, paying `method`."""
    slots = slot_keys(client.get("/checkout").get_data(as_text=True))
    return client.post("/checkout", data={**checkout_form(client), "method": method, **slots})


def three_shop_cart(town: LiveTown):
    """Camille's browser with bread (2 x 4,50), brie (12,90) and honey (9,90) from three shops."""
    _, (bread,) = town.connected_shop("Boulangerie Moreau", {"Pain au levain": (450, 10)})
    _, (brie,) = town.connected_shop(
        "Fromagerie Oberkampf", {"Brie de Meaux": (1290, 5)}, category="fromagerie"
    )
    _, (honey,) = town.connected_shop(
        "Épicerie Lune", {"Miel de lavande": (990, 3)}, category="épicerie"
    )
    browser = town.browser(resident())
    fill_cart(browser, {bread: 2, brie: 1, honey: 1})
    return browser, (bread, brie, honey)


def paid_cart(town: LiveTown):
    """The three-shop cart paid by card; returns the browser and the confirmed checkout."""
    browser, _ = three_shop_cart(town)
    sent = check_out(browser)
    assert sent.status_code == 303
    checkout = last_checkout()
    assert pay(sent.headers["Location"], VISA).status_code == 303
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)
    checkout = db.session.get(Checkout, checkout.id)
    assert [o.status for o in checkout.orders] == ["confirmed"] * 3
    return browser, checkout


def counter_page(order) -> str:
    """The shop's page for `order` on its board."""
    return f"/merchant/shops/{order.shop.slug}/orders/{order.id}"


def hand_over(town: LiveTown, order) -> None:
    """The shopkeeper prepares the order, then hands it over against its pickup code."""
    counter, page = town.browser(order.shop.owner), counter_page(order)
    assert post_form(counter, f"{page}/ready", token_from=page).status_code == 303
    collected = post_form(counter, f"{page}/collect", {"code": order.pickup_code}, page)
    assert collected.status_code == 303, page_text(collected)[:1000]
    db.session.expire_all()


def refund_token(client, page: str) -> str:
    """The one-time token of the refund form on `page`, as the browser would send it back."""
    match = re.search(r'name="refund_token" value="([^"]+)"', client.get(page).get_data(True))
    assert match, f"no refund form on {page}"
    return match.group(1)


def refund_at_counter(town: LiveTown, order, amount: str, reason: str):
    """The shopkeeper gives back `amount` (as typed, e.g. "3,00") of a collected order."""
    counter, page = town.browser(order.shop.owner), counter_page(order)
    form = {"amount": amount, "reason": reason, "refund_token": refund_token(counter, page)}
    done = post_form(counter, f"{page}/refund", form, page)
    assert done.status_code == 303
    db.session.expire_all()
    return alerts(counter.get(page))


def last_checkout() -> Checkout:
    """The latest checkout, read from the database."""
    db.session.expire_all()
    return db.session.scalars(select(Checkout).order_by(Checkout.id.desc())).first()


def statuses(checkout: Checkout) -> list[str]:
    """The statuses of the checkout's orders, read from the database."""
    db.session.expire_all()
    return [o.status for o in db.session.get(Checkout, checkout.id).orders]


def subjects_to(app, address: str) -> list[str]:
    """The subjects of the emails sent to `address`, decoded, sorted."""
    mails = [m.split("\n") for m in outbox(app) if m.startswith(f"To: {address}\n")]
    return sorted(str(make_header(decode_header(m[1].removeprefix("Subject: ")))) for m in mails)


def _emulator(port: int = 0) -> EmulatorProcess:
    emulator = EmulatorProcess(port=port, extra_args=("--webhook-backoff", "0.05"))
    emulator.start()
    return emulator


@contextmanager
def open_town(database_url: str, tmp_path: Path, settings: dict):
    """Serve a fresh app on the test database, with a Stripe emulator of its own."""
    emulator, town = _emulator(), None
    try:
        app = create_app(
            "testing",
            {
                "SQLALCHEMY_DATABASE_URI": database_url,
                "INSTANCE_PATH": str(tmp_path / "instance"),
                "UPLOAD_DIR": str(tmp_path / "uploads"),
                "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
                "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
                "STRIPE_SECRET_KEY": API_KEY,
                "STRIPE_API_BASE": emulator.url,
                "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
                **settings,
            },
        )
        app.test_client_class = BrowserClient
        town = LiveTown(app, make_server("127.0.0.1", 0, app, threaded=True), emulator)
        app.config["BASE_URL"] = town.url  # return pages and links point at the live server
        stripe_event_applied.connect(town._record, app)
        mail_delivered.connect(town._record_mail, app)
        threading.Thread(target=town.server.serve_forever, daemon=True, name="live-app").start()
        town.webhooks_to_app()
        with app.app_context():
            try:
                yield town
            finally:
                town.emulator.stop()  # no more webhooks
                town.server.shutdown()
                db.session.remove()
                _empty_tables()
                db.engine.dispose()
    finally:
        (town.emulator if town else emulator).stop()
        if town is not None:
            town.server.server_close()
            stripe_event_applied.disconnect(town._record, town.app)
            mail_delivered.disconnect(town._record_mail, town.app)
        limiter.reset()
