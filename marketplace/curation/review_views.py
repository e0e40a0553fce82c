"""Curator pages: the review queue, decisions on shops and products, the audit log."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select

from marketplace.accounts.models import CURATOR
from marketplace.audit import AuditLog
from marketplace.bounded import db_int, page_arg
from marketplace.curation import audit_log, review
from marketplace.curation.audit_labels import TARGET_LABELS, action_choices
from marketplace.curation.blueprint import bp
from marketplace.curation.emails import notify_shop_decision
from marketplace.curation.forms import DecisionForm
from marketplace.curation.periods import FIRST_DAY, LAST_DAY, make_period
from marketplace.domain_errors import InvalidTransition, ReasonRequired
from marketplace.extensions import db
from shops.models import PENDING_REVIEW, Product, Shop
from shops.review_emails import pending_count
from shops.status import verbs_from

ACTION_DONE = {
    "approve": _l("Shop published."),
    "request_changes": _l("Shop sent back to its owner with the list of changes to make."),
    "reject": _l("Shop sent back to its owner with your reason."),
    "suspend": _l("Shop suspended: it left the public pages and the search."),
    "reinstate": _l("Shop published again."),
}
# How each verb of the shop state table is offered: a button on the shop's file (label, is it
# the quieter secondary style?) and an option of the queue's bulk decision.
ACTION_BUTTONS = {
    "approve": (_l("Approve and publish"), False),
    "request_changes": (_l("Request changes"), True),
    "reject": (_l("Reject"), True),
    "suspend": (_l("Suspend"), True),
    "reinstate": (_l("Reinstate"), False),
}
BULK_LABELS = {
    "approve": _l("Approve and publish"),
    "request_changes": _l("Request changes (list required)"),
    "reject": _l("Reject (reason required)"),
}
SHOP_STATUSES = (
    "pending_review",
    "published",
    "suspended",
    "changes_requested",
    "rejected",
    "draft",
)


def _shop(shop_id: int) -> Shop:
    shop = db.session.get(Shop, shop_id)
    if shop is None:
        abort(404)
    return shop


def _back(default: str) -> str:
    target = request.form.get("next") or ""
    return target if target.startswith("/curation") else default


@bp.get("/")
def queue():
    """List the shops waiting for review, with what changed since the last decision."""
    shops = review.pending_shops()
    changes = {s.id: review.changes_since_decision(s) for s in shops}
    bulk_actions = [(verb, BULK_LABELS[verb]) for verb in verbs_from(PENDING_REVIEW, CURATOR)]
    return render_template(
        "curation/queue.html",
        shops=shops,
        changes=changes,
        form=DecisionForm(),
        bulk_actions=bulk_actions,
    )


@bp.post("/queue/bulk")
def bulk():
    """Apply one decision to the shops ticked in the queue."""
    form = DecisionForm()
    action = request.form.get("action", "")
    ids = [i for i in map(db_int, request.form.getlist("shop_ids")) if i is not None]
    if not form.validate_on_submit() or not ids or action not in review.SHOP_ACTIONS:
        flash(_("Tick at least one shop and choose an action."), "error")
        return redirect(url_for("curation.queue"), 303)
    shops = list(db.session.scalars(select(Shop).where(Shop.id.in_(ids)).order_by(Shop.id)))
    try:
        outcome = review.decide_shops(shops, action, current_user, form.reason.data)
    except ReasonRequired:
        flash(_("This action needs a reason."), "error")
        return redirect(url_for("curation.queue"), 303)
    db.session.commit()
    for shop in outcome.done:
        notify_shop_decision(shop, action)
    flash(_("%(n)s shop(s) updated.", n=len(outcome.done)), "success")
    if outcome.skipped:
        names = ", ".join(s.name for s in outcome.skipped)
        flash(_("Skipped (not in the right status): %(names)s.", names=names), "error")
    return redirect(url_for("curation.queue"), 303)


@bp.get("/shops")
def shops():
    """Find any shop by name and status, to suspend, reinstate or feature it."""
    status = request.args.get("status", "published")
    q = (request.args.get("q") or "").strip()[:100]
    query = select(Shop).order_by(Shop.name)
    if status in SHOP_STATUSES:
        query = query.where(Shop.status == status)
    if q:
        query = query.where(or_(func.lower(Shop.name).like(f"%{q.lower()}%"), Shop.postcode == q))
    return render_template(
        "curation/shops.html",
        shops=db.session.scalars(query.limit(200)).all(),
        status=status,
        q=q,
        statuses=SHOP_STATUSES,
        form=DecisionForm(),
    )


@bp.get("/shops/<int:shop_id>")
def shop(shop_id: int):
    """A shop as the office sees it: profile, changes, products, decisions and history."""
    shop = _shop(shop_id)
    products = db.session.scalars(
        select(Product).where(Product.shop_id == shop.id).order_by(Product.name)
    ).all()
    history = db.session.scalars(
        select(AuditLog)
        .where(AuditLog.target_kind == "shop", AuditLog.target_id == shop.id)
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        .limit(50)
    ).all()
    return render_template(
        "curation/shop.html",
        shop=shop,
        products=products,
        history=history,
        changes=review.changes_since_decision(shop),
        form=DecisionForm(),
        actions=[(verb, *ACTION_BUTTONS[verb]) for verb in review.shop_actions(shop)],
        closures=review.upcoming_closures(shop, current_app.config["TIMEZONE"]),
        siret_checks=review.register_checks(shop),
    )


@bp.post("/shops/<int:shop_id>/decide")
def decide(shop_id: int):
    """Approve, reject, suspend or reinstate one shop."""
    shop = _shop(shop_id)
    form = DecisionForm()
    action = request.form.get("action", "")
    back = _back(url_for("curation.shop", shop_id=shop.id))
    if not form.validate_on_submit() or action not in review.SHOP_ACTIONS:
        flash(_("Choose an action."), "error")
        return redirect(back, 303)
    try:
        review.decide_shop(shop, action, current_user, form.reason.data)
    except ReasonRequired:
        flash(_("This action needs a reason."), "error")
        return redirect(back, 303)
    except InvalidTransition:
        flash(_("This shop is not in a status that allows this action."), "error")
        return redirect(back, 303)
    db.session.commit()
    notify_shop_decision(shop, action)
    flash(ACTION_DONE[action], "success")
    return redirect(back, 303)


@bp.post("/shops/<int:shop_id>/feature")
def feature(shop_id: int):
    """Put a shop forward on the home page, or stop."""
    shop = _shop(shop_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            review.set_featured(shop, current_user, request.form.get("featured") == "1")
        except InvalidTransition:
            flash(_("Only a published shop can be featured."), "error")
        else:
            db.session.commit()
            flash(_("Home page updated."), "success")
    return redirect(_back(url_for("curation.shop", shop_id=shop.id)), 303)


@bp.post("/products/<int:product_id>/<any(hide, unhide):verb>")
def product_visibility(product_id: int, verb: str):
    """Hide a product from the public, or show it again, with a reason."""
    product = db.session.get(Product, product_id)
    if product is None:
        abort(404)
    form = DecisionForm()
    back = _back(url_for("curation.shop", shop_id=product.shop_id))
    if not form.validate_on_submit():
        return redirect(back, 303)
    change = review.hide_product if verb == "hide" else review.unhide_product
    try:
        change(product, current_user, form.reason.data)
    except ReasonRequired:
        flash(_("This action needs a reason."), "error")
        return redirect(back, 303)
    except InvalidTransition:
        flash(_("This product is not hidden."), "error")
        return redirect(back, 303)
    db.session.commit()
    flash(_("Product hidden.") if verb == "hide" else _("Product visible again."), "success")
    return redirect(back, 303)


def _audit_filters() -> audit_log.AuditFilters:
    args = request.args
    start, end = _iso(args.get("start")), _iso(args.get("end"))
    period = None
    if start or end:
        period = make_period(start or FIRST_DAY, end or LAST_DAY, current_app.config["TIMEZONE"])
    target_id = args.get("target_id", "")
    return audit_log.AuditFilters(
        q=(args.get("q") or "").strip()[:100],
        action=(args.get("action") or "").strip()[:60],
        target_kind=(args.get("target_kind") or "").strip()[:30],
        target_id=db_int(target_id),
        start=period.since if period else None,
        end=period.until if period else None,
    )


def _iso(text: str | None) -> date | None:
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return min(max(day, FIRST_DAY), LAST_DAY)  # year 1 or 9999 would overflow; none is logged there


@bp.get("/audit")
def audit():
    """Search the audit log (read-only)."""
    page = page_arg()
    rows, total = audit_log.search_audit(_audit_filters(), page)
    pages = max((total + audit_log.PER_PAGE - 1) // audit_log.PER_PAGE, 1)
    return render_template(
        "curation/audit.html",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        args=request.args,
        change_rows=audit_log.change_rows,
        action_choices=action_choices,
        target_labels=TARGET_LABELS,
    )


@bp.get("/audit.csv")
def audit_export():
    """Download the matching audit entries as CSV."""
    return Response(
        audit_log.audit_csv(_audit_filters()),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=audit-log.csv"},
    )


def inject_pending_count() -> dict:
    """The number of shops waiting, for the curator's menu link."""

    return {"pending_review_count": pending_count}
