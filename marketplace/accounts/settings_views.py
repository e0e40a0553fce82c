"""Account settings: the language, the email (moved by a link mailed to it), the password."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy.exc import IntegrityError

from marketplace.accounts import emails, services, throttle
from marketplace.accounts.blueprint import ERRORS, bp, locked_message
from marketplace.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmEmailForm,
    LanguageForm,
)
from marketplace.extensions import db


@bp.route("/email/<token>", methods=["GET", "POST"])
def change_email(token: str):
    """Move the account to the new email from the link mailed to it (a button, as for sign-up)."""
    try:
        user, new_email = services.email_change_from_token(token)
    except services.AccountError:
        flash(ERRORS["bad_token"], "error")
        return redirect(url_for("accounts.settings"))
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        try:
            services.change_email(user, new_email)
            db.session.commit()
        except (services.AccountError, IntegrityError):  # taken since: its owner is the visitor
            db.session.rollback()
            flash(ERRORS["email_taken"], "error")
        else:
            flash(_("Your email is changed."), "success")
        return redirect(url_for("accounts.settings"))
    return render_template("accounts/change_email.html", form=form, email=new_email)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Change the language, the email or the password (the current password is asked again)."""
    email_form = ChangeEmailForm(prefix="email")
    password_form = ChangePasswordForm(prefix="pw")
    language_form = LanguageForm(prefix="lang", locale=current_user.locale or str(get_locale()))
    action = request.form.get("action")
    if action == "language" and language_form.validate_on_submit():
        code = language_form.locale.data
        services.change_locale(current_user, code, current_app.config["LANGUAGES"])
        db.session.commit()
        session["lang"] = code  # the pages switch at once, as with the header's switch
        with force_locale(code):  # this request still speaks the old language
            flash(_("Your language is saved: pages and emails will use it."), "success")
        return redirect(url_for("accounts.settings"))
    if action == "email" and email_form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            throttle.check_password_counted(user, email_form.current_password.data)
        except services.AccountError as error:
            email_form.current_password.errors.append(_refusal(error))
        else:
            # Whether another account uses it or not, the answer is the same: the job mails the
            # new address a link to finish the change, or its owner a notice.
            new_email = services.normalize_email(email_form.email.data)
            emails.email_change_link.delay(current_user.id, new_email)
            flash(
                _(
                    "To finish, open the link we sent to %(email)s. Until then your email"
                    " stays the same.",
                    email=new_email,
                ),
                "info",
            )
            return redirect(url_for("accounts.settings"))
    elif action == "password" and password_form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            throttle.check_password_counted(user, password_form.current_password.data)
            services.set_password(user, password_form.password.data)
        except services.AccountError as error:
            password_form.current_password.errors.append(_refusal(error))
        else:
            db.session.commit()
            login_user(
                current_user._get_current_object()
            )  # keep this session; the others are now logged out
            flash(_("Your password is changed. Other devices are logged out."), "success")
            return redirect(url_for("accounts.settings"))
    return render_template(
        "accounts/settings.html",
        email_form=email_form,
        password_form=password_form,
        language_form=language_form,
    )


def _refusal(error: services.AccountError) -> str:
    if isinstance(error, throttle.AccountLocked):
        return locked_message(error.seconds)
    return str(ERRORS[error.code])
