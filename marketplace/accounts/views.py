"""Account pages: register, log in and out, reset the password, account settings."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from marketplace.accounts import services
from marketplace.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    LanguageForm,
    LoginForm,
    RegisterForm,
    ResetRequestForm,
    SetPasswordForm,
)
from marketplace.accounts.models import RESIDENT, SHOPKEEPER
from marketplace.extensions import db, limiter
from marketplace.i18n import safe_next
from marketplace.mail import send_email
from marketplace.urls import external_url

bp = Blueprint("accounts", __name__, url_prefix="/account")

ERRORS = {
    "email_taken": _l("An account already uses this email."),
    "wrong_password": _l("This password is not right."),
    "weak_password": _l("Choose a password of at least 10 characters."),
    "bad_token": _l("This link is invalid or has expired. Ask for a new one."),
    "bad_locale": _l("Choose one of the languages offered."),
}


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _home_for(user) -> str:
    if user.is_shopkeeper:
        return url_for("merchant.dashboard")
    return url_for("public.home")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def register():
    """Create an account, as a resident or as a shopkeeper (then back to `next`, e.g. the checkout)."""
    form = RegisterForm()
    if request.method == "GET" and not form.email.data:
        form.email.data = request.args.get("email", "")[:254]  # offered after a guest order
    if form.validate_on_submit():
        role = SHOPKEEPER if form.is_shopkeeper.data else RESIDENT
        try:
            user = services.register_user(
                form.email.data,
                form.password.data,
                form.name.data,
                role,
                # The language the sign-up page spoke is the one the emails will speak.
                locale=str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
            )
        except services.AccountError as error:
            form.email.errors.append(ERRORS.get(error.code, error.code))
        else:
            db.session.commit()
            login_user(user)  # user_logged_in: the visitor's cart and guest orders join it
            flash(_("Welcome to Vitrine, %(name)s!", name=user.name), "success")
            return redirect(safe_next(request.args.get("next"), _home_for(user)))
    return render_template("accounts/register.html", form=form, next=safe_next_or_none())


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Log in with email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            # One message for unknown email and wrong password: no account enumeration.
            flash(_("Email or password is not right."), "error")
        else:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next"), _home_for(user)))
    return render_template("accounts/login.html", form=form, next=safe_next_or_none())


def safe_next_or_none() -> str | None:
    """The page to return to after logging in or signing up, when it is one of ours."""
    return safe_next(request.args.get("next"), "") or None


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
        user = services.find_user_by_email(form.email.data)
        if user is not None:
            token = services.make_password_token(user, "reset")
            send_email(
                user.email,
                _l("Reset your Vitrine password"),
                "password_reset",
                locale=user.locale,
                user=user,
                link=external_url("accounts.reset_password", token=token),
            )
        # Same answer whether or not the account exists.
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
        services.set_password(user, form.password.data)
        db.session.commit()
        login_user(user)
        flash(_("Your password is set."), "success")
        return redirect(_home_for(user))
    return render_template("accounts/set_password.html", form=form, purpose=purpose)


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
        try:
            services.change_email(
                current_user, email_form.current_password.data, email_form.email.data
            )
        except services.AccountError as error:
            field = email_form.email if error.code == "email_taken" else email_form.current_password
            field.errors.append(ERRORS[error.code])
        else:
            db.session.commit()
            flash(_("Your email is changed."), "success")
            return redirect(url_for("accounts.settings"))
    elif action == "password" and password_form.validate_on_submit():
        try:
            services.change_password(
                current_user, password_form.current_password.data, password_form.password.data
            )
        except services.AccountError as error:
            password_form.current_password.errors.append(ERRORS[error.code])
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
