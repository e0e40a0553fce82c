"""The office's campaign pages under /curation/campaigns (the curation blueprint checks the role)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from marketplace.campaigns import services
from marketplace.campaigns.budget import ledger_of
from marketplace.campaigns.emails import email_voucher_batch
from marketplace.campaigns.forms import REFUSALS, BatchForm, CampaignForm, ConfirmForm
from marketplace.campaigns.models import (
    DRAFT,
    MATCHED,
    VOUCHER_ISSUED,
    Campaign,
    CampaignShop,
    Voucher,
    VoucherBatch,
)
from marketplace.campaigns.sheet import voucher_sheet_pdf
from marketplace.campaigns.vouchers import InvalidBatch, issue_vouchers, parse_emails
from marketplace.curation.blueprint import bp
from marketplace.domain_errors import InvalidTransition
from marketplace.extensions import db
from marketplace.money import cents_to_decimal_text
from marketplace.templating import current_locale
from shops.categories import category_choices
from shops.models import Shop

VERB_QUESTIONS = {
    "start": _l("Start this campaign? Residents can use it at once, within its period."),
    "pause": _l("Pause this campaign? Nothing more can be taken until you resume it."),
    "resume": _l("Resume this campaign?"),
    "close": _l(
        "Close this campaign for good? What is left of the budget goes back to the town and "
        "unused vouchers stop working."
    ),
}
VERB_BUTTONS = {
    "start": _l("Start"),
    "pause": _l("Pause"),
    "resume": _l("Resume"),
    "close": _l("Close"),
}
VERB_DONE = {
    "start": _l("Campaign started."),
    "pause": _l("Campaign paused."),
    "resume": _l("Campaign resumed."),
    "close": _l("Campaign closed."),
}


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


def _campaign_form(**kwargs) -> CampaignForm:
    form = CampaignForm(**kwargs)
    form.categories.choices = category_choices(current_locale())
    return form


@bp.get("/campaigns")
def campaigns():
    """List every campaign with its live remaining budget."""
    rows = db.session.scalars(select(Campaign).order_by(Campaign.id.desc())).all()
    return render_template("campaigns/office_list.html", campaigns=rows)


@bp.route("/campaigns/new", methods=["GET", "POST"])
def new_campaign():
    """Create a campaign (a draft, started from its page)."""
    return _edit(None)


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
def edit_campaign(campaign_id: int):
    """Change a campaign (its rule only while it is a draft)."""
    campaign = _campaign(campaign_id)
    if campaign.status == "closed":
        abort(404)
    return _edit(campaign)


def _fill(form: CampaignForm, campaign: Campaign) -> None:
    money = {
        "budget": campaign.budget_cents,
        "resident_cap": campaign.resident_cap_cents,
        "voucher_face": campaign.voucher_face_cents,
        "match_order_cap": campaign.match_order_cap_cents,
    }
    for name, cents in money.items():
        getattr(form, name).data = cents_to_decimal_text(cents) if cents else ""
    form.match_percent.data = (
        f"{campaign.match_bps / 100:g}".replace(".", ",") if campaign.match_bps else ""
    )
    form.categories.data = list(campaign.categories)
    form.postcodes.data = ", ".join(campaign.postcodes)


def _edit(campaign: Campaign | None):
    form = _campaign_form(obj=campaign)
    if request.method == "GET" and campaign is not None:
        _fill(form, campaign)
    if form.validate_on_submit():
        try:
            if campaign is None:
                saved = services.create_campaign(current_user, **form.values())
            else:
                saved = services.update_campaign(campaign, current_user, **form.values())
        except services.InvalidCampaign as refused:
            db.session.rollback()
            _refusal_on_form(form, refused)
        else:
            db.session.commit()
            flash(_("Campaign saved."), "success")
            return redirect(url_for("curation.campaign", campaign_id=saved.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "campaigns/office_form.html", form=form, campaign=campaign, DRAFT=DRAFT
    ), status


def _refusal_on_form(form: CampaignForm, refused: services.InvalidCampaign) -> None:
    names = {
        "budget_cents": "budget",
        "resident_cap_cents": "resident_cap",
        "voucher_face_cents": "voucher_face",
        "match_bps": "match_percent",
        "match_order_cap_cents": "match_order_cap",
    }
    field = getattr(form, names.get(refused.field, refused.field), form.name)
    field.errors = [*field.errors, REFUSALS.get(refused.code, REFUSALS["required"])]


@bp.get("/campaigns/<int:campaign_id>")
def campaign(campaign_id: int):
    """A campaign: its ledger, shops taking part, voucher batches and what the office can do."""
    return _page(_campaign(campaign_id), BatchForm(), 200)


def _page(campaign: Campaign, batch_form: BatchForm, status: int):
    shops = db.session.scalars(
        select(Shop)
        .join(CampaignShop, CampaignShop.shop_id == Shop.id)
        .where(CampaignShop.campaign_id == campaign.id)
        .order_by(Shop.name)
    ).all()
    batches = db.session.scalars(
        select(VoucherBatch)
        .where(VoucherBatch.campaign_id == campaign.id)
        .order_by(VoucherBatch.id.desc())
    ).all()
    emailed = set(
        db.session.scalars(
            select(Voucher.batch_id)
            .where(Voucher.campaign_id == campaign.id, Voucher.email.is_not(None))
            .distinct()
        )
    )
    outstanding = db.session.scalars(
        select(Voucher.face_cents).where(
            Voucher.campaign_id == campaign.id, Voucher.status == VOUCHER_ISSUED
        )
    ).all()
    return render_template(
        "campaigns/office_campaign.html",
        campaign=campaign,
        ledger=ledger_of(campaign.id),
        shops=shops,
        batches=batches,
        emailed=emailed,
        outstanding_cents=sum(outstanding),
        outstanding_count=len(outstanding),
        verbs=services.verbs_from(campaign.status),
        buttons=VERB_BUTTONS,
        batch_form=batch_form,
        MATCHED=MATCHED,
    ), status


def change_campaign(campaign_id: int, verb: str):
    """Ask to confirm a status change, then make it."""
    campaign = _campaign(campaign_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.transition_by_verb(campaign, verb, current_user)
        except InvalidTransition:
            db.session.rollback()
            flash(_("This campaign has changed meanwhile: nothing was done."), "error")
        else:
            db.session.commit()
            flash(str(VERB_DONE[verb]), "success")
        return redirect(url_for("curation.campaign", campaign_id=campaign.id), 303)
    if verb not in services.verbs_from(campaign.status):
        abort(404)
    return render_template(
        "campaigns/office_confirm.html",
        campaign=campaign,
        verb=verb,
        question=VERB_QUESTIONS[verb],
        button=VERB_BUTTONS[verb],
        form=form,
    ), (400 if request.method == "POST" else 200)


# One URL a verb (/campaigns/1/close), each with its confirmation page.
for _verb in VERB_BUTTONS:
    bp.add_url_rule(
        f"/campaigns/<int:campaign_id>/{_verb}",
        view_func=change_campaign,
        methods=["GET", "POST"],
        defaults={"verb": _verb},
    )


@bp.post("/campaigns/<int:campaign_id>/vouchers")
def issue_batch(campaign_id: int):
    """Issue a voucher batch: printed (then downloaded) or emailed by a background job."""
    campaign = _campaign(campaign_id)
    form = BatchForm()
    if not form.validate_on_submit():
        return _page(campaign, form, 400)
    emails = None
    if form.mode.data == "email":
        emails, bad = parse_emails(form.emails.data)
        if bad or not emails:
            message = (
                _("These addresses are not valid: %(list)s", list=", ".join(bad[:10]))
                if bad
                else _("This field is required.")
            )
            form.emails.errors = [*form.emails.errors, message]
            return _page(campaign, form, 400)
    try:
        batch = issue_vouchers(
            campaign, form.count.data or 0, current_user, emails, form.label.data or ""
        )
    except InvalidBatch as refused:
        db.session.rollback()
        messages = {
            "not_voucher": _("This campaign has no vouchers: it matches spending."),
            "closed": _("This campaign is closed."),
        }
        form.count.errors = [
            *form.count.errors,
            messages.get(refused.code, _("Check this number.")),
        ]
        return _page(campaign, form, 400)
    db.session.commit()
    if emails is not None:
        email_voucher_batch.delay(batch.id)
        flash(_("%(count)s vouchers are being sent by email.", count=batch.count), "success")
    else:
        flash(_("%(count)s vouchers issued: print the sheet.", count=batch.count), "success")
    return redirect(url_for("curation.campaign", campaign_id=campaign.id), 303)


@bp.get("/campaigns/<int:campaign_id>/batches/<int:batch_id>.pdf")
def batch_sheet(campaign_id: int, batch_id: int):
    """The batch's vouchers as a PDF sheet to print and cut."""
    batch = db.session.get(VoucherBatch, batch_id)
    if batch is None or batch.campaign_id != campaign_id:
        abort(404)
    response = Response(voucher_sheet_pdf(batch), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="vouchers-{batch.campaign.slug}-{batch.id}.pdf"'
    )
    response.headers["Cache-Control"] = "no-store"  # the codes are money
    return response
