"""A verified webhook event, checked against who we are before any handler trusts it.

A correct signature proves Stripe sent the body, not that it is about our platform: an event
of a connected account, of live mode on a test deployment (or the reverse), or a body that is
not an event at all must be answered without touching our records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# Events about our own objects (sessions, payment intents, charges, disputes) are the
# platform's; an event that carries a connected account's id is about that account's objects.
ACCOUNT_EVENTS = frozenset({"account.updated"})


@dataclass
class Outcome:
    """What applying an event did, and what to do once it is committed."""

    summary: str
    confirmed: list = field(default_factory=list)  # orders confirmed: emails to send
    refunds: list[int] = field(default_factory=list)  # ledger entry ids to execute
    disputes: list[int] = field(default_factory=list)  # dispute ids touched: release held transfers
    notices: list[int] = field(default_factory=list)  # dispute ids whose news to send


def id_of(value) -> str | None:
    """An expandable Stripe field: an id string, or the embedded object (its id)."""
    if value is None or isinstance(value, str):
        return value
    try:
        found = value["id"]  # a dict, or a StripeObject (which has no .get)
    except (KeyError, TypeError):
        return None
    return found if isinstance(found, str) else None


class MalformedEvent(ValueError):
    """The signed body is not a Stripe event (not an object, or no `data.object`)."""


@dataclass
class Incoming:
    """One event as our handlers see it: its type, object and envelope."""

    id: str
    type: str
    obj: Any
    account: str | None = None
    livemode: bool = False
    created: datetime | None = None
    fetched: dict[str, Any] = field(default_factory=dict)  # fresh objects read from Stripe


def parse_body(payload: bytes) -> dict:
    """The signed body as an event dict; raise MalformedEvent for anything else."""
    try:
        body = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedEvent("the body is not JSON") from error
    if not isinstance(body, dict):
        raise MalformedEvent("the body is not a JSON object")
    data = body.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise MalformedEvent("the event has no data.object")
    if not isinstance(body.get("id"), str) or not isinstance(body.get("type"), str):
        raise MalformedEvent("the event has no id or type")
    return body


def incoming_from(event) -> Incoming:
    """Build an Incoming from a verified event (a stripe.Event or a dict of the same shape)."""
    created = event.get("created")
    return Incoming(
        id=event["id"],
        type=event["type"],
        obj=event["data"]["object"],
        account=event.get("account"),
        livemode=bool(event.get("livemode", False)),
        created=datetime.fromtimestamp(created, UTC) if isinstance(created, int) else None,
    )


def live_key(secret_key: str | None) -> bool:
    """True when the deployment's secret key is a live one (events must then be live too)."""
    return bool(secret_key) and str(secret_key).startswith(("sk_live_", "rk_live_"))


def refusal(incoming: Incoming, secret_key: str | None) -> str | None:
    """Why this event is not ours to apply, or None when it is."""
    if incoming.livemode != live_key(secret_key):
        mode = "live" if incoming.livemode else "test"
        return f"{mode}-mode event refused by a {'live' if live_key(secret_key) else 'test'} deployment"
    object_id = incoming.obj.get("id") if isinstance(incoming.obj, dict) else None
    if incoming.type in ACCOUNT_EVENTS:
        if incoming.account != object_id:
            return f"account event of {incoming.account or 'the platform'} about {object_id}"
    elif incoming.account:
        return f"event of connected account {incoming.account} about its own objects"
    return None
