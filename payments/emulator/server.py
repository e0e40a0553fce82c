"""The emulator's aiohttp application: middlewares, localstripe's routes and ours, startup."""

from __future__ import annotations

import asyncio
import base64
import json
import logging

from aiohttp import web
from localstripe import resources as ls
from localstripe import server as lss
from localstripe.errors import UserError

from . import checkout, connect, events, hosted, refunds, transfers
from .charges import Dispute
from .compat import Clock, fetch, install

log = logging.getLogger("stripe_emulator")
OVERRIDDEN = {("POST", "/v1/refunds"), ("GET", "/v1/events")}
_idempotent: dict[tuple[str, str], dict] = {}
_in_flight: set[tuple[str, str]] = set()
MAX_KEYS = 20000


def _stripe_error(status: int, error_type: str, message: str) -> web.Response:
    body = {"error": {"type": error_type, "message": message}}
    return lss.json_response(body, status=status)


def api_key(request: web.Request) -> str | None:
    """Return the secret key of a request (Bearer or Basic auth), if it looks like sk_..."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme == "Basic":
        value = base64.b64decode(value.encode()).decode(errors="replace").split(":")[0]
    elif scheme != "Bearer":
        return None
    return value if value.startswith(("sk_", "rk_")) and len(value) > 5 else None


@web.middleware
async def errors_middleware(request: web.Request, handler):
    """Turn every failure into Stripe's error body."""
    try:
        return await handler(request)
    except UserError as exc:
        return exc.to_response()
    except web.HTTPNotFound:
        if not request.path.startswith("/v1/"):
            raise
        return _stripe_error(
            404,
            "invalid_request_error",
            f"Unrecognized request URL ({request.method}: {request.path}).",
        )
    except web.HTTPMethodNotAllowed:
        return _stripe_error(
            405,
            "invalid_request_error",
            f"Unrecognized request URL ({request.method}: {request.path}).",
        )
    except web.HTTPException:
        raise
    except Exception:
        log.exception("emulator error on %s %s", request.method, request.path)
        return _stripe_error(500, "api_error", "The Stripe emulator failed; see its log.")


@web.middleware
async def auth_middleware(request: web.Request, handler):
    """Require a secret key (any sk_...) on the API, as Stripe does; pages are public."""
    if request.path.startswith("/v1/") and api_key(request) is None:
        return _stripe_error(
            401, "invalid_request_error", "You did not provide a valid API key (sk_test_...)."
        )
    return await handler(request)


@web.middleware
async def idempotency_middleware(request: web.Request, handler):
    """Replay the first response for a repeated Idempotency-Key with the same parameters."""
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or not key or not request.path.startswith("/v1/"):
        return await handler(request)
    slot = (api_key(request) or "", key)
    params = json.dumps(await lss.get_post_data(request, remove_auth=False) or {}, sort_keys=True)
    saved = _idempotent.get(slot)
    if saved is not None:
        if saved["path"] != request.path or saved["params"] != params:
            return _stripe_error(
                400,
                "idempotency_error",
                f"Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{key}' if you meant to "
                f"execute a different request.",
            )
        return web.Response(
            body=saved["body"],
            status=saved["status"],
            content_type="application/json",
            headers={"Idempotent-Replayed": "true", "Idempotency-Key": key},
        )
    if slot in _in_flight:
        return _stripe_error(
            409,
            "idempotency_error",
            "There is currently another in-progress request using this "
            "Stripe token or idempotency key.",
        )
    _in_flight.add(slot)
    try:
        try:
            response = await handler(request)
        except UserError as exc:
            response = exc.to_response()
    finally:
        _in_flight.discard(slot)
    if 200 <= response.status < 300 or response.status == 402:
        if len(_idempotent) >= MAX_KEYS:  # Stripe keeps keys 24 h; we keep the latest ones
            for old in list(_idempotent)[: MAX_KEYS // 2]:
                del _idempotent[old]
        _idempotent[slot] = {
            "path": request.path,
            "params": params,
            "status": response.status,
            "body": response.body,
        }
    response.headers["Idempotency-Key"] = key
    return response


async def healthz(request: web.Request) -> web.Response:
    """GET /healthz."""
    return lss.json_response({"status": "ok", "emulator": "stripe", "now": Clock.now()})


async def advance_clock(request: web.Request) -> web.Response:
    """POST /_config/clock (seconds=N): move expiry time forward by N seconds."""
    data = await lss.get_post_data(request) or {}
    return lss.json_response({"now": Clock.advance(int(data.get("seconds", 0)))})


def retrieve_dispute(request: web.Request) -> web.Response:
    """GET /v1/disputes/{id}."""
    return lss.json_response(fetch(Dispute, request.match_info["id"], name="dispute")._export())


ROUTES = [
    ("GET", "/healthz", healthz),
    ("POST", "/v1/checkout/sessions", checkout.create),
    ("GET", "/v1/checkout/sessions", checkout.list_sessions),
    ("GET", "/v1/checkout/sessions/{id}", checkout.retrieve),
    ("POST", "/v1/checkout/sessions/{id}/expire", checkout.expire),
    ("GET", "/v1/checkout/sessions/{id}/line_items", checkout.line_items),
    ("POST", "/v1/accounts", connect.create_account),
    ("GET", "/v1/accounts", connect.list_accounts),
    ("GET", "/v1/accounts/{id}", connect.retrieve_account),
    ("POST", "/v1/accounts/{id}", connect.update_account),
    ("POST", "/v1/account_links", connect.create_link),
    ("POST", "/v1/transfers", transfers.create),
    ("GET", "/v1/transfers", transfers.list_transfers),
    ("GET", "/v1/transfers/{id}", transfers.retrieve),
    ("POST", "/v1/transfers/{id}", transfers.update),
    ("POST", "/v1/transfers/{id}/reversals", transfers.reverse),
    ("GET", "/v1/transfers/{id}/reversals", transfers.list_reversals),
    ("GET", "/v1/transfers/{id}/reversals/{reversal}", transfers.retrieve_reversal),
    ("POST", "/v1/refunds", refunds.create),
    ("GET", "/v1/events", events.list_events),
    ("GET", "/v1/disputes/{id}", retrieve_dispute),
    ("GET", "/c/pay/{id}", hosted.show_checkout),
    ("POST", "/c/pay/{id}", hosted.pay),
    ("GET", "/c/pay/{id}/authenticate", hosted.show_authentication),
    ("POST", "/c/pay/{id}/authenticate", hosted.authenticate),
    ("GET", "/express/onboarding/{token}", hosted.show_onboarding),
    ("POST", "/express/onboarding/{token}", hosted.onboard),
    ("POST", "/_config/webhooks/{id}", lss.config_webhook),
    ("POST", "/_config/events/{id}/resend", events.resend),
    ("GET", "/_config/deliveries", events.deliveries),
    ("POST", "/_config/clock", advance_clock),
    ("POST", "/_config/accounts/{id}", connect.set_state),
]
LOCALSTRIPE = (
    ls.BalanceTransaction,
    ls.Charge,
    ls.Customer,
    ls.Event,
    ls.PaymentIntent,
    ls.PaymentMethod,
    ls.Payout,
    ls.Product,
    ls.Refund,
    ls.SetupIntent,
)


def _localstripe_routes(router: web.UrlDispatcher) -> None:
    """Register localstripe's own routes, but not the ones the emulator replaces."""
    for method, url, func in ls.extra_apis:
        if (method, url) not in OVERRIDDEN:
            router.add_route(method, url, lss.api_extra(func, url))
    factories = (
        ("POST", "s", lss.api_create),
        ("GET", "s/{id}", lss.api_retrieve),
        ("POST", "s/{id}", lss.api_update),
        ("GET", "s", lss.api_list_all),
    )
    for cls in LOCALSTRIPE:
        for method, suffix, factory in factories:
            url = f"/v1/{cls.object}{suffix}"
            if (method, url) not in OVERRIDDEN:
                router.add_route(method, url, factory(cls, url))


async def _background(app: web.Application):
    tasks = [
        asyncio.ensure_future(events.deliver_forever(app)),
        asyncio.ensure_future(checkout.expire_forever(app)),
    ]
    yield
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def create_app() -> web.Application:
    """Build the emulator's web application (state lives in memory, in localstripe's store)."""
    install(events.publish)
    app = web.Application(middlewares=[errors_middleware, auth_middleware, idempotency_middleware])
    for method, url, handler in ROUTES:
        app.router.add_route(method, url, handler)
    _localstripe_routes(app.router)
    app.cleanup_ctx.append(_background)
    return app
