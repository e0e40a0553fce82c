"""Connect transfers (optionally funded by a source charge) and their reversals."""

from __future__ import annotations

from aiohttp import web
from localstripe import resources as ls
from localstripe.server import get_post_data, json_response, unflatten_data

from .balances import check_available, record
from .compat import fetch, stored
from .connect import Account
from .errors import as_currency, as_int, as_metadata, euros, invalid, need, reject_unknown
from .events import emit

TRANSFER_PARAMS = {
    "amount",
    "currency",
    "destination",
    "source_transaction",
    "transfer_group",
    "metadata",
    "description",
    "source_type",
}


class TransferReversal(ls.StripeObject):
    """Money taken back from a connected account."""

    object = "transfer_reversal"
    _id_prefix = "trr_"

    def __init__(self, transfer, amount: int, metadata: dict):
        super().__init__()
        self.amount = amount
        self.currency = transfer.currency
        self.transfer = transfer.id
        self.metadata = metadata
        self.destination_payment_refund = "pyr_" + ls.random_id(14)
        self.balance_transaction = record(
            None, amount, self.currency, "transfer_refund", "transfer_reversal", self.id
        ).id
        record(
            transfer.destination,
            -amount,
            self.currency,
            "payment_refund",
            "refund",
            self.destination_payment_refund,
        )
        self.source_refund = None


class Transfer(ls.StripeObject):
    """Money sent from the platform's balance to a connected account."""

    object = "transfer"
    _id_prefix = "tr_"

    def __init__(self, data: dict):
        reject_unknown(data, TRANSFER_PARAMS)
        amount = as_int(need(data, "amount"), "amount", 1)
        currency = as_currency(need(data, "currency"))
        destination = fetch(Account, need(data, "destination"), "destination", "destination")
        if destination.capabilities.get("transfers") != "active":
            raise invalid(
                "Your destination account needs to have at least one of the following "
                "capabilities enabled: transfers, crypto_transfers, legacy_payments",
                "destination",
                "insufficient_capabilities_for_transfer",
            )
        source = data.get("source_transaction")
        charge = None
        if source:
            charge = fetch(ls.Charge, source, "source_transaction", "charge")
            _check_source(charge, amount, currency)
        metadata = as_metadata(data.get("metadata"))
        if charge is None:  # with a source_transaction, the transfer draws on that charge
            check_available(None, amount, currency, "transfer")
        super().__init__()
        self.amount = amount
        self.currency = currency
        self.destination = destination.id
        self.destination_payment = "py_" + ls.random_id(14)
        self.source_transaction = source or None
        self.source_type = "card"
        self.transfer_group = data.get("transfer_group")
        self.description = data.get("description")
        self.metadata = metadata
        self.balance_transaction = record(
            None, -amount, currency, "transfer", "transfer", self.id
        ).id
        # The shop's funds become available when the source charge's do (at once without one).
        charge_txn = charge and ls.store.get(f"balance_transaction:{charge.balance_transaction}")
        record(
            destination.id,
            amount,
            currency,
            "payment",
            "charge",
            self.destination_payment,
            available_on=getattr(charge_txn, "available_on", None),
        )

    @property
    def amount_reversed(self) -> int:
        return sum(r.amount for r in self._reversals)

    @property
    def reversed(self) -> bool:
        return self.amount_reversed >= self.amount

    @property
    def reversals(self):
        page = ls.List(f"/v1/transfers/{self.id}/reversals", limit=100)
        page._list = self._reversals[::-1]
        return page

    @property
    def _reversals(self) -> list:
        return [r for r in stored(TransferReversal) if r.transfer == self.id]


def _check_source(charge, amount: int, currency: str) -> None:
    if charge.status != "succeeded":
        raise invalid(
            f"The source_transaction {charge.id} has not succeeded.", "source_transaction"
        )
    if charge.currency != currency:
        raise invalid(
            f"The currency of source_transaction's balance transaction ({charge.currency}) must "
            f"be the same as the transfer currency ({currency})",
            "currency",
        )
    sent = sum(
        t.amount - t.amount_reversed for t in stored(Transfer) if t.source_transaction == charge.id
    )
    left = charge.amount - charge.amount_refunded - sent
    if amount > left:
        raise invalid(
            f"The transfer amount ({euros(amount)}) exceeds what is left of the source "
            f"transaction {charge.id} ({euros(left)}: {euros(charge.amount)} charged, "
            f"{euros(charge.amount_refunded)} refunded, {euros(sent)} already transferred).",
            "amount",
            "amount_too_large",
        )


async def create(request: web.Request) -> web.Response:
    """POST /v1/transfers (transfer.created)."""
    data = await get_post_data(request) or {}
    expand = data.pop("expand", None)
    transfer = Transfer(data)
    emit("transfer.created", transfer)
    return json_response(transfer._export(expand=expand))


def retrieve(request: web.Request) -> web.Response:
    """GET /v1/transfers/{id}."""
    transfer = fetch(Transfer, request.match_info["id"], name="transfer")
    return json_response(transfer._export(expand=unflatten_data(request.query).get("expand")))


async def update(request: web.Request) -> web.Response:
    """POST /v1/transfers/{id}: description and metadata (transfer.updated)."""
    transfer = fetch(Transfer, request.match_info["id"], name="transfer")
    data = await get_post_data(request) or {}
    reject_unknown(data, {"description", "metadata"})
    previous = {key: getattr(transfer, key) for key in data}
    if "description" in data:
        transfer.description = data["description"]
    if "metadata" in data:
        transfer.metadata = {**transfer.metadata, **as_metadata(data["metadata"])}
    emit("transfer.updated", transfer, previous=previous)
    return json_response(transfer._export())


def list_transfers(request: web.Request) -> web.Response:
    """GET /v1/transfers, newest first, filtered by transfer_group and destination."""
    query = unflatten_data(request.query)
    reject_unknown(query, {"transfer_group", "destination", "limit", "starting_after", "expand"})
    transfers = stored(Transfer)[::-1]
    for key in ("transfer_group", "destination"):
        if query.get(key):
            transfers = [t for t in transfers if getattr(t, key) == query[key]]
    page = ls.List("/v1/transfers", query.get("limit"), query.get("starting_after"))
    page._list = transfers
    return json_response(page._export(expand=query.get("expand")))


async def reverse(request: web.Request) -> web.Response:
    """POST /v1/transfers/{id}/reversals (transfer.reversed)."""
    transfer = fetch(Transfer, request.match_info["id"], name="transfer")
    data = await get_post_data(request) or {}
    data.pop("expand", None)
    reject_unknown(data, {"amount", "metadata", "description", "refund_application_fee"})
    left = transfer.amount - transfer.amount_reversed
    if left <= 0:
        raise invalid(f"Transfer {transfer.id} has already been fully reversed.", "amount")
    amount = left if data.get("amount") in (None, "") else as_int(data["amount"], "amount", 1)
    if amount > left:
        raise invalid(
            f"Amount ({euros(amount)}) is greater than the amount left to reverse on transfer "
            f"{transfer.id} ({euros(left)}).",
            "amount",
            "amount_too_large",
        )
    # Stripe takes a reversal from the shop's balance: after a payout, it may not be there.
    check_available(transfer.destination, amount, transfer.currency, "reverse this transfer")
    reversal = TransferReversal(transfer, amount, as_metadata(data.get("metadata")))
    emit(
        "transfer.reversed",
        transfer,
        previous={"amount_reversed": transfer.amount_reversed - amount},
    )
    return json_response(reversal._export())


def list_reversals(request: web.Request) -> web.Response:
    """GET /v1/transfers/{id}/reversals, newest first."""
    transfer = fetch(Transfer, request.match_info["id"], name="transfer")
    query = unflatten_data(request.query)
    reject_unknown(query, {"limit", "starting_after", "expand"})
    page = ls.List(
        f"/v1/transfers/{transfer.id}/reversals", query.get("limit"), query.get("starting_after")
    )
    page._list = transfer._reversals[::-1]
    return json_response(page._export())


def retrieve_reversal(request: web.Request) -> web.Response:
    """GET /v1/transfers/{id}/reversals/{reversal}."""
    reversal = fetch(TransferReversal, request.match_info["reversal"], name="transfer_reversal")
    if reversal.transfer != request.match_info["id"]:
        raise invalid(f"No such transfer_reversal: '{reversal.id}'", "id", "resource_missing", 404)
    return json_response(reversal._export())
