"""Real HTTP against a live town: a resident's browser (requests) and a line to Stripe that can hang.

The browser gives every request the acceptance's limit of 10 s: an answer later than that is a
failure (requests raises), which is a guard, not a timing measurement. The line sits between the
app and its Stripe emulator (STRIPE_API_BASE points at it); hung, it accepts the app's requests
and never answers, as a Stripe that is up but stuck does.
"""

from __future__ import annotations

import html
import re
import socket
import sqlite3
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from sqlalchemy import text

from marketplace.extensions import db
from tests.conftest import ALERT_RE, CSRF_RE
from tests.factories import PASSWORD
from tests.orders.helpers import slot_keys

ANSWER_WITHIN_SECONDS = 10  # the acceptance's limit for any page, the hung checkout included
HIDDEN_RE = re.compile(r'name="(csrf_token|checkout_token)" value="([^"]+)"')


class HttpBrowser:
    """A resident's browser talking to the live server over its socket."""

    def __init__(self, base_url: str, cookies=None) -> None:
        self.base = base_url
        self.http = requests.Session()
        self.http.headers["Accept-Language"] = "en"
        if cookies is not None:
            self.http.cookies.update(cookies)

    def get(self, path: str) -> requests.Response:
        """GET `path` (redirects not followed)."""
        return self.http.get(self._url(path), allow_redirects=False, timeout=ANSWER_WITHIN_SECONDS)

    def post(self, path: str, data: dict) -> requests.Response:
        """POST a form to `path` (redirects not followed)."""
        return self.http.post(
            self._url(path), data=data, allow_redirects=False, timeout=ANSWER_WITHIN_SECONDS
        )

    def _url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def csrf(self, path: str) -> str:
        """The CSRF token of the form on `path`."""
        match = CSRF_RE.search(self.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1) or match.group(2)

    def log_in(self, user) -> HttpBrowser:
        """Log in through the login form."""
        sent = self.post(
            "/account/login",
            {"csrf_token": self.csrf("/account/login"), "email": user.email, "password": PASSWORD},
        )
        assert sent.status_code == 302, sent.text[:500]
        return self

    def add_to_cart(self, items: dict) -> None:
        """Put {product: quantity} in the cart."""
        token = self.csrf("/cart/")
        for product, quantity in items.items():
            added = self.post(
                "/cart/add", {"csrf_token": token, "product_id": product.id, "quantity": quantity}
            )
            assert added.status_code == 303, added.text[:500]

    def checkout_form(self, method: str) -> dict:
        """The checkout form as the page gives it, first pickup time at each shop, `method` chosen."""
        page = self.get("/checkout").text
        return {**dict(HIDDEN_RE.findall(page)), **slot_keys(page), "method": method}

    def tab(self) -> HttpBrowser:
        """Another connection of the same browser (same cookies), for simultaneous requests."""
        return HttpBrowser(self.base, self.http.cookies)


def alerts_of(response: requests.Response) -> list[tuple[str, str]]:
    """The flashed messages on a page, as (category, text)."""
    return [(c, html.unescape(t)) for c, t in ALERT_RE.findall(response.text)]


def path_of(response: requests.Response) -> str:
    """The path (and query) a redirect points to."""
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class HungRequest:
    """A request the line swallowed: its request line and its Idempotency-Key header."""

    request_line: str
    idempotency_key: str | None


@dataclass
class StripeLine:
    """A TCP relay to the Stripe emulator that can hang: accept, read, never answer."""

    upstream: str = ""  # the emulator's base URL, set once it runs
    hanging: bool = False
    hung: list[HungRequest] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _sockets: list[socket.socket] = field(default_factory=list)

    def __enter__(self) -> StripeLine:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True, name="stripe-line").start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.close()
        for sock in list(self._sockets):
            sock.close()

    def hang(self) -> None:
        """From now on, requests reach nobody and get no answer."""
        self.hanging = True

    def restore(self) -> None:
        """Relay requests to Stripe again."""
        self.hanging = False

    def wait_for_hung(self, count: int, timeout: float = ANSWER_WITHIN_SECONDS) -> None:
        """Wait until `count` requests have been swallowed."""
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.hung) >= count, timeout), self.hung

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return  # closed
            self._sockets.append(client)
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        upstream = None
        try:
            while chunk := client.recv(65536):
                if self.hanging:
                    self._swallow(chunk)
                    continue
                if upstream is None:
                    host, port = urlsplit(self.upstream).netloc.split(":")
                    upstream = socket.create_connection((host, int(port)))
                    self._sockets.append(upstream)
                    threading.Thread(
                        target=self._pipe, args=(upstream, client), daemon=True
                    ).start()
                upstream.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    sock.close()

    def _swallow(self, chunk: bytes) -> None:
        head = chunk.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        lines = head.split("\r\n")
        if not re.match(r"(GET|POST|DELETE) ", lines[0]):
            return  # the body of a request already counted
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        with self._changed:
            self.hung.append(HungRequest(lines[0], headers.get("Idempotency-Key")))
            self._changed.notify_all()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                target.sendall(chunk)
        except OSError:
            pass


def assert_rows_unlocked(shops, products) -> None:
    """Prove that no transaction holds these rows: lock them without waiting, then let go."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            for table, rows in (("shops", shops), ("products", products)):
                conn.execute(
                    text(f"SELECT id FROM {table} WHERE id = ANY(:ids) FOR UPDATE NOWAIT"),  # noqa: S608
                    {"ids": [row.id for row in rows]},
                )
            conn.rollback()
        return
    # SQLite locks the whole database for a writer: take the write lock at once or fail.
    conn = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    finally:
        conn.close()
