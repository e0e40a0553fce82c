"""Language and time zone selection, and the language switch."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from flask import Blueprint, current_app, has_request_context, redirect, request, session
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from marketplace.extensions import db

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """Pick the language: the user's choice, then the browser's, then French."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a command or a job: no user, no browser
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang", "")
    if chosen in languages:
        return chosen
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return browser_locale(request)


def browser_locale(request) -> str:
    """The language of a visitor without a session: their browser's, then French."""
    languages = tuple(current_app.config["LANGUAGES"])
    best = _best_language(request.headers.get("Accept-Language", ""), languages)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


@functools.lru_cache(maxsize=512)
def _best_language(header: str, languages: tuple[str, ...]) -> str | None:
    # Browsers send a handful of distinct headers: parsed once each, not at every page.
    return parse_accept_header(header, LanguageAccept).best_match(languages)


def select_timezone() -> str:
    """Every date is shown in the town's time zone."""
    return current_app.config["TIMEZONE"]


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Return `target` if it is a local path (no open redirect), else `fallback`."""
    if not target:
        return fallback
    # A control character (CR/LF would split the Location header) or a backslash (browsers read
    # "/\\evil.example" as "//evil.example") is never part of one of our paths.
    if any(ord(c) < 32 or ord(c) == 127 or c == "\\" for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.route("/lang/<code>", methods=["GET", "POST"])
def switch_language(code: str):
    """Switch the interface language and go back to the page the user was on.

    A link (GET) in the header of every page, so that pages need no form and no session; a
    language is a harmless, idempotent choice. The form (POST, CSRF-checked) still works."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated and current_user.locale != code:
            current_user.locale = code
            db.session.commit()
    return redirect(safe_next(request.values.get("next")))
