"""/admin/jobs: the admin sees what waits in the queue and what failed, and queues a failure again."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import ADMIN
from marketplace.extensions import db
from marketplace.jobs import records
from marketplace.jobs.models import JobFailure
from marketplace.jobs.queue import queue_of

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@roles_required(ADMIN)
def require_admin():
    """Residents, shopkeepers and curators get a 403 on every admin page."""


@bp.get("/jobs")
def jobs():
    """List the pending and waiting jobs, and the failed ones with their last error."""
    queue = queue_of(current_app)
    return render_template(
        "jobs/jobs.html",
        pending=queue.pending(),
        scheduled=queue.scheduled(),
        failures=records.open_failures(),
        resolved=records.recent_resolved(),
    )


@bp.post("/jobs/<int:failure_id>/retry")
def retry(failure_id: int):
    """Queue a failed job again with its arguments."""
    failure = db.session.get(JobFailure, failure_id)
    if failure is None:
        abort(404)
    try:
        records.retry_failure(failure)
    except records.NotRetryable:
        db.session.rollback()
        flash(_("This job cannot be queued again: it is not failed any more."), "error")
        return redirect(url_for("admin.jobs"), 303)
    db.session.commit()
    flash(_("Job #%(id)s is queued again.", id=failure_id), "success")
    return redirect(url_for("admin.jobs"), 303)
