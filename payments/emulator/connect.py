"""Stripe Connect: Express accounts, account links and the onboarding they lead to."""

from __future__ import annotations

import secrets
from typing import Any

from aiohttp import web
from localstripe import resources as ls
from localstripe.server import get_post_data, json_response, unflatten_data

from .compat import Clock, base_url, fetch, stored
from .errors import as_bool, as_metadata, invalid, need, reject_unknown
from .events import emit

ACCOUNT_PARAMS = {
    "type",
    "country",
    "email",
    "capabilities",
    "business_type",
    "business_profile",
    "metadata",
    "controller",
    "default_currency",
}
DUE = [
    "business_profile.mcc",
    "business_profile.url",
    "external_account",
    "representative.first_name",
    "representative.last_name",
    "tos_acceptance.date",
    "tos_acceptance.ip",
]
LINK_LIFETIME = 300  # seconds, as Stripe's account links


def _requirements(due: list[str]) -> dict:
    return {
        "alternatives": [],
        "current_deadline": None,
        "currently_due": list(due),
        "disabled_reason": "requirements.past_due" if due else None,
        "errors": [],
        "eventually_due": list(due),
        "past_due": list(due),
        "pending_verification": [],
    }


class Account(ls.StripeObject):
    """A connected account (the shop's), created not yet able to receive money."""

    object = "account"
    _id_prefix = "acct_"

    def __init__(self, data: dict):
        reject_unknown(data, ACCOUNT_PARAMS)
        account_type = data.get("type") or "express"
        if account_type not in ("express", "standard", "custom"):
            raise invalid("Invalid type: must be one of express, standard or custom", "type")
        requested = data.get("capabilities") or {}
        if not isinstance(requested, dict):
            raise invalid("Invalid capabilities", "capabilities")
        metadata = as_metadata(data.get("metadata"))
        super().__init__()
        self.type = account_type
        self.country = (data.get("country") or "FR").upper()
        self.email = data.get("email")
        self.business_type = data.get("business_type")
        self.business_profile = {
            "mcc": None,
            "name": None,
            "url": None,
            "product_description": None,
            "support_email": None,
            **(data.get("business_profile") or {}),
        }
        names = [
            name
            for name, value in requested.items()
            if isinstance(value, dict) and as_bool(value.get("requested", False), name)
        ] or ["transfers"]
        self.capabilities = dict.fromkeys(names, "inactive")
        self.charges_enabled = self.payouts_enabled = self.details_submitted = False
        self.default_currency = data.get("default_currency") or "eur"
        self.metadata = metadata
        self.requirements = _requirements(DUE)
        self.future_requirements = _requirements([])
        self.controller = {
            "type": "application",
            "is_controller": True,
            "stripe_dashboard": {"type": account_type},
        }
        self.settings = {"payouts": {"schedule": {"delay_days": 7, "interval": "daily"}}}
        self.tos_acceptance: dict[str, Any] = {"date": None, "ip": None, "user_agent": None}
        self.external_accounts = {
            "object": "list",
            "data": [],
            "has_more": False,
            "url": f"/v1/accounts/{self.id}/external_accounts",
        }

    def _set_enabled(self, charges: bool, payouts: bool, submitted: bool | None = None) -> None:
        previous = {
            "charges_enabled": self.charges_enabled,
            "payouts_enabled": self.payouts_enabled,
            "details_submitted": self.details_submitted,
            "capabilities": dict(self.capabilities),
            "requirements": dict(self.requirements),
        }
        self.charges_enabled, self.payouts_enabled = charges, payouts
        if submitted is not None:
            self.details_submitted = submitted
        state = "active" if payouts else "inactive"
        self.capabilities = dict.fromkeys(self.capabilities, state)
        self.requirements = _requirements([] if payouts else DUE)
        if self.details_submitted and payouts:
            self.tos_acceptance = {"date": Clock.now(), "ip": "127.0.0.1", "user_agent": None}
            self.external_accounts["data"] = [
                {"object": "bank_account", "country": "FR", "currency": "eur", "last4": "3000"}
            ]
        emit("account.updated", self, previous=previous, account=self.id)

    def _onboard(self) -> None:
        self._set_enabled(True, True, True)


_links: dict[str, dict] = {}


async def create_account(request: web.Request) -> web.Response:
    """POST /v1/accounts."""
    data = await get_post_data(request) or {}
    expand = data.pop("expand", None)
    return json_response(Account(data)._export(expand=expand))


def retrieve_account(request: web.Request) -> web.Response:
    """GET /v1/accounts/{id}."""
    account = fetch(Account, request.match_info["id"], name="account")
    return json_response(account._export(expand=unflatten_data(request.query).get("expand")))


async def update_account(request: web.Request) -> web.Response:
    """POST /v1/accounts/{id}: email, business_profile and metadata (account.updated)."""
    account = fetch(Account, request.match_info["id"], name="account")
    data = await get_post_data(request) or {}
    data.pop("expand", None)
    reject_unknown(data, {"email", "business_profile", "metadata"})
    previous = {key: getattr(account, key) for key in data}
    if "email" in data:
        account.email = data["email"]
    if isinstance(data.get("business_profile"), dict):
        account.business_profile = {**account.business_profile, **data["business_profile"]}
    if "metadata" in data:
        account.metadata = {**account.metadata, **as_metadata(data["metadata"])}
        account.metadata = {k: v for k, v in account.metadata.items() if v != ""}
    emit("account.updated", account, previous=previous, account=account.id)
    return json_response(account._export())


def list_accounts(request: web.Request) -> web.Response:
    """GET /v1/accounts, newest first."""
    query = unflatten_data(request.query)
    reject_unknown(query, {"limit", "starting_after", "expand"})
    page = ls.List("/v1/accounts", query.get("limit"), query.get("starting_after"))
    page._list = stored(Account)[::-1]
    return json_response(page._export())


async def create_link(request: web.Request) -> web.Response:
    """POST /v1/account_links: a single-use onboarding URL valid for five minutes."""
    data = await get_post_data(request) or {}
    reject_unknown(
        data, {"account", "refresh_url", "return_url", "type", "collect", "collection_options"}
    )
    account = fetch(Account, need(data, "account"), "account", "account")
    link_type = need(data, "type")
    if link_type not in ("account_onboarding", "account_update"):
        raise invalid("Invalid type: must be account_onboarding or account_update", "type")
    token = secrets.token_urlsafe(16)
    now = Clock.now()
    _links[token] = {
        "account": account.id,
        "refresh_url": need(data, "refresh_url"),
        "return_url": need(data, "return_url"),
        "expires_at": now + LINK_LIFETIME,
        "state": "new",
    }
    url = f"{base_url(request)}/express/onboarding/{token}"
    return json_response(
        {"object": "account_link", "created": now, "expires_at": now + LINK_LIFETIME, "url": url}
    )


def link(token: str) -> dict | None:
    """Return the stored state of an account link token, or None."""
    return _links.get(token)


async def set_state(request: web.Request) -> web.Response:
    """POST /_config/accounts/{id}: force charges_enabled/payouts_enabled (account.updated)."""
    account = fetch(Account, request.match_info["id"], name="account")
    data = await get_post_data(request) or {}
    charges = as_bool(data.get("charges_enabled", account.charges_enabled), "charges_enabled")
    payouts = as_bool(data.get("payouts_enabled", account.payouts_enabled), "payouts_enabled")
    account._set_enabled(charges, payouts)
    return json_response(account._export())


CAPABILITY_STATES = ("active", "inactive", "pending", "unrequested")


class Capability:
    """One capability of an account, as capability.updated carries it."""

    object = "capability"

    def __init__(self, account, name: str):
        self.account, self.name = account, name

    def _export(self, expand=None) -> dict:
        status = self.account.capabilities.get(self.name, "unrequested")
        return {
            "object": "capability",
            "id": self.name,
            "account": self.account.id,
            "requested": status != "unrequested",
            "requested_at": self.account.created,
            "requirements": _requirements([] if status == "active" else DUE),
            "status": status,
        }


async def set_capabilities(request: web.Request) -> web.Response:
    """POST /_config/accounts/{id}/capabilities (transfers=active, card_payments=pending...).

    Capabilities change on their own, without charges_enabled or payouts_enabled, as on Stripe:
    account.updated, then capability.updated for each one changed.
    """
    account = fetch(Account, request.match_info["id"], name="account")
    data = await get_post_data(request) or {}
    for name, status in data.items():
        if status not in CAPABILITY_STATES:
            raise invalid(
                f"Invalid status for {name}: must be one of {', '.join(CAPABILITY_STATES)}", name
            )
    previous = dict(account.capabilities)
    account.capabilities = {**account.capabilities, **data}
    emit("account.updated", account, previous={"capabilities": previous}, account=account.id)
    for name, status in data.items():
        if previous.get(name, "unrequested") != status:
            emit("capability.updated", Capability(account, name), account=account.id)
    return json_response(account._export())
