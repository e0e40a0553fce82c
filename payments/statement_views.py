"""The shopkeeper's Payments page and monthly statement downloads (CSV, PDF)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _

from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import SHOPKEEPER
from marketplace.db import utcnow
from marketplace.errors import error_response
from marketplace.templating import current_locale
from payments.statement import (
    InvalidMonth,
    Statement,
    monthly_statement,
    next_month,
    parse_month,
    previous_month,
)
from payments.statement_files import (
    DISPUTE_LABELS,
    NET_NOTE,
    TRANSFER_LABELS,
    filename,
    month_label,
    statement_csv,
    statement_pdf,
)
from shops.access import closed_to_agent_mode, get_owned_shop

# The shop's money is the owner's business: a curator acting for the shop does not see it.
bp = closed_to_agent_mode(
    Blueprint("statement", __name__, url_prefix="/merchant/shops/<slug>/payments")
)


@bp.before_request
@roles_required(SHOPKEEPER)
def require_shopkeeper():
    """A shop's money is for its owner's eyes."""


def _today() -> date:
    return utcnow().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


@bp.errorhandler(InvalidMonth)
def invalid_month(error: InvalidMonth):
    """A month typed wrong in the address: say how to write it."""
    return error_response(400, _("Give the month as YYYY-MM, for example 2025-03."))


def _statement(slug: str) -> Statement:
    shop = get_owned_shop(slug)
    return monthly_statement(shop, parse_month(request.args.get("month"), _today()))


@bp.get("/orders")
def orders(slug: str):
    """Per order of the month: paid, fees, refunds, transfer, reversals, disputes, net."""
    statement = _statement(slug)
    this_month = _today().replace(day=1)
    return render_template(
        "payments/statement.html",
        shop=statement.shop,
        statement=statement,
        month_label=month_label(statement),
        prev_month=previous_month(statement.month),
        next_month=next_month(statement.month) if statement.month < this_month else None,
        transfer_labels=TRANSFER_LABELS,
        dispute_labels=DISPUTE_LABELS,
        net_note=NET_NOTE,
    )


@bp.get("/statement.csv")
def statement_csv_file(slug: str):
    """Download the month's statement as CSV (French or English spreadsheet conventions)."""
    statement = _statement(slug)
    french = request.args.get("format", current_locale()) != "en"
    return Response(
        statement_csv(statement, current_app.config["TIMEZONE"], french=french),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename(statement, "csv")}"'},
    )


@bp.get("/statement.pdf")
def statement_pdf_file(slug: str):
    """Download the month's statement as PDF."""
    statement = _statement(slug)
    return Response(
        statement_pdf(statement),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename(statement, "pdf")}"'},
    )
