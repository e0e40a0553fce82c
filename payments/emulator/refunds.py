"""Refunds: localstripe's Refund, checked against what is left on the charge, with events."""

from __future__ import annotations

from aiohttp import web
from localstripe import resources as ls
from localstripe.server import get_post_data, json_response

from .compat import fetch
from .disputes import disputes_of
from .errors import as_int, as_metadata, euros, invalid, reject_unknown
from .events import emit

REASONS = ("duplicate", "fraudulent", "requested_by_customer")


def refund(data: dict):
    """Refund all or part of a charge (by charge or payment_intent): charge.refunded."""
    reject_unknown(data, {"charge", "payment_intent", "amount", "metadata", "reason"})
    if data.get("payment_intent"):
        pi = fetch(ls.PaymentIntent, data["payment_intent"], "payment_intent", "payment_intent")
        if pi.status != "succeeded" or pi.latest_charge is None:
            raise invalid(
                f"This PaymentIntent ({pi.id}) does not have a successful charge to refund.",
                "payment_intent",
                "charge_not_refundable",
            )
        charge = pi.latest_charge
    elif data.get("charge"):
        charge = fetch(ls.Charge, data["charge"], "charge", "charge")
    else:
        raise invalid(
            "One of the following params should be provided for this request: "
            "payment_intent or charge.",
            "charge",
            "parameter_missing",
        )
    if charge.status != "succeeded":
        raise invalid("Cannot refund a failed payment.", "charge", "charge_not_refundable")
    if any(d.status not in ("won", "warning_closed") for d in disputes_of(charge.id)):
        raise invalid(
            f"Charge {charge.id} has been charged back; cannot issue a refund.",
            "charge",
            "charge_disputed",
        )
    remaining = charge.amount - charge.amount_refunded
    if remaining <= 0:
        raise invalid(
            f"Charge {charge.id} has already been refunded.", "charge", "charge_already_refunded"
        )
    amount = remaining if data.get("amount") in (None, "") else as_int(data["amount"], "amount", 1)
    if amount > remaining:
        raise invalid(
            f"Refund amount ({euros(amount)}) is greater than unrefunded amount on charge "
            f"({euros(remaining)})",
            "amount",
            "amount_too_large",
        )
    reason = data.get("reason")
    if reason is not None and reason not in REASONS:
        raise invalid(f"Invalid reason: must be one of {', '.join(REASONS)}", "reason")
    obj = ls.Refund(charge=charge.id, amount=amount, metadata=as_metadata(data.get("metadata")))
    obj.payment_intent = charge.payment_intent
    obj.reason = reason
    emit("charge.refunded", charge, previous={"amount_refunded": charge.amount_refunded - amount})
    emit("refund.created", obj)
    return obj


async def create(request: web.Request) -> web.Response:
    """POST /v1/refunds."""
    data = await get_post_data(request) or {}
    expand = data.pop("expand", None)
    return json_response(refund(data)._export(expand=expand))
