"""The emulator's aiohttp application: middlewares, localstripe's routes and ours, startup."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from localstripe import resources as ls
from localstripe import server as lss
from localstripe.errors import UserError

from . import balances, checkout, connect, disputes, events, faults, hosted, refunds, transfers
from .compat import Clock, api_key, install
from .idempotency import idempotency_middleware

log = logging.getLogger("stripe_emulator")
OVERRIDDEN = {
    ("POST", "/v1/refunds"),
    ("GET", "/v1/events"),
    ("GET", "/v1/balance"),
    ("GET", "/v1/balance_transactions"),
}


def _stripe_error(status: int, error_type: str, message: str) -> web.Response:
    body = {"error": {"type": error_type, "message": message}}
    return lss.json_response(body, status=status)


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


async def healthz(request: web.Request) -> web.Response:
    """GET /healthz."""
    return lss.json_response({"status": "ok", "emulator": "stripe", "now": Clock.now()})


async def advance_clock(request: web.Request) -> web.Response:
    """POST /_config/clock (seconds=N): move expiry time forward by N seconds."""
    data = await lss.get_post_data(request) or {}
    return lss.json_response({"now": Clock.advance(int(data.get("seconds", 0)))})


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
    ("GET", "/v1/disputes", disputes.list_disputes),
    ("GET", "/v1/disputes/{id}", disputes.retrieve),
    ("POST", "/v1/disputes/{id}", disputes.update),
    ("POST", "/v1/disputes/{id}/close", disputes.accept),
    ("GET", "/v1/balance", balances.retrieve_balance),
    ("GET", "/v1/balance_transactions", balances.list_transactions),
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
    ("POST", "/_config/accounts/{id}/capabilities", connect.set_capabilities),
    ("POST", "/_config/accounts/{id}/payout", balances.pay_out),
    ("POST", "/_config/funds", balances.set_funds_delay),
    ("POST", "/_config/charges/{id}/dispute", disputes.control_open),
    ("POST", "/_config/disputes/{id}", disputes.control_update),
    ("POST", "/_config/disputes/{id}/close", disputes.control_close),
    ("POST", "/_config/delivery", events.set_delivery),
    ("POST", "/_config/delivery/release", events.release),
    ("POST", "/_config/hang", faults.hang),
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
    app = web.Application(
        middlewares=[
            errors_middleware,
            faults.hang_middleware,  # outside the key check: a hung Stripe answers nothing
            auth_middleware,
            idempotency_middleware,
        ]
    )
    for method, url, handler in ROUTES:
        app.router.add_route(method, url, handler)
    _localstripe_routes(app.router)
    app.cleanup_ctx.append(_background)
    return app
