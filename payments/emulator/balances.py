"""Balances of the platform and of each connected account, their transactions, and payouts."""

from __future__ import annotations

from collections import defaultdict

from aiohttp import web
from localstripe import resources as ls
from localstripe.server import get_post_data, json_response, unflatten_data

from .compat import Clock, fetch, stored
from .connect import Account
from .errors import as_int, euros, invalid, reject_unknown
from .events import emit

TEST_MODE_TOPUP = (
    "Try adding funds directly to your available balance by creating Charges using the "
    "4000000000000077 test card. See: https://stripe.com/docs/testing#available-balance"
)


class Funds:
    """How long a card payment stays pending before it is available (seconds, emulator clock)."""

    available_after = 0


class Txn(ls.BalanceTransaction):
    """A balance transaction of the platform (account None) or of a connected account."""

    def __init__(
        self,
        account: str | None,
        amount: int,
        currency: str,
        kind: str,
        category: str,
        source: str,
        description: str | None = None,
        fee: int = 0,
        available_on: int | None = None,
    ):
        ls.StripeObject.__init__(self)  # localstripe's own checks know charges and refunds only
        self._account = account
        self.amount = amount
        self.currency = currency
        self.type = kind
        self.reporting_category = category
        self.source = source
        self.description = description
        self.exchange_rate = None
        self.fee = fee
        self.fee_details = []
        if fee:
            self.fee_details = [
                {
                    "amount": fee,
                    "application": None,
                    "currency": currency,
                    "description": "Stripe fees",
                    "type": "stripe_fee",
                }
            ]
        self.available_on = self.created if available_on is None else available_on

    @property
    def status(self) -> str:
        return "available" if self.available_on <= Clock.now() else "pending"


def record(
    account: str | None, amount: int, currency: str, kind: str, category: str, source: str, **extra
) -> Txn:
    """Book a movement of money on a balance (negative amounts leave it)."""
    return Txn(account, amount, currency, kind, category, source, **extra)


def replace_charge_txn(charge, fee: int) -> Txn:
    """Swap localstripe's charge transaction for ours: fee, and pending until available_after."""
    ls.store.pop(f"balance_transaction:{charge.balance_transaction}", None)
    txn = record(
        None,
        charge.amount,
        charge.currency,
        "charge",
        "charge",
        charge.id,
        description=charge.description,
        fee=fee,
        available_on=Clock.now() + Funds.available_after,
    )
    charge.balance_transaction = txn.id
    return txn


def _txns(account: str | None) -> list:
    return [t for t in stored(ls.BalanceTransaction) if getattr(t, "_account", None) == account]


def amounts(account: str | None, currency: str = "eur") -> tuple[int, int]:
    """Return (available, pending) net amounts in cents of a balance."""
    available = pending = 0
    for txn in _txns(account):
        if txn.currency != currency:
            continue
        if txn.status == "available":
            available += txn.net
        else:
            pending += txn.net
    return available, pending


def check_available(account: str | None, amount: int, currency: str, what: str) -> None:
    """Refuse with balance_insufficient when `account` has less than `amount` available."""
    available, pending = amounts(account, currency)
    if account is not None:
        available += pending  # a reversal may draw on the funds that are still pending
    if amount <= available:
        return
    if account is None:
        message = f"You have insufficient available funds in your Stripe account. {TEST_MODE_TOPUP}"
    else:
        message = (
            f"Insufficient funds in the connected account {account} to {what}: "
            f"{euros(max(available, 0))} available, {euros(amount)} needed."
        )
    raise invalid(message, "amount", "balance_insufficient")


def _export(account: str | None) -> dict:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for txn in _txns(account):
        sums[txn.currency][0 if txn.status == "available" else 1] += txn.net
    sums.setdefault("eur", [0, 0])

    def part(index: int) -> list:
        return [
            {"amount": s[index], "currency": c, "source_types": {"card": s[index]}}
            for c, s in sums.items()
        ]

    return {
        "object": "balance",
        "available": part(0),
        "pending": part(1),
        "connect_reserved": [{"amount": 0, "currency": c} for c in sums],
        "livemode": False,
    }


def on_behalf(request: web.Request) -> str | None:
    """Return the connected account named by the Stripe-Account header (checked), or None."""
    account = request.headers.get("Stripe-Account")
    if account:
        fetch(Account, account, "Stripe-Account", "account")
    return account or None


def retrieve_balance(request: web.Request) -> web.Response:
    """GET /v1/balance: the platform's, or a connected account's with Stripe-Account."""
    return json_response(_export(on_behalf(request)))


def list_transactions(request: web.Request) -> web.Response:
    """GET /v1/balance_transactions, newest first (source, type; Stripe-Account)."""
    query = unflatten_data(request.query)
    reject_unknown(query, {"source", "type", "payout", "limit", "starting_after", "expand"})
    txns = _txns(on_behalf(request))[::-1]
    for key in ("source", "type"):
        if query.get(key):
            txns = [t for t in txns if getattr(t, key) == query[key]]
    page = ls.List("/v1/balance_transactions", query.get("limit"), query.get("starting_after"))
    page._list = txns
    return json_response(page._export(expand=query.get("expand")))


class Payout(ls.StripeObject):
    """Money sent from a connected account's balance to its bank."""

    object = "payout"
    _id_prefix = "po_"

    def __init__(self, account, amount: int):
        super().__init__()
        self.amount = amount
        self.currency = account.default_currency
        self.arrival_date = Clock.now() + 2 * 86400
        self.automatic = False
        self.description = "STRIPE PAYOUT"
        self.destination = "ba_" + ls.random_id(14)
        self.failure_balance_transaction = None
        self.failure_code = self.failure_message = None
        self.metadata: dict[str, str] = {}
        self.method = "standard"
        self.original_payout = self.reversed_by = None
        self.reconciliation_status = "completed"
        self.source_type = "card"
        self.statement_descriptor = None
        self.status = "paid"
        self.type = "bank_account"
        self.balance_transaction = record(
            account.id, -amount, self.currency, "payout", "payout", self.id
        ).id


async def pay_out(request: web.Request) -> web.Response:
    """POST /_config/accounts/{id}/payout (amount=N, default all available): pay the shop's bank."""
    account = fetch(Account, request.match_info["id"], name="account")
    data = await get_post_data(request) or {}
    available, _ = amounts(account.id, account.default_currency)
    amount = as_int(data.get("amount", available), "amount")
    if not account.payouts_enabled:
        raise invalid(
            f"Payouts are not enabled on the account {account.id}.",
            "account",
            "payouts_not_allowed",
        )
    if amount <= 0 or amount > available:
        raise invalid(
            f"Insufficient available funds in {account.id} for a payout of {euros(amount)} "
            f"({euros(available)} available).",
            "amount",
            "balance_insufficient",
        )
    payout = Payout(account, amount)
    emit("payout.created", payout, account=account.id)
    emit("payout.paid", payout, account=account.id)
    return json_response(payout._export())


async def set_funds_delay(request: web.Request) -> web.Response:
    """POST /_config/funds (available_after=N): card payments stay pending N seconds."""
    data = await get_post_data(request) or {}
    Funds.available_after = as_int(data.get("available_after", 0), "available_after", 0)
    return json_response({"available_after": Funds.available_after})
