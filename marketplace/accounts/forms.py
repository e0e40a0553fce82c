"""Account forms (Flask-WTF, CSRF-protected)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from marketplace.accounts.services import MIN_PASSWORD_LENGTH
from marketplace.bounded import Form


def _new_password(label):
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("At least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class RegisterForm(Form):
    """Create an account."""

    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = _new_password(_l("Password"))
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    is_shopkeeper = BooleanField(_l("I run a shop and want to list it"))


class ConfirmEmailForm(Form):
    """Confirm the email from the emailed link (a button, so that link scanners confirm nothing)."""


class LoginForm(Form):
    """Log in."""

    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Stay logged in on this device"))


class ResetRequestForm(Form):
    """Ask for a password-reset email."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])


class SetPasswordForm(Form):
    """Choose a new password (reset or invitation)."""

    password = _new_password(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(SetPasswordForm):
    """Change the password, proving who you are with the current one."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )


class ChangeEmailForm(Form):
    """Change the login email, proving who you are with the password."""

    email = EmailField(_l("New email"), validators=[DataRequired(), Email(), Length(max=254)])
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )


class LanguageForm(Form):
    """Choose the language of the pages and of the emails Vitrine sends me."""

    # Each language named in itself, as language menus do.
    locale = SelectField(
        _l("Language of pages and emails"), choices=[("fr", "Français"), ("en", "English")]
    )
