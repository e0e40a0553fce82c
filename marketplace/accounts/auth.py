"""Login manager set-up and the role checks used at the route."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db


def init_login(app: Flask, manager: LoginManager) -> None:
    """Configure Flask-Login: where to log in, how to load a user from the session."""
    manager.init_app(app)
    manager.login_view = "accounts.login"
    manager.login_message = _l("Please log in to see this page.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(session_token: str) -> User | None:
        return db.session.scalar(
            select(User).where(User.session_token == session_token, User.deleted_at.is_(None))
        )


def roles_required(*roles: str) -> Callable:
    """Let only logged-in users with one of `roles` through (admins pass every check)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            from marketplace.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles and not current_user.is_admin:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
