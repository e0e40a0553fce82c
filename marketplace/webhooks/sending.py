"""One HTTP POST of a signed event to an endpoint, with a bounded wait and a bounded read.

The standard library's http.client is used so that the connection goes to the address that
addresses.resolve checked (no second DNS lookup), while TLS still checks the certificate of the
name. Redirects are not followed: an answer other than 2xx is a failure.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from marketplace.webhooks.addresses import UnsafeUrl, resolve
from marketplace.webhooks.signing import SIGNATURE_HEADER, signature_header

EXCERPT_CHARS = 500
READ_LIMIT = 64 * 1024  # the rest of a long answer is not read
USER_AGENT = "Vitrine-Webhooks/1.0"


@dataclass(frozen=True)
class Outcome:
    """What one attempt gave: the HTTP status (None: no answer), how long, what was said."""

    status: int | None
    duration_ms: int
    excerpt: str

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]  # http.client keeps it private


def post_event(
    url: str,
    secret: str,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    allow_local: bool,
    now: int,
) -> Outcome:
    """POST `body` signed at time `now` to `url`; never raises for a network or HTTP problem."""
    started = time.monotonic()
    parts = urlsplit(url)
    https = parts.scheme == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if https else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection: http.client.HTTPConnection | None = None
    try:
        address = resolve(host, port, allow_local)
        kind = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
        connection = kind(host, port, address, timeout)
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": USER_AGENT,
                SIGNATURE_HEADER: signature_header(secret, now, body),
            },
        )
        response = connection.getresponse()
        text = response.read(READ_LIMIT).decode("utf-8", "replace")
        return Outcome(response.status, _since(started), text[:EXCERPT_CHARS])
    except UnsafeUrl as refused:
        return Outcome(None, _since(started), f"refused: {refused.code}")
    except (OSError, http.client.HTTPException) as error:
        return Outcome(None, _since(started), f"{type(error).__name__}: {error}"[:EXCERPT_CHARS])
    finally:
        if connection is not None:
            connection.close()


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
