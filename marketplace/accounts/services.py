"""Account operations: register, authenticate, reset and change credentials, create staff."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from marketplace.accounts.models import ADMIN, CURATOR, RESIDENT, ROLES, User, new_session_token
from marketplace.db import utcnow
from marketplace.extensions import db

MIN_PASSWORD_LENGTH = 10

# A fixed hash checked when the email is unknown, so a failed login takes as long either way.
_DUMMY_HASH = generate_password_hash("not-a-real-password-just-timing")


class AccountError(Exception):
    """A domain error on accounts; `code` names it for the view's message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def normalize_email(email: str) -> str:
    """Emails are unique without regard to case or surrounding spaces."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """Return the live user with this email, or None."""
    return db.session.scalar(
        select(User).where(
            func.lower(User.email) == normalize_email(email), User.deleted_at.is_(None)
        )
    )


def hash_password(password: str) -> str:
    """Hash a password with the configured scheme (scrypt by default)."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(password, method=method)


def check_password_strength(password: str) -> None:
    """Raise AccountError('weak_password') for passwords too short to be safe."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("weak_password")


def register_user(
    email: str, password: str | None, name: str, role: str = RESIDENT, locale: str | None = None
) -> User:
    """Create an account; raise AccountError('email_taken') if the email is in use."""
    if find_user_by_email(email):
        raise AccountError("email_taken")
    return _new_user(email, password, name, role, locale)


def sign_up(email: str, password: str, name: str, role: str, locale: str | None) -> User | None:
    """Open an unconfirmed account; return None if the email is taken, at the same cost.

    The caller answers both cases alike and mails the address: a confirmation link for a new
    account, a notice to the owner of an existing one (no account enumeration).
    """
    if find_user_by_email(email) is not None:
        check_password_strength(password)
        hash_password(password)  # the work a new account costs, so the timing tells nothing
        return None
    return _new_user(email, password, name, role, locale)


def _new_user(email: str, password: str | None, name: str, role: str, locale: str | None) -> User:
    if role not in ROLES:
        raise AccountError("bad_role")
    if password is not None:
        check_password_strength(password)
    user = User(
        email=normalize_email(email),
        password_hash=hash_password(password) if password else None,
        name=name.strip(),
        role=role,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    return user


def confirm_email(user: User) -> None:
    """Record that the owner proved the address (a link mailed to it was opened)."""
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()


def authenticate(email: str, password: str) -> User | None:
    """Return the user when the email and password match, else None (same cost either way)."""
    user = find_user_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def set_password(user: User, password: str) -> None:
    """Change the password and log out every other session of this user."""
    check_password_strength(password)
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()


def set_password_from_link(user: User, password: str) -> None:
    """Set the password from a reset or invitation link, which also proves the address."""
    set_password(user, password)
    confirm_email(user)


def end_sessions(user: User) -> None:
    """Log the user out everywhere: every session and "remember me" cookie names the old token."""
    user.session_token = new_session_token()


def check_current_password(user: User, password: str) -> None:
    """Raise AccountError('wrong_password') unless `password` is the user's."""
    if not user.password_hash or not check_password_hash(user.password_hash, password):
        raise AccountError("wrong_password")


def change_locale(user: User, locale: str, languages: tuple[str, ...]) -> None:
    """Set the language of the user's pages and emails; raise AccountError('bad_locale') if unknown."""
    if locale not in languages:
        raise AccountError("bad_locale")
    user.locale = locale


def change_email(user: User, new_email: str) -> None:
    """Change the login email (from the link mailed to it); raise AccountError('email_taken')."""
    other = find_user_by_email(new_email)
    if other is not None and other.id != user.id:
        raise AccountError("email_taken")
    user.email = normalize_email(new_email)


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    # Signed with SECRET_KEY; links made with a key being rotated out (SECRET_KEY_FALLBACKS) still open.
    keys = [*current_app.config.get("SECRET_KEY_FALLBACKS", []), current_app.config["SECRET_KEY"]]
    return URLSafeTimedSerializer(keys, salt=f"vitrine-{purpose}")


def _fingerprint(user: User) -> str:
    # Binds a token to the current password and email: once either changes, the token is spent
    # (a link mailed to an address the account no longer uses must not open it).
    material = f"{user.password_hash or 'none'}\x00{normalize_email(user.email)}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


MAX_AGE_SETTINGS = {
    "reset": "PASSWORD_RESET_MAX_AGE",
    "invite": "INVITATION_MAX_AGE",
    "confirm": "EMAIL_CONFIRMATION_MAX_AGE",
}


def make_password_token(user: User, purpose: str = "reset") -> str:
    """Return a signed, single-use token: set the password (reset, invite) or confirm the email."""
    return _serializer(purpose).dumps({"uid": user.id, "fp": _fingerprint(user)})


def user_from_password_token(token: str, purpose: str = "reset") -> User:
    """Return the user a valid token was made for; raise AccountError('bad_token') otherwise."""
    max_age = current_app.config[MAX_AGE_SETTINGS[purpose]]
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired) as exc:
        raise AccountError("bad_token") from exc
    user = db.session.get(User, data.get("uid"))
    if user is None or user.deleted_at is not None or data.get("fp") != _fingerprint(user):
        raise AccountError("bad_token")
    if purpose == "confirm" and user.is_confirmed:
        raise AccountError("bad_token")  # a confirmation link opens the account once
    return user


def make_email_change_token(user: User, new_email: str) -> str:
    """Return a signed token that moves the account to `new_email` (mailed to that address)."""
    payload = {"uid": user.id, "fp": _fingerprint(user), "email": normalize_email(new_email)}
    return _serializer("email").dumps(payload)


def email_change_from_token(token: str) -> tuple[User, str]:
    """Return (user, new email) of a valid email-change token; raise AccountError('bad_token')."""
    try:
        data = _serializer("email").loads(
            token, max_age=current_app.config["EMAIL_CONFIRMATION_MAX_AGE"]
        )
    except (BadSignature, SignatureExpired) as exc:
        raise AccountError("bad_token") from exc
    user = db.session.get(User, data.get("uid"))
    # The fingerprint names the old email: once the change is made, the link is spent.
    if user is None or user.deleted_at is not None or data.get("fp") != _fingerprint(user):
        raise AccountError("bad_token")
    return user, str(data.get("email", ""))


def create_staff(email: str, name: str, role: str) -> User:
    """Create a curator or an admin without a password; they set one through an invitation."""
    if role not in (CURATOR, ADMIN):
        raise AccountError("bad_role")
    existing = find_user_by_email(email)
    if existing is not None:
        existing.role = role
        return existing
    return register_user(email, None, name or email.split("@")[0], role=role)
