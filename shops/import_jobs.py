"""The catalogue import job: check, write and index a big file, then tell the shopkeeper."""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from marketplace.extensions import db
from marketplace.jobs import job
from marketplace.mail import send_email
from marketplace.urls import external_url
from shops import imports
from shops.import_messages import failure_message
from shops.import_models import DONE, INDEXING, CatalogueImport
from shops.indexing import catch_up_search_index, search_sync_deferred

log = logging.getLogger(__name__)

SUBJECTS = {
    True: _l("Your catalogue import is done"),
    False: _l("Your catalogue import did not go through"),
}


# No automatic retry: a failed import says why on its page, and the shopkeeper sends the file
# again (an import stopped mid-way by a worker restart is run again from the start).
@job(retries=0)
def run_catalogue_import(import_id: int) -> None:
    """Check every row, write them in one transaction, index them; the page follows along."""
    record = db.session.get(CatalogueImport, import_id)
    if record is None or not record.running:
        return  # ended already (a run queued twice)
    try:
        if record.phase != INDEXING:
            # The rows' problems are written in the language of the person who sent the file.
            with force_locale(_locale_of(record)):
                imports.import_recorded(record, imports.ProgressLog(record.id))
            with search_sync_deferred(db.session):  # indexed below, with progress
                db.session.commit()  # every row at once, with the import at INDEXING
        _catch_up_search(record.id)
        imports.finish_import(record)
        db.session.commit()
    except imports.ImportRefused as refused:
        db.session.rollback()
        imports.fail_import(record, refused.report)
        db.session.commit()
    except Exception:
        db.session.rollback()
        imports.fail_import(record, None)
        db.session.commit()
        email_import_result.delay(import_id)
        raise  # kept in job_failures: the admin sees the error on /admin/jobs
    email_import_result.delay(import_id)


def _locale_of(record: CatalogueImport) -> str:
    user = record.started_by
    return (user.locale if user else None) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _catch_up_search(import_id: int) -> None:
    # The rows are committed whatever happens here: a broken index does not undo the import
    # (the periodic `flask search sync` and the next commits apply the outbox).
    try:
        catch_up_search_index(imports.ProgressLog(import_id).rows)
    except Exception:
        log.exception("search index not caught up after a catalogue import; the sync will")


@job()
def email_import_result(import_id: int) -> None:
    """Email the person who sent the file how the import ended, in their language."""
    record = db.session.get(CatalogueImport, import_id)
    if record is None or record.running or not record.notify:
        return
    user = record.started_by
    if user is None or user.deleted_at is not None:
        return
    shop = record.shop
    send_email(
        user.email,
        SUBJECTS[record.phase == DONE],
        "catalogue_import",
        locale=user.locale,
        record=record,
        shop=shop,
        failure=failure_message(record),
        link=external_url("imports.status", slug=shop.slug, import_id=record.id),
    )
