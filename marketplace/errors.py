"""Error pages in the user's language; JSON error bodies under /api/."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from marketplace.extensions import db


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You are not allowed to see this page."),
        404: _("This page does not exist or is no longer available."),
        405: _("This action is not allowed here."),
        413: _("The file you sent is too large."),
        429: _("Too many attempts. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Nothing was changed; please try again."),
    }


def wants_json() -> bool:
    """True when the client is the API or asked for JSON."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(code: int, message: str, details: dict | None = None):
    """Build the error answer for `code`, as a page or as JSON (problem details on the API)."""
    if request.path.startswith("/api/"):
        from marketplace.api.problems import problem_response

        return problem_response(code, message, details), code
    if wants_json():
        body = {"error": {"code": code, "message": message, "details": details or {}}}
        return jsonify(body), code
    return render_template("errors/error.html", code=code, message=message), code


def register(app: Flask) -> None:
    """Install the error handlers on `app`."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = _("Your form expired or was not sent from this site. Please try again.")
        return error_response(400, message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        message = _messages().get(code, error.description or "")
        if code == 429 and getattr(getattr(error, "limit", None), "error_message", None):
            message = error.description or message  # the limit's own words (photo uploads)
        response = make_response(error_response(code, message))
        allowed = getattr(error, "valid_methods", None)
        if code == 405 and allowed:
            response.headers["Allow"] = ", ".join(allowed)
        if code == 429:
            retry = getattr(error, "retry_after", None) or 60
            response.headers["Retry-After"] = str(retry)
        return response

    app.register_error_handler(Exception, unexpected_error)


def unexpected_error(error: Exception):
    """A 500 page for a bug (logged), or a 503 when the bug was the database leaving."""
    from marketplace.serving import database_unavailable, database_went_away

    if database_went_away(error):
        return database_unavailable(error)
    try:
        db.session.rollback()  # never leave half a change behind
    except Exception:  # the connection is unusable: nothing left to undo
        db.session.remove()
    current_app.logger.exception("Unhandled error on %s", request.path)
    return error_response(500, _messages()[500])
