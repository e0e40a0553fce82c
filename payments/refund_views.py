"""The shopkeeper refunds part or all of a collected order, with a reason."""

from __future__ import annotations

import re
import secrets

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import SHOPKEEPER
from marketplace.extensions import db
from marketplace.money import InvalidPrice, format_money, parse_price
from marketplace.orders.board_views import get_shop_order
from marketplace.orders.money_emails import send_refund_notice
from marketplace.orders.status import InvalidTransition
from payments.models import FAILED, SUCCEEDED, LedgerEntry
from payments.money_jobs import send_ledger_entries
from payments.refunds import (
    InvalidRefund,
    RefundAlreadyRequested,
    refund_collected_order,
    refund_for_token,
)
from shops.access import closed_to_agent_mode, get_owned_shop

bp = closed_to_agent_mode(
    Blueprint("refunds", __name__, url_prefix="/merchant/shops/<slug>/orders")
)

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_refund_token() -> str:
    """A one-time token for a refund form: submitting the form twice refunds once."""
    return secrets.token_urlsafe(24)


@bp.before_request
@roles_required(SHOPKEEPER)
def require_shopkeeper():
    """Refunds are the shop owner's decision."""


def _already_requested():
    flash(
        _("This refund was already requested (the form was sent twice): it is made once."), "info"
    )


@bp.post("/<int:order_id>/refund")
def refund(slug: str, order_id: int):
    """Give back part or all of a collected order; the shop's transfer is reduced alike."""
    shop = get_owned_shop(slug)
    order = get_shop_order(shop, order_id)
    back = redirect(url_for("board.order", slug=slug, order_id=order_id), 303)
    token = request.form.get("refund_token", "")
    if not TOKEN.match(token):
        flash(_("This form has expired: reload the page and refund again."), "error")
        return back
    try:
        amount = parse_price(request.form.get("amount", ""))
        entries = refund_collected_order(
            order, amount, request.form.get("reason", "")[:500], current_user.id, token
        )
        db.session.commit()
    except (InvalidPrice, InvalidRefund) as error:
        db.session.rollback()
        if str(error) == "reason":
            flash(_("Say why you refund: the customer will read it."), "error")
        else:
            flash(_("Enter an amount between 0,01 € and what is left to refund."), "error")
        return back
    except InvalidTransition:
        db.session.rollback()
        flash(_("Only a collected order can be refunded."), "error")
        return back
    except RefundAlreadyRequested:
        db.session.rollback()
        _already_requested()
        return back
    except IntegrityError:
        db.session.rollback()  # the same form, sent twice at once: the other request has it
        if refund_for_token(token) is None:
            raise
        _already_requested()
        return back
    send_ledger_entries.delay([entries[0].id])  # Stripe is called by the jobs worker
    db.session.expire_all()
    entry = db.session.get_one(LedgerEntry, entries[0].id)
    status = entry.status  # final already when the worker was quick (or runs jobs at once)
    if status != FAILED and entry.amount_cents > 0:  # the resident hears of it once, now
        send_refund_notice(
            db.session.get_one(type(order), order_id), entry.amount_cents, entry.reason
        )
    if amount > entry.amount_cents:  # the rest was the town's part: back to its budget
        flash(
            _(
                "%(town)s paid by the town went back to the campaign's budget, not to the card.",
                town=format_money(amount - entry.amount_cents, str(get_locale() or "fr")),
            ),
            "info",
        )
    if entry.amount_cents == 0:
        return back
    if status == SUCCEEDED:
        flash(
            _("Refund sent: the customer will see it on their card within a few days."), "success"
        )
    elif status == FAILED:
        flash(
            _(
                "The payment service refused this refund: nothing was given back and nothing "
                "was taken from your payout. Contact the town's office."
            ),
            "error",
        )
    else:
        # Recorded, not confirmed: the retry command looks it up at Stripe, then sends it if needed.
        flash(
            _(
                "Refund recorded, but the payment service did not confirm it yet. "
                "It will be sent again automatically; nothing more to do."
            ),
            "warning",
        )
    return back
