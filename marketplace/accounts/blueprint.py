"""The accounts blueprint and what its page modules share: error messages, the home of a user."""

from __future__ import annotations

from flask import Blueprint, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from marketplace.accounts.throttle import lock_minutes

bp = Blueprint("accounts", __name__, url_prefix="/account")

ERRORS = {
    "email_taken": _l("An account already uses this email."),
    "wrong_password": _l("This password is not right."),
    "weak_password": _l("Choose a password of at least 10 characters."),
    "bad_token": _l("This link is invalid or has expired. Ask for a new one."),
    "bad_confirmation": _l(
        "This link is invalid, expired or already used. Log in: if your email is not confirmed"
        " yet, we send you a new link."
    ),
    "bad_locale": _l("Choose one of the languages offered."),
}


def home_for(user) -> str:
    """Where a user lands after logging in: the merchant dashboard or the home page."""
    if user.is_shopkeeper:
        return url_for("merchant.dashboard")
    return url_for("public.home")


def locked_message(seconds: int) -> str:
    """What a locked account reads (the same for an email no account uses)."""
    minutes = lock_minutes(seconds)
    return ngettext(
        "Too many failed attempts for this account. Try again in %(num)d minute"
        " or reset your password.",
        "Too many failed attempts for this account. Try again in %(num)d minutes"
        " or reset your password.",
        minutes,
    )
