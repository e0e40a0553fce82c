"""Failed logins counted per account, shared by every worker and server.

The per-address limit (LOGIN_RATE_LIMIT) does not stop a guesser who spreads attempts over many
addresses, and a count kept in one worker's memory does not stop one who spreads them over
workers. This one is kept per email in the rate limiter's storage (RATELIMIT_STORAGE_URI: memory
in development and tests, Redis in production), under a hash of the address: unknown emails are
counted and locked exactly like real accounts, so a lock says nothing about who has an account.
"""

from __future__ import annotations

import hashlib
import math
import time

from flask import current_app
from limits import RateLimitItem, parse
from limits.storage import Storage

from marketplace.accounts import emails
from marketplace.accounts.models import User
from marketplace.accounts.services import AccountError, check_current_password, normalize_email
from marketplace.extensions import limiter


class AccountLocked(AccountError):
    """Too many failed password checks on this account; `seconds` until they are tried again."""

    def __init__(self, seconds: int) -> None:
        super().__init__("locked")
        self.seconds = seconds


def _limit() -> RateLimitItem:
    return parse(current_app.config["LOGIN_ACCOUNT_LIMIT"])


def _storage() -> Storage | None:
    return limiter.storage if limiter.enabled else None


def _key(kind: str, email: str, item: RateLimitItem) -> str:
    # A hash, not the address: the shared store holds no personal data.
    digest = hashlib.sha256(normalize_email(email).encode()).hexdigest()[:32]
    return item.key_for(current_app.config["RATELIMIT_KEY_PREFIX"], kind, digest)


def seconds_locked(email: str) -> int:
    """Seconds before logins to this email are tried again (0: not locked)."""
    storage, item = _storage(), _limit()
    if storage is None:
        return 0
    key = _key("login-failures", email, item)
    if storage.get(key) < item.amount:
        return 0
    return max(1, math.ceil(storage.get_expiry(key) - time.time()))


def record_failure(email: str) -> bool:
    """Count a failed login; True for the one failure that locks the account (once a window)."""
    storage, item = _storage(), _limit()
    if storage is None:
        return False
    # One atomic increment: of concurrent failures on several servers, exactly one reaches N.
    return storage.incr(_key("login-failures", email, item), item.get_expiry()) == item.amount


def clear_failures(email: str) -> None:
    """Forget the failures (a successful login or a new password ends the lock)."""
    storage = _storage()
    if storage is not None:
        storage.clear(_key("login-failures", email, _limit()))


def failure_limit() -> int:
    """How many failures lock an account (LOGIN_ACCOUNT_LIMIT)."""
    return _limit().amount


def lock_minutes(seconds: int) -> int:
    """Whole minutes to wait, as the message and the owner's email say it."""
    return max(1, math.ceil(seconds / 60))


def first_time_in_window(kind: str, email: str) -> bool:
    """True once per LOGIN_ACCOUNT_LIMIT window for this email (resending a link, say)."""
    storage, item = _storage(), _limit()
    if storage is None:
        return True
    return storage.incr(_key(kind, email, item), item.get_expiry()) == 1


def note_failure(email: str) -> None:
    """Count a failed password check; the one that locks the account queues its owner's email."""
    if record_failure(email):
        minutes = lock_minutes(seconds_locked(email))
        emails.email_login_locked.delay(normalize_email(email), failure_limit(), minutes)


def check_password_counted(user: User, password: str) -> None:
    """Check a logged-in user's password (settings, deletion) with the login count and lock.

    A stolen session must not become a way to guess the password: a failure here counts as a
    failed login. Raises AccountLocked, or AccountError('wrong_password').
    """
    wait = seconds_locked(user.email)
    if wait:
        raise AccountLocked(wait)
    try:
        check_current_password(user, password)
    except AccountError:
        note_failure(user.email)
        raise
    clear_failures(user.email)
