"""Account pages: sign up and confirm, log in and out, reset the password.

The settings pages (language, email, password) are in settings_views.py, on the same blueprint.
"""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from marketplace.accounts import emails, services, settings_views, throttle
from marketplace.accounts.blueprint import ERRORS, bp, home_for, locked_message
from marketplace.accounts.forms import (
    ConfirmEmailForm,
    LoginForm,
    RegisterForm,
    ResetRequestForm,
    SetPasswordForm,
)
from marketplace.accounts.models import RESIDENT, SHOPKEEPER
from marketplace.extensions import db, limiter
from marketplace.i18n import safe_next

__all__ = ["bp", "settings_views"]  # settings_views: imported so that its routes attach to bp


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def register():
    """Open an account, as a resident or as a shopkeeper, once its email is confirmed (then `next`)."""
    form = RegisterForm()
    if request.method == "GET" and not form.email.data:
        form.email.data = request.args.get("email", "")[:254]  # offered after a guest order
    if form.validate_on_submit():
        email = services.normalize_email(form.email.data)
        try:
            user = services.sign_up(
                email,
                form.password.data,
                form.name.data,
                SHOPKEEPER if form.is_shopkeeper.data else RESIDENT,
                # The language the sign-up page spoke is the one the emails will speak.
                locale=str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
            )
            new_id = user.id if user is not None else None  # read now: no reload after commit
            db.session.commit()
        except IntegrityError:  # the same email signed up at the same instant
            db.session.rollback()
            new_id = None
        # The same answer whether the email is new or taken; only the email differs.
        throttle.first_time_in_window("confirmation-resent", email)  # a login now resends none
        if new_id is None:
            emails.email_signup_notice.delay(email)
        else:
            emails.email_confirmation.delay(new_id, safe_next_or_none())
        flash(
            _(
                "Check your email: we sent a message to %(email)s to finish opening your account.",
                email=email,
            ),
            "info",
        )
        return redirect(url_for("accounts.login", next=safe_next_or_none()))
    return render_template("accounts/register.html", form=form, next=safe_next_or_none())


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """Confirm the email from the emailed link, then log in (a button: link scanners only GET)."""
    try:
        user = services.user_from_password_token(token, "confirm")
    except services.AccountError:
        flash(ERRORS["bad_confirmation"], "error")
        return redirect(url_for("accounts.login"))
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        services.confirm_email(user)
        db.session.commit()
        login_user(user)  # user_logged_in: the visitor's cart and guest orders join it
        flash(_("Welcome to Vitrine, %(name)s!", name=user.name), "success")
        return redirect(safe_next(request.args.get("next"), home_for(user)))
    return render_template("accounts/confirm_email.html", form=form, user=user)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log in with email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        email = services.normalize_email(form.email.data)
        wait = throttle.seconds_locked(email)
        if wait:  # not even the right password: the lock is what stops a guesser
            return _locked_out(form, wait)
        user = services.authenticate(email, form.password.data)
        if user is None:
            throttle.note_failure(email)  # the one that locks it tells the owner, once
            # One message for unknown email and wrong password: no account enumeration.
            flash(_("Email or password is not right."), "error")
        elif not user.is_confirmed:
            if throttle.first_time_in_window("confirmation-resent", email):
                emails.email_confirmation.delay(user.id)
            flash(_("Confirm your email first: we sent you a link to open your account."), "error")
        else:
            throttle.clear_failures(email)
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next"), home_for(user)))
    return render_template("accounts/login.html", form=form, next=safe_next_or_none())


def safe_next_or_none() -> str | None:
    """The page to return to after logging in or signing up, when it is one of ours."""
    return safe_next(request.args.get("next"), "") or None


def _locked_out(form: LoginForm, seconds: int):
    flash(locked_message(seconds), "error")
    page = render_template("accounts/login.html", form=form, next=safe_next_or_none())
    response = make_response(page, 429)
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.post("/logout")
@login_required
def logout():
    """Log out: the session cookie, even if copied elsewhere, no longer opens the account."""
    # Sessions live in signed cookies: only a new token makes a copied cookie worthless.
    services.end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.home"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def reset_request():
    """Ask for an email with a link to choose a new password."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        # Queued whatever the email: the job finds the account (or none) and mails the link.
        emails.email_password_reset.delay(services.normalize_email(form.email.data))
        flash(
            _("If an account uses this email, a link to reset the password is on its way."), "info"
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from an emailed link."""
    return _set_password_from_token(token, "reset")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Choose a first password from an invitation (shops onboarded by the town)."""
    return _set_password_from_token(token, "invite")


def _set_password_from_token(token: str, purpose: str):
    try:
        user = services.user_from_password_token(token, purpose)
    except services.AccountError as error:
        flash(ERRORS[error.code], "error")
        return redirect(url_for("accounts.reset_request"))
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.set_password_from_link(user, form.password.data)
        db.session.commit()
        throttle.clear_failures(user.email)  # the way out of a login lock
        login_user(user)
        flash(_("Your password is set."), "success")
        return redirect(home_for(user))
    return render_template("accounts/set_password.html", form=form, purpose=purpose)
