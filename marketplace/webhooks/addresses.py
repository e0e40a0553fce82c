"""Which URLs a webhook may go to: HTTPS on a public address, so that no shopkeeper can make
the server call into its own network (SSRF). Local receivers are allowed only when
WEBHOOK_ALLOW_LOCAL is on (development and the tests)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

MAX_URL_LENGTH = 500
# Names that never lead to the public internet.
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")


class UnsafeUrl(ValueError):
    """The URL cannot receive webhooks; `code` says why (webhooks.views shows a message)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_url(url: str, allow_local: bool) -> str:
    """Return the URL, trimmed, if a webhook may be sent there; raise UnsafeUrl otherwise."""
    url = (url or "").strip()
    if not url or len(url) > MAX_URL_LENGTH:
        raise UnsafeUrl("length")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeUrl("malformed") from error
    if parts.scheme not in (("https", "http") if allow_local else ("https",)):
        raise UnsafeUrl("scheme")
    if parts.username or parts.password or parts.fragment:
        raise UnsafeUrl("malformed")
    host = (parts.hostname or "").rstrip(".")
    if not host or any(c.isspace() for c in url):
        raise UnsafeUrl("malformed")
    if port == 0:
        raise UnsafeUrl("malformed")
    if not allow_local:
        if host == "localhost" or host.endswith(LOCAL_SUFFIXES) or "." not in host:
            raise UnsafeUrl("private")
        literal = _ip(host)
        if literal is not None and not literal.is_global:
            raise UnsafeUrl("private")
    return url


def resolve(host: str, port: int, allow_local: bool) -> str:
    """Return the address to connect to for `host`; UnsafeUrl if any of its addresses is private.

    Checked at each delivery, not only at registration: a name may later point inside.
    The caller connects to this very address, so a second lookup cannot change it.
    """
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeUrl("unknown_host") from error
    addresses = [str(info[4][0]) for info in found]
    if not addresses:
        raise UnsafeUrl("unknown_host")
    if not allow_local and any(not ipaddress.ip_address(a).is_global for a in addresses):
        raise UnsafeUrl("private")
    return addresses[0]


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
