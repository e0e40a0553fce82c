"""The shopkeeper refunds part or all of a collected order, with a reason."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import SHOPKEEPER
from marketplace.extensions import db
from marketplace.money import InvalidPrice, parse_price
from marketplace.orders.board import get_shop_order
from marketplace.orders.status import InvalidTransition
from payments.ledger import execute_and_commit
from payments.models import SUCCEEDED, LedgerEntry
from payments.refunds import InvalidRefund, refund_collected_order
from shops.access import get_owned_shop

bp = Blueprint("refunds", __name__, url_prefix="/merchant/shops/<slug>/orders")


@bp.before_request
@roles_required(SHOPKEEPER)
def require_shopkeeper():
    """Refunds are the shop owner's decision."""


@bp.post("/<int:order_id>/refund")
def refund(slug: str, order_id: int):
    """Give back part or all of a collected order; the shop's transfer is reduced alike."""
    shop = get_owned_shop(slug)
    order = get_shop_order(shop, order_id)
    back = redirect(url_for("board.order", slug=slug, order_id=order_id), 303)
    try:
        amount = parse_price(request.form.get("amount", ""))
        entries = refund_collected_order(
            order, amount, request.form.get("reason", "")[:500], current_user.id
        )
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
    db.session.commit()
    ids = [e.id for e in entries]
    execute_and_commit(ids)
    if any(db.session.get_one(LedgerEntry, i).status != SUCCEEDED for i in ids):
        # Recorded, not sent: the retry command sends it once the payment service answers.
        flash(
            _(
                "Refund recorded, but the payment service did not confirm it yet. "
                "It will be sent again automatically; nothing more to do."
            ),
            "warning",
        )
    else:
        flash(
            _("Refund sent: the customer will see it on their card within a few days."), "success"
        )
    return back
