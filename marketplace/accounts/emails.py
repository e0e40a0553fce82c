"""Account emails, sent by jobs: no request waits for mail, or takes longer for a real account.

A request queues one job with the address typed (or the new account's id) whatever the outcome;
the job looks the account up and sends what applies. Sign-up, password reset and the login lock
thus cost a request the same whether or not an account uses the address (no enumeration by time).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.accounts import services
from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.jobs import job
from marketplace.mail import send_email
from marketplace.urls import external_url


def _live(user: User | None) -> User | None:
    return user if user is not None and user.deleted_at is None else None


def _reset_link(user: User) -> str:
    return external_url(
        "accounts.reset_password", token=services.make_password_token(user, "reset")
    )


@job()
def email_confirmation(user_id: int, next_path: str | None = None) -> None:
    """Send a new account the link that confirms its address (nothing once it is confirmed).

    `next_path`, a page of ours checked by the view (the checkout, say), is where the link leads
    once the account is open.
    """
    user = _live(db.session.get(User, user_id))
    if user is None or user.is_confirmed:
        return
    token = services.make_password_token(user, "confirm")
    extra = {"next": next_path} if next_path else {}
    send_email(
        user.email,
        _l("Confirm your email to open your Vitrine account"),
        "confirm_email",
        locale=user.locale,
        user=user,
        link=external_url("accounts.confirm_email", token=token, **extra),
    )


@job()
def email_signup_notice(email: str) -> None:
    """Tell the owner of `email` that someone tried to sign up with it, with a reset link."""
    user = services.find_user_by_email(email)
    if user is None:
        return
    send_email(
        user.email,
        _l("Someone tried to open a Vitrine account with your email"),
        "signup_notice",
        locale=user.locale,
        user=user,
        link=_reset_link(user),
        login_link=external_url("accounts.login"),
    )


@job()
def email_password_reset(email: str) -> None:
    """Send the link to choose a new password to the account using `email`, if one does."""
    user = services.find_user_by_email(email)
    if user is None:
        return
    send_email(
        user.email,
        _l("Reset your Vitrine password"),
        "password_reset",
        locale=user.locale,
        user=user,
        link=_reset_link(user),
    )


@job()
def email_login_locked(email: str, failures: int, minutes: int) -> None:
    """Tell the owner of `email` that logins are paused after repeated failures."""
    user = services.find_user_by_email(email)
    if user is None:
        return
    send_email(
        user.email,
        _l("Logins to your Vitrine account are paused"),
        "login_locked",
        locale=user.locale,
        user=user,
        failures=failures,
        minutes=minutes,
        link=_reset_link(user),
    )


@job()
def email_change_link(user_id: int, new_email: str) -> None:
    """Mail `new_email` the link that moves the account to it, or, if taken, a notice to its owner."""
    user = _live(db.session.get(User, user_id))
    if user is None:
        return
    owner = services.find_user_by_email(new_email)
    if owner is not None:
        if owner.id != user.id:
            send_email(
                owner.email,
                _l("Someone tried to use your email for another Vitrine account"),
                "email_change_notice",
                locale=owner.locale,
                user=owner,
            )
        return
    token = services.make_email_change_token(user, new_email)
    send_email(
        new_email,
        _l("Confirm your new email for Vitrine"),
        "email_change",
        locale=user.locale,
        user=user,
        link=external_url("accounts.change_email", token=token),
    )


INVITATION_SUBJECTS = {
    "staff": _l("Your Vitrine account"),
    "shop": _l("Your shop is on Vitrine: choose your password"),
}


@job()
def email_invitation(user_id: int, kind: str = "staff") -> None:
    """Send an account opened for someone (staff, an imported shop) the link to choose a password."""
    user = _live(db.session.get(User, user_id))
    if user is None:
        return
    token = services.make_password_token(user, "invite")
    send_email(
        user.email,
        INVITATION_SUBJECTS[kind],
        "invitation",
        locale=user.locale,
        user=user,
        link=external_url("accounts.accept_invitation", token=token),
    )
