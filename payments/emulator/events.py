"""Events: Stripe's envelope, signed webhook delivery with retries, listing and re-sending."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import random
import time
from collections import deque

import aiohttp
from aiohttp import web
from localstripe import resources as ls
from localstripe.server import get_post_data, json_response, unflatten_data
from localstripe.webhooks import _webhooks, register_webhook

from .compat import fetch
from .errors import as_bool, as_int, reject_unknown

# The API version pinned by stripe==16.1.0 (stripe.api_version); events claim to use it.
API_VERSION = "2026-10-28.endive"

log = logging.getLogger("stripe_emulator.webhooks")


class Delivery:
    """Webhook delivery settings and state (one asyncio queue, in event order)."""

    attempts = 5  # first try + 4 retries
    backoff = 0.5  # seconds before the first retry, doubled each time
    timeout = 10.0
    queue: asyncio.Queue | None = None
    log: deque = deque(maxlen=500)
    # Faults for tests (POST /_config/delivery): hold events until released (all of them, or
    # only some types), send each one twice, release the held ones in a shuffled order.
    hold: bool | frozenset = False
    duplicate = False
    shuffle = False
    rng = random.Random()  # noqa: S311 (a reproducible shuffle, not a secret)
    held: list = []


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """Return the Stripe-Signature header value for payload signed at timestamp."""
    mac = hmac.new(secret.encode(), b"%d." % timestamp + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def emit(event_type: str, obj, previous: dict | None = None, account: str | None = None):
    """Create an Event of event_type holding a snapshot of obj, and queue its delivery."""
    event = ls.Event(event_type, obj)
    if previous:
        event.data["previous_attributes"] = previous
    if account:
        event.account = account
    publish(event)
    return event


def publish(event) -> None:
    """Complete the envelope of an Event (also localstripe's own) and queue its webhooks."""
    event.api_version = API_VERSION
    event.request = {"id": None, "idempotency_key": None}
    targets = [key for key, hook in _webhooks.items() if _wants(hook, event)]
    event.pending_webhooks = len(targets)
    event._failed = set()
    for target in targets:
        _enqueue(event, target, 1)


def _wants(hook, event) -> bool:
    return hook.events is None or event.type in hook.events or "*" in hook.events


def _enqueue(event, target: str, attempt: int, released: bool = False) -> None:
    if Delivery.queue is not None:
        Delivery.queue.put_nowait((event, target, attempt, released))


def _held_back(event) -> bool:
    hold = Delivery.hold
    return hold is True or (isinstance(hold, frozenset) and event.type in hold)


async def _post(session: aiohttp.ClientSession, event, target: str, attempt: int) -> bool:
    hook = _webhooks.get(target)
    if hook is None:
        return True
    payload = json.dumps(event._export(), indent=2).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Stripe-Signature": sign(payload, hook.secret, int(time.time())),
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks) stripe-emulator",
    }
    error = None
    try:
        async with session.post(hook.url, data=payload, headers=headers) as response:
            status = response.status
            await response.read()
    except (TimeoutError, aiohttp.ClientError) as exc:
        status, error = None, f"{type(exc).__name__}: {exc}"
    ok = status is not None and 200 <= status < 300
    Delivery.log.append(
        {
            "event": event.id,
            "type": event.type,
            "endpoint": target,
            "attempt": attempt,
            "status": status,
            "error": error,
            "at": int(time.time()),
        }
    )
    if ok:
        event._failed.discard(target)
        event.pending_webhooks = max(0, event.pending_webhooks - 1)
        log.info(
            "webhook %s %s -> %s delivered (attempt %d)", event.id, event.type, hook.url, attempt
        )
    else:
        event._failed.add(target)
        log.warning(
            "webhook %s %s -> %s failed (attempt %d): %s",
            event.id,
            event.type,
            hook.url,
            attempt,
            error or f"HTTP {status}",
        )
    return ok


async def _retry(session, event, target: str, attempt: int) -> None:
    await asyncio.sleep(Delivery.backoff * 2 ** (attempt - 2))
    if not await _post(session, event, target, attempt):
        _schedule_retry(session, event, target, attempt + 1)


def _schedule_retry(session, event, target: str, attempt: int) -> None:
    if attempt > Delivery.attempts:
        log.error(
            "webhook %s %s -> endpoint %s abandoned after %d attempts; list events to recover it",
            event.id,
            event.type,
            target,
            Delivery.attempts,
        )
        return
    task = asyncio.ensure_future(_retry(session, event, target, attempt))
    _background.add(task)
    task.add_done_callback(_background.discard)


_background: set = set()


async def deliver_forever(app: web.Application) -> None:
    """Deliver queued events in order; a failed delivery is retried aside with backoff."""
    Delivery.queue = asyncio.Queue()
    timeout = aiohttp.ClientTimeout(total=Delivery.timeout)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        while True:
            event, target, attempt, released = await Delivery.queue.get()
            if not released and _held_back(event):
                Delivery.held.append((event, target, attempt))
                continue
            copies = 2 if Delivery.duplicate and not released else 1
            for _ in range(copies):
                if not await _post(session, event, target, attempt):
                    _schedule_retry(session, event, target, attempt + 1)


def configure(url: str | None, secret: str | None, attempts: int, backoff: float) -> None:
    """Register the default webhook endpoint and the retry policy."""
    Delivery.attempts, Delivery.backoff = attempts, backoff
    if url:
        register_webhook("default", url, secret, None)


def list_events(request: web.Request) -> web.Response:
    """GET /v1/events: newest first, filtered by type, types[], created and delivery_success."""
    query = unflatten_data(request.query)
    reject_unknown(
        query, {"type", "types", "created", "delivery_success", "limit", "starting_after", "expand"}
    )
    events = [v for k, v in ls.store.items() if k.startswith("event:")][::-1]
    if query.get("type"):
        events = [e for e in events if _type_matches(e.type, query["type"])]
    if query.get("types"):
        events = [e for e in events if e.type in query["types"]]
    if "delivery_success" in query:
        wanted = as_bool(query["delivery_success"], "delivery_success")
        events = [
            e
            for e in events
            if (not getattr(e, "_failed", None) and not e.pending_webhooks) == wanted
        ]
    created = query.get("created")
    if isinstance(created, dict):
        for op, check in (
            ("gt", int.__gt__),
            ("gte", int.__ge__),
            ("lt", int.__lt__),
            ("lte", int.__le__),
        ):
            if op in created:
                bound = as_int(created[op], f"created[{op}]")
                events = [e for e in events if check(e.created, bound)]
    elif created is not None:
        events = [e for e in events if e.created == as_int(created, "created")]
    page = ls.List(
        "/v1/events", limit=query.get("limit"), starting_after=query.get("starting_after")
    )
    page._list = events
    return json_response(page._export())


def _type_matches(event_type: str, pattern: str) -> bool:
    if pattern.endswith("*"):
        return event_type.startswith(pattern[:-1])
    return event_type == pattern


async def resend(request: web.Request) -> web.Response:
    """POST /_config/events/{id}/resend: deliver an event again (duplicate-delivery tests)."""
    event = fetch(ls.Event, request.match_info["id"], name="event")
    targets = [key for key, hook in _webhooks.items() if _wants(hook, event)]
    event.pending_webhooks += len(targets)
    for target in targets:
        _enqueue(event, target, 1)
    return json_response({"id": event.id, "endpoints": targets})


def deliveries(request: web.Request) -> web.Response:
    """GET /_config/deliveries: the latest delivery attempts, newest last."""
    return json_response({"object": "list", "data": list(Delivery.log)})


async def set_delivery(request: web.Request) -> web.Response:
    """POST /_config/delivery (hold, hold_types[], duplicate, shuffle, seed): delivery faults."""
    data = await get_post_data(request) or {}
    reject_unknown(data, {"hold", "hold_types", "duplicate", "shuffle", "seed"})
    types = data.get("hold_types") or []
    if isinstance(types, str):
        types = [types]
    hold = as_bool(data.get("hold", False), "hold")
    Delivery.hold = frozenset(types) if types else hold
    Delivery.duplicate = as_bool(data.get("duplicate", False), "duplicate")
    Delivery.shuffle = as_bool(data.get("shuffle", False), "shuffle")
    if data.get("seed") not in (None, ""):
        Delivery.rng.seed(as_int(data["seed"], "seed"))
    return json_response(_delivery_state())


def _delivery_state() -> dict:
    hold = Delivery.hold
    return {
        "hold": hold is True,
        "hold_types": sorted(hold) if isinstance(hold, frozenset) else [],
        "duplicate": Delivery.duplicate,
        "shuffle": Delivery.shuffle,
        "held": len(Delivery.held),
    }


async def release(request: web.Request) -> web.Response:
    """POST /_config/delivery/release: deliver the held events now (twice, shuffled, if set).

    Answers the deliveries in the order they are about to be posted.
    """
    held, Delivery.held = Delivery.held, []
    if Delivery.duplicate:
        held = [item for item in held for _ in range(2)]
    if Delivery.shuffle:
        Delivery.rng.shuffle(held)
    for event, target, attempt in held:
        _enqueue(event, target, attempt, released=True)
    order = [{"event": e.id, "type": e.type, "endpoint": t} for e, t, _ in held]
    return json_response({"object": "list", "data": order})
