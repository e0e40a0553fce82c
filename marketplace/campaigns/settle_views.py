"""Statements pages: the office issues and downloads them; a shop reads and downloads its own."""

from __future__ import annotations

from datetime import date

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.bounded import Form
from marketplace.campaigns.budget import ledger_of
from marketplace.campaigns.models import Campaign
from marketplace.campaigns.participation import town_today as today
from marketplace.campaigns.settle_blueprints import office_bp, shop_bp
from marketplace.campaigns.settlement import (
    AlreadyIssued,
    MonthNotOver,
    issue_statements,
    pending_adjustments,
    unissued_by_month,
)
from marketplace.campaigns.statement_files import (
    FROZEN_NOTE,
    LINE_KINDS,
    filename,
    statement_csv,
    statement_pdf,
)
from marketplace.campaigns.statement_models import CampaignStatement
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.templating import current_locale
from payments.statement import InvalidMonth, next_month, parse_month, previous_month
from shops.access import get_owned_shop
from shops.models import Shop


def _tz() -> str:
    return current_app.config["TIMEZONE"]


def campaign_or_404(campaign_id: int) -> Campaign:
    """The campaign, or a 404."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


def _months(campaign: Campaign, unissued: dict, adjusting: bool) -> list[date]:
    """The campaign's months up to this one, latest first, and any after its end still owed.

    An order placed on the last day may be collected the month after, and a refund after the
    last statement needs a later month to appear on: those months are listed too.
    """
    this_month = today().replace(day=1)
    last = max([min(campaign.ends_on, today()).replace(day=1), *unissued])
    if adjusting:
        last = max(last, previous_month(this_month))
    month, months = campaign.starts_on.replace(day=1), []
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months[::-1]


def _download(statement: CampaignStatement, kind: str) -> Response:
    body: bytes | str
    if kind == "pdf":
        body, mimetype = statement_pdf(statement), "application/pdf"
    else:
        french = request.args.get("format", current_locale()) != "en"
        body, mimetype = statement_csv(statement, _tz(), french), "text/csv; charset=utf-8"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename(statement, kind)}"'},
    )


@office_bp.get("/<int:campaign_id>/statements")
def statements(campaign_id: int):
    """Per month: what is owed and not issued yet, the statements issued, the budget's ledger."""
    campaign = campaign_or_404(campaign_id)
    this_month = today().replace(day=1)
    unissued = unissued_by_month(campaign, _tz(), utcnow())
    issued = list(
        db.session.scalars(
            select(CampaignStatement)
            .where(CampaignStatement.campaign_id == campaign.id)
            .order_by(CampaignStatement.month.desc(), CampaignStatement.number)
        )
    )
    adjustments = pending_adjustments(campaign, next_month(this_month))
    names = select(Shop).where(Shop.id.in_({s.shop_id for s in issued}))
    shops = {shop.id: shop for shop in db.session.scalars(names)}
    return render_template(
        "campaigns/statements.html",
        campaign=campaign,
        ledger=ledger_of(campaign.id),
        months=_months(campaign, unissued, bool(adjustments)),
        this_month=this_month,
        unissued=unissued,
        issued=issued,
        adjustments=sum(o.total_cents for o in adjustments.values()),
        shops=shops,
        form=Form(),
    )


@office_bp.post("/<int:campaign_id>/statements/issue")
def issue(campaign_id: int):
    """Issue the month's statements of every shop owed something (once; frozen after)."""
    campaign = campaign_or_404(campaign_id)
    back = redirect(url_for(".statements", campaign_id=campaign.id), 303)
    if not Form().validate_on_submit():
        flash(_("The form expired: please try again."), "error")
        return back
    try:
        month = parse_month(request.form.get("month") or "-", today())
        issued = issue_statements(campaign, month, current_user, today(), _tz())
        db.session.commit()
    except InvalidMonth:
        flash(_("Give the month as YYYY-MM, for example 2025-03."), "error")
    except MonthNotOver:
        flash(_("A month can be issued once it is over."), "error")
    except (AlreadyIssued, IntegrityError):
        db.session.rollback()
        flash(_("These statements were being issued by someone else: here they are."), "error")
    else:
        if issued:
            flash(_("Statements issued: %(count)s.", count=len(issued)), "success")
        else:
            flash(_("Nothing is owed for that month."), "info")
    return back


def _issued(statement_id: int) -> CampaignStatement:
    statement = db.session.get(CampaignStatement, statement_id)
    if statement is None:
        abort(404)
    return statement


@office_bp.get("/statements/<int:statement_id>.pdf")
def office_pdf(statement_id: int):
    """Download an issued statement as PDF."""
    return _download(_issued(statement_id), "pdf")


@office_bp.get("/statements/<int:statement_id>.csv")
def office_csv(statement_id: int):
    """Download an issued statement as CSV."""
    return _download(_issued(statement_id), "csv")


@shop_bp.get("/statements")
def shop_statements(slug: str):
    """The shop's campaign statements, latest first."""
    shop = get_owned_shop(slug)
    rows = db.session.scalars(
        select(CampaignStatement)
        .where(CampaignStatement.shop_id == shop.id)
        .order_by(CampaignStatement.month.desc(), CampaignStatement.number)
    )
    return render_template(
        "campaigns/shop_statements.html",
        shop=shop,
        statements=list(rows),
        note=FROZEN_NOTE,
        line_kinds=LINE_KINDS,
    )


def _owned(slug: str, statement_id: int) -> CampaignStatement:
    shop = get_owned_shop(slug)
    statement = db.session.get(CampaignStatement, statement_id)
    if statement is None or statement.shop_id != shop.id:
        abort(404)  # another shop's statement is not found, as any unknown one
    return statement


@shop_bp.get("/statements/<int:statement_id>.pdf")
def shop_pdf(slug: str, statement_id: int):
    """Download one of the shop's statements as PDF."""
    return _download(_owned(slug, statement_id), "pdf")


@shop_bp.get("/statements/<int:statement_id>.csv")
def shop_csv(slug: str, statement_id: int):
    """Download one of the shop's statements as CSV."""
    return _download(_owned(slug, statement_id), "csv")
