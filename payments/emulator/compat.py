"""Adapt localstripe to the emulator: memory-only store, current object shapes, a test clock."""

from __future__ import annotations

import base64
import time
from typing import Any

from localstripe import resources as ls

from .errors import missing


class Clock:
    """The emulator's notion of "now" for expiries; tests can move it forward."""

    offset = 0

    @classmethod
    def now(cls) -> int:
        """Return the current Unix time plus the test offset."""
        return int(time.time()) + cls.offset

    @classmethod
    def advance(cls, seconds: int) -> int:
        """Move the clock forward (expiries only; `created` stays real time)."""
        cls.offset += max(0, int(seconds))
        return cls.now()


class Settings:
    """Process-wide settings given on the command line."""

    public_url: str | None = None


def base_url(request) -> str:
    """Return the URL browsers use to reach the emulator (for hosted pages)."""
    return (Settings.public_url or f"{request.scheme}://{request.host}").rstrip("/")


def api_key(request) -> str | None:
    """Return the secret key of a request (Bearer or Basic auth), if it looks like sk_..."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme == "Basic":
        value = base64.b64decode(value.encode()).decode(errors="replace").split(":")[0]
    elif scheme != "Bearer":
        return None
    return value if value.startswith(("sk_", "rk_")) and len(value) > 5 else None


def fetch(cls: type[ls.StripeObject], object_id: Any, param: str = "id", name: str | None = None):
    """Return a stored object of class cls, or raise Stripe's resource_missing error."""
    obj = ls.store.get(f"{cls.object}:{object_id}") if isinstance(object_id, str) else None
    if obj is None:
        raise missing(name or cls.object, str(object_id), param)
    return obj


def stored(cls: type[ls.StripeObject]) -> list:
    """Return every stored object of class cls, oldest first."""
    prefix = cls.object + ":"
    return [value for key, value in ls.store.items() if key.startswith(prefix)]


def _export_payment_intent(original):
    def export(self, expand=None):
        obj = original(self, expand=expand)
        wanted = any(p.split(".")[0] == "latest_charge" for p in expand or [])
        charge = obj.get("latest_charge")
        if isinstance(charge, dict) and not wanted:
            obj["latest_charge"] = charge["id"]  # the current API shape: an expandable id
        return obj

    return export


_installed = False


def install(publish) -> None:
    """Patch localstripe once: no pickle file, PI.latest_charge as an id, our webhook delivery."""
    global _installed
    if _installed:
        return
    _installed = True
    ls.Store.dump_to_disk = lambda self: None
    ls.Store.try_load_from_disk = lambda self: None
    ls.PaymentIntent._export = _export_payment_intent(ls.PaymentIntent._export)
    ls.schedule_webhook = publish
