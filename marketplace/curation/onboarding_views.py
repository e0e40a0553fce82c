"""The office's bulk onboarding page: send the town's shops CSV, read its preview, import it."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.curation import onboarding
from marketplace.curation.blueprint import bp
from marketplace.curation.forms import ConfirmForm, ShopImportForm
from marketplace.curation.models import PREVIEWED, ShopImport
from marketplace.extensions import db
from shops.csv_io import CsvError
from shops.csv_shops import COLUMNS, REQUIRED
from shops.import_registers import queue_after_import


def _record(import_id: int) -> ShopImport:
    record = db.session.get(ShopImport, import_id)
    if record is None:
        abort(404)
    return record


@bp.route("/onboarding", methods=["GET", "POST"])
def onboarding_upload():
    """Send the town's shops CSV: it is checked and kept for its preview; nothing is imported."""
    form = ShopImportForm()
    if form.validate_on_submit():
        limit = current_app.config["SHOP_IMPORT_MAX_BYTES"]
        data = form.file.data.stream.read(limit + 1)
        try:
            if len(data) > limit:
                raise onboarding.FileRefused(CsvError("too_large"))
            record = onboarding.start_preview(
                current_user,
                form.file.data.filename or "",
                data,
                form.publish.data,
                current_app.config["SHOP_IMPORT_MAX_ROWS"],
            )
        except onboarding.FileRefused as refused:
            db.session.rollback()
            form.file.errors = [onboarding.file_message(refused.error)]
        else:
            db.session.commit()
            return redirect(url_for("curation.onboarding_preview", import_id=record.id), 303)
    return render_template(
        "curation/onboarding.html",
        form=form,
        columns=COLUMNS,
        required=REQUIRED,
        recent=onboarding.recent_imports(),
    ), (400 if request.method == "POST" else 200)


@bp.get("/onboarding/<int:import_id>")
def onboarding_preview(import_id: int):
    """Show what the import would do, line by line (a dry run), or what it did."""
    record = _record(import_id)
    check = onboarding.preview(record) if record.status == PREVIEWED else None
    return render_template(
        "curation/onboarding_preview.html", record=record, check=check, form=ConfirmForm()
    )


@bp.post("/onboarding/<int:import_id>/import")
def onboarding_import(import_id: int):
    """Import the previewed file once; the invitations go out through the job queue."""
    record = _record(import_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        report = onboarding.import_previewed(record, current_user)
    except onboarding.AlreadyImported:
        db.session.rollback()
        flash(_("This file was imported already; here is what the import did."), "info")
    except onboarding.FileRefused as refused:
        db.session.rollback()
        flash(str(onboarding.file_message(refused.error)), "error")
    else:
        db.session.commit()
        queue_after_import(report)
        flash(_("Shops imported."), "success")
    return redirect(url_for("curation.onboarding_preview", import_id=import_id), 303)
