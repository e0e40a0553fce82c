"""Card disputes: opened (funds withdrawn), updated, and closed won (funds reinstated) or lost."""

from __future__ import annotations

from aiohttp import web
from localstripe import resources as ls
from localstripe.server import get_post_data, json_response, unflatten_data

from .balances import record
from .compat import Clock, fetch, stored
from .errors import as_bool, as_int, as_metadata, invalid, reject_unknown
from .events import emit

# Stripe's dispute fee, withdrawn with the disputed amount and kept whatever the outcome
# (15 EUR for French accounts when written; check Stripe's current pricing).
DISPUTE_FEE = 1500
REASONS = [
    "bank_cannot_process",
    "credit_not_processed",
    "customer_initiated",
    "debit_not_authorized",
    "duplicate",
    "fraudulent",
    "general",
    "incorrect_account_details",
    "insufficient_funds",
    "product_not_received",
    "product_unacceptable",
    "subscription_canceled",
    "unrecognized",
]
OPEN = ("warning_needs_response", "warning_under_review", "needs_response", "under_review")
CLOSED = ("warning_closed", "won", "lost")
EVIDENCE = [
    "access_activity_log",
    "billing_address",
    "cancellation_policy",
    "cancellation_policy_disclosure",
    "cancellation_rebuttal",
    "customer_communication",
    "customer_email_address",
    "customer_name",
    "customer_purchase_ip",
    "customer_signature",
    "duplicate_charge_documentation",
    "duplicate_charge_explanation",
    "duplicate_charge_id",
    "product_description",
    "receipt",
    "refund_policy",
    "refund_policy_disclosure",
    "refund_refusal_explanation",
    "service_date",
    "service_documentation",
    "shipping_address",
    "shipping_carrier",
    "shipping_date",
    "shipping_documentation",
    "shipping_tracking_number",
    "uncategorized_file",
    "uncategorized_text",
]


class Dispute(ls.StripeObject):
    """A card dispute on a charge (Stripe's shape, see /work/shared/data/stripe)."""

    object = "dispute"
    _id_prefix = "dp_"

    def __init__(self, ch, reason: str, amount: int):
        super().__init__()
        self.amount = amount
        self.charge = ch.id
        self.currency = ch.currency
        self.payment_intent = ch.payment_intent
        self.reason = reason
        self.status = "needs_response"
        self.is_charge_refundable = False
        self.metadata: dict[str, str] = {}
        self.balance_transactions: list[dict] = []
        self.enhanced_eligibility_types: list[str] = []
        self.evidence: dict[str, object] = {**dict.fromkeys(EVIDENCE), "enhanced_evidence": {}}
        self.evidence_details = {
            "due_by": Clock.now() + 7 * 86400,
            "enhanced_eligibility": {},
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
        }
        self.payment_method_details = {
            "type": "card",
            "card": {"brand": "visa", "case_type": "chargeback", "network_reason_code": "10.4"},
        }

    def _book(self, amount: int, fee: int, category: str) -> None:
        txn = record(
            None, amount, self.currency, "adjustment", category, self.id,
            description=f"Chargeback {'withdrawal' if amount < 0 else 'reversal'} for {self.charge}",
            fee=fee,
        )  # fmt: skip
        self.balance_transactions = [*self.balance_transactions, txn._export()]

    def _set(self, event_type: str, **changes) -> None:
        previous = {key: getattr(self, key) for key in changes}
        for key, value in changes.items():
            setattr(self, key, value)
        emit(event_type, self, previous=previous)


def open_dispute(ch, reason: str = "fraudulent", amount: int | None = None) -> Dispute:
    """Open a dispute on a succeeded charge: charge.dispute.created, then funds_withdrawn."""
    if ch.status != "succeeded":
        raise invalid(f"Charge {ch.id} has not succeeded: it cannot be disputed.", "charge")
    if any(d.status in OPEN or d.status == "lost" for d in disputes_of(ch.id)):
        raise invalid(f"Charge {ch.id} is already disputed.", "charge", "charge_disputed")
    if reason not in REASONS:
        raise invalid(f"Invalid reason: must be one of {', '.join(REASONS)}", "reason")
    amount = ch.amount - ch.amount_refunded if amount is None else amount
    if not 0 < amount <= ch.amount:
        raise invalid(f"Invalid dispute amount: {amount}", "amount")
    dispute = Dispute(ch, reason, amount)
    ch.disputed = True
    emit("charge.dispute.created", dispute)
    dispute._book(-amount, DISPUTE_FEE, "dispute")
    emit("charge.dispute.funds_withdrawn", dispute)
    return dispute


def disputes_of(charge_id: str) -> list[Dispute]:
    """Return the disputes of a charge, oldest first."""
    return [d for d in stored(Dispute) if d.charge == charge_id]


def close(dispute: Dispute, won: bool) -> None:
    """Close an open dispute won (funds reinstated) or lost: charge.dispute.closed."""
    if dispute.status not in OPEN:
        raise invalid(f"Dispute {dispute.id} is already closed ({dispute.status}).", "dispute")
    dispute._set("charge.dispute.closed", status="won" if won else "lost")
    if won:
        dispute._book(dispute.amount, 0, "dispute_reversal")
        emit("charge.dispute.funds_reinstated", dispute)


def retrieve(request: web.Request) -> web.Response:
    """GET /v1/disputes/{id}."""
    dispute = fetch(Dispute, request.match_info["id"], name="dispute")
    return json_response(dispute._export(expand=unflatten_data(request.query).get("expand")))


def list_disputes(request: web.Request) -> web.Response:
    """GET /v1/disputes, newest first, filtered by charge and payment_intent."""
    query = unflatten_data(request.query)
    reject_unknown(query, {"charge", "payment_intent", "limit", "starting_after", "expand"})
    found = stored(Dispute)[::-1]
    for key in ("charge", "payment_intent"):
        if query.get(key):
            found = [d for d in found if getattr(d, key) == query[key]]
    page = ls.List("/v1/disputes", query.get("limit"), query.get("starting_after"))
    page._list = found
    return json_response(page._export(expand=query.get("expand")))


async def update(request: web.Request) -> web.Response:
    """POST /v1/disputes/{id}: evidence, metadata, submit (charge.dispute.updated)."""
    dispute = fetch(Dispute, request.match_info["id"], name="dispute")
    data = await get_post_data(request) or {}
    data.pop("expand", None)
    reject_unknown(data, {"evidence", "metadata", "submit"})
    if dispute.status in CLOSED:
        raise invalid(f"Dispute {dispute.id} is closed: it cannot be updated.", "dispute")
    evidence = data.get("evidence") or {}
    if not isinstance(evidence, dict):
        raise invalid("Invalid object", "evidence")
    reject_unknown(evidence, set(EVIDENCE), "evidence")
    changes: dict = {}
    if evidence:
        changes["evidence"] = {**dispute.evidence, **evidence}
    if "metadata" in data:
        changes["metadata"] = {**dispute.metadata, **as_metadata(data["metadata"])}
    if as_bool(data.get("submit", True), "submit") and evidence:
        details = dispute.evidence_details
        count = details["submission_count"] + 1
        changes["evidence_details"] = {**details, "has_evidence": True, "submission_count": count}
        changes["status"] = dispute.status.replace("needs_response", "under_review")
    dispute._set("charge.dispute.updated", **changes)
    return json_response(dispute._export())


async def accept(request: web.Request) -> web.Response:
    """POST /v1/disputes/{id}/close: accept the dispute, which is then lost."""
    dispute = fetch(Dispute, request.match_info["id"], name="dispute")
    close(dispute, won=False)
    return json_response(dispute._export())


async def control_open(request: web.Request) -> web.Response:
    """POST /_config/charges/{id}/dispute (reason, amount): the cardholder disputes a charge."""
    ch = fetch(ls.Charge, request.match_info["id"], name="charge")
    data = await get_post_data(request) or {}
    amount = data.get("amount")
    dispute = open_dispute(
        ch,
        data.get("reason") or "fraudulent",
        None if amount in (None, "") else as_int(amount, "amount", 1),
    )
    return json_response(dispute._export())


async def control_update(request: web.Request) -> web.Response:
    """POST /_config/disputes/{id} (status, reason): the bank moves the dispute along."""
    dispute = fetch(Dispute, request.match_info["id"], name="dispute")
    data = await get_post_data(request) or {}
    reject_unknown(data, {"status", "reason"})
    if data.get("status") not in (None, *OPEN):
        raise invalid(f"Invalid status: must be one of {', '.join(OPEN)}", "status")
    if data.get("reason") not in (None, *REASONS):
        raise invalid(f"Invalid reason: must be one of {', '.join(REASONS)}", "reason")
    dispute._set("charge.dispute.updated", **data)
    return json_response(dispute._export())


async def control_close(request: web.Request) -> web.Response:
    """POST /_config/disputes/{id}/close (outcome=won|lost): the bank decides."""
    dispute = fetch(Dispute, request.match_info["id"], name="dispute")
    data = await get_post_data(request) or {}
    outcome = data.get("outcome")
    if outcome not in ("won", "lost"):
        raise invalid("Invalid outcome: must be won or lost", "outcome")
    close(dispute, won=outcome == "won")
    return json_response(dispute._export())
