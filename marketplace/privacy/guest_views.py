"""A guest's data: download or erase it, once a link mailed to the address was opened here."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import DataRequired

from marketplace.bounded import Form
from marketplace.errors import error_response
from marketplace.extensions import db
from marketplace.orders import guest_access
from marketplace.privacy.guests import erase_guest_data, export_guest_data
from marketplace.privacy.services import DeletionRefused
from marketplace.privacy.views import REFUSALS

bp = Blueprint("guest_privacy", __name__, url_prefix="/guest")


class EraseGuestDataForm(Form):
    """Confirm the erasure with a tick: it cannot be undone."""

    confirm = BooleanField(
        _l("Erase my email, phone number and name from my orders"),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )


def _proven_email_or_refuse() -> str | Response:
    email = guest_access.proven_email()
    if email is None:
        message = _(
            "To see the data of your guest orders, first open the link to an order from one of "
            "our emails, in this browser."
        )
        return error_response(403, message)
    return email


@bp.get("/data")
def my_data():
    """Say what is stored about the guest; offer the download and the erasure."""
    email = _proven_email_or_refuse()
    if not isinstance(email, str):
        return email
    data = export_guest_data(email)
    return render_template(
        "privacy/guest_data.html", email=email, data=data, form=EraseGuestDataForm()
    )


@bp.get("/data/export.json")
def export():
    """Download everything stored about the guest's email, as JSON."""
    email = _proven_email_or_refuse()
    if not isinstance(email, str):
        return email
    return Response(
        json.dumps(export_guest_data(email), ensure_ascii=False, indent=1),
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=vitrine-my-data.json"},
    )


@bp.post("/data/erase")
def erase():
    """Erase the guest's contact from their orders; the orders stay for the shops, nameless."""
    email = _proven_email_or_refuse()
    if not isinstance(email, str):
        return email
    form = EraseGuestDataForm()
    if form.validate_on_submit():
        try:
            erase_guest_data(email)
        except DeletionRefused as error:
            form.confirm.errors.append(REFUSALS[error.code])
        else:
            db.session.commit()
            guest_access.forget_email()
            flash(_("Your details are erased from your orders."), "success")
            return redirect(url_for("public.home"), 303)
    data = export_guest_data(email)
    return render_template("privacy/guest_data.html", email=email, data=data, form=form), 400
