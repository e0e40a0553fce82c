"""My data: download everything Vitrine stores about me, or delete my account."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user
from wtforms import PasswordField
from wtforms.validators import DataRequired

from marketplace.accounts import throttle
from marketplace.accounts.blueprint import locked_message
from marketplace.accounts.services import AccountError
from marketplace.bounded import Form
from marketplace.extensions import db
from marketplace.privacy.services import DeletionRefused, delete_account, export_personal_data

bp = Blueprint("privacy", __name__, url_prefix="/account")

REFUSALS = {
    "wrong_password": _l("This password is not right."),
    "staff": _l("Staff accounts are closed by an administrator."),
    "owns_shop": _l(
        "You run a shop: ask the town's office to close it before deleting your account."
    ),
    "orders_in_progress": _l("You have orders in progress: collect or cancel them first."),
}


class DeleteAccountForm(Form):
    """Confirm the deletion with the password."""

    password = PasswordField(_l("Your password"), validators=[DataRequired()])


@bp.get("/data")
@login_required
def my_data():
    """Explain what is stored; offer the download and the deletion."""
    return render_template("privacy/my_data.html", form=DeleteAccountForm())


@bp.get("/data/export.json")
@login_required
def export():
    """Download all my data as JSON."""
    data = export_personal_data(current_user._get_current_object())
    return Response(
        json.dumps(data, ensure_ascii=False, indent=1),
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=vitrine-my-data.json"},
    )


@bp.post("/delete")
@login_required
def delete():
    """Delete my account; my orders stay for the shops, without my name."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            # Counted with the failed logins: a stolen session cannot guess the password here.
            throttle.check_password_counted(user, form.password.data)
            delete_account(user, form.password.data)
        except throttle.AccountLocked as error:
            form.password.errors.append(locked_message(error.seconds))
        except (AccountError, DeletionRefused) as error:
            form.password.errors.append(REFUSALS[error.code])
        else:
            db.session.commit()
            logout_user()
            flash(_l("Your account is deleted."), "success")
            return redirect(url_for("public.home"))
    return render_template("privacy/my_data.html", form=form), 400
