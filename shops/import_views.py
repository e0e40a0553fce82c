"""Catalogue imports: send a CSV file, then follow the import on its status page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user

from marketplace.extensions import db
from shops import imports
from shops.access import get_owned_shop, open_to_agent_mode
from shops.forms import CsvImportForm
from shops.import_jobs import run_catalogue_import
from shops.import_messages import CSV_MESSAGES, PHASES, failure_message, file_error_message
from shops.import_models import CatalogueImport
from shops.product_views import require_shopkeeper

bp = open_to_agent_mode(
    Blueprint("imports", __name__, url_prefix="/merchant/shops/<slug>/products")
)
bp.before_request(require_shopkeeper)  # the same people as the catalogue pages

# While it runs, the status page asks again for its state this often (static/js/poll-page.js).
REFRESH_SECONDS = 3


@bp.post("/import")
def upload(slug: str):
    """Import a catalogue CSV: all rows or none; a big file goes on in the background."""
    shop = get_owned_shop(slug)
    form = CsvImportForm()
    report = busy = None
    if form.validate_on_submit():
        data = form.file.data.stream.read(current_app.config["MAX_CSV_BYTES"] + 1)
        if len(data) > current_app.config["MAX_CSV_BYTES"]:
            form.file.errors = [CSV_MESSAGES["too_large"]]
        else:
            try:
                record, queued = imports.start_import(
                    shop,
                    current_user,
                    form.file.data.filename or "",
                    data,
                    imports.ImportLimits.from_config(current_app.config),
                )
            except imports.ImportBusy as error:
                db.session.rollback()
                busy = error.running
            except imports.ImportRefused as refused:
                db.session.rollback()
                report = refused.report
                if report.file_error is not None:
                    form.file.errors = [file_error_message(report.file_error)]
            else:
                db.session.commit()
                if queued:
                    run_catalogue_import.delay(record.id)
                return redirect(url_for("imports.status", slug=shop.slug, import_id=record.id))
    status = 409 if busy is not None else 400
    return render_template(
        "shops/import.html", shop=shop, form=form, report=report, busy=busy
    ), status


@bp.get("/imports/<int:import_id>")
def status(slug: str, import_id: int):
    """Show how far an import went, refreshing itself until it ends, then its result."""
    shop = get_owned_shop(slug)
    record = db.session.get(CatalogueImport, import_id)
    if record is None or record.shop_id != shop.id:
        abort(404)
    return render_template(
        "shops/import_status.html",
        shop=shop,
        record=record,
        phase=PHASES.get(record.phase),
        failure=failure_message(record),
        refresh=REFRESH_SECONDS if record.running and not record.stalled else None,
    )
