"""What running behind nginx and gunicorn needs: logs, request ids, probes, proxies, 503s."""

from __future__ import annotations

from flask import Flask, current_app, make_response
from sqlalchemy.exc import (
    DBAPIError,
    InterfaceError,
    OperationalError,
    PendingRollbackError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.middleware.proxy_fix import ProxyFix

from marketplace.extensions import db
from marketplace.logging_setup import configure_logging, init_request_ids

RETRY_AFTER_SECONDS = 5


def init_serving(app: Flask) -> None:
    """Install JSON logs and trust the proxy headers (the probes are the health blueprint)."""
    configure_logging(app)
    from marketplace.public import fast_path

    fast_path.install(app)  # cached shared pages without Flask's machinery (inside the proxy fix)
    if app.config.get("TRUSTED_PROXIES"):
        # The client's address and scheme come from nginx's X-Forwarded-* headers, trusted
        # only for this many hops (rate limits key on the address: it must be the real one).
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]  # Flask's documented way to wrap its WSGI app


def connect_request_hooks(app: Flask) -> None:
    """Give each request an id and an access log line; close the session even if the database left."""
    init_request_ids(app)

    @app.teardown_appcontext
    def close_session_even_if_the_database_left(_error) -> None:
        """Runs before Flask-SQLAlchemy's session.remove() (teardowns run in reverse order).

        A connection the server closed after the response was built (a restart) makes the
        final rollback raise, which would turn an answered request into a 500: the connection
        is dropped from the pool instead, and the next request gets a fresh one.
        """
        if not db.session.registry.has():
            return  # no session was opened (a cached page, a probe): nothing to close
        try:
            db.session.close()
        except SQLAlchemyError as error:
            app.logger.warning("database connection lost at the end of a request: %s", error)
            try:
                db.session.close()  # the dead connection is now invalidated: nothing left to undo
            except SQLAlchemyError:
                db.session.registry.clear()


def database_went_away(error: BaseException | None) -> bool:
    """Whether `error`, or an error it was raised from, says the database connection was lost.

    A restart can surface as another class than OperationalError: a session whose connection
    was invalidated refuses the next statement (PendingRollbackError), and an error raised
    while handling a lost connection carries it as its cause or context.
    """
    for _depth in range(8):  # chains are short; a bound guards against cycles
        if error is None:
            return False
        if isinstance(error, (OperationalError, InterfaceError, PoolTimeout)):
            return True
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, PendingRollbackError) and "invalid transaction" in str(error):
            return True
        if _is_driver_disconnect(error):
            return True
        error = error.__cause__ or error.__context__
    return False


def _is_driver_disconnect(error: BaseException) -> bool:
    try:
        import psycopg
    except ImportError:  # SQLite-only installs
        return False
    return isinstance(error, (psycopg.OperationalError, psycopg.InterfaceError))


def database_unavailable(error: BaseException):
    """The 503 answer with Retry-After for a request the database left: nothing was changed."""
    from flask_babel import gettext as _

    from marketplace.errors import error_response

    try:
        db.session.rollback()  # the transaction is gone; the next request gets a new one
    except Exception:  # the connection may already be unusable: nothing left to undo
        db.session.remove()
    current_app.logger.error("database unavailable: %s", str(error).splitlines()[0][:300])
    message = _(
        "The service is briefly unavailable. Nothing was changed; please try again in a moment."
    )
    try:
        response = make_response(*error_response(503, message))
    except Exception:  # the page's own queries failed too (the storm goes on): plain text
        db.session.remove()
        response = make_response(message, 503, {"Content-Type": "text/plain; charset=utf-8"})
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def register_database_errors(app: Flask) -> None:
    """Answer 503 with Retry-After when the database went away mid-request."""
    for error_class in (OperationalError, InterfaceError, PoolTimeout, PendingRollbackError):
        app.register_error_handler(error_class, _database_error)


def _database_error(error: Exception):
    if not database_went_away(error):
        from marketplace.errors import unexpected_error

        return unexpected_error(error)
    return database_unavailable(error)
