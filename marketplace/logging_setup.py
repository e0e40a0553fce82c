"""Structured logs: one JSON object per line, each carrying the id of the request it belongs to.

A request id comes in with `X-Request-ID` (set by nginx, or by the caller) or is made here; it is
sent back in the same header and written on every log line of that request, so one line in a
resident's complaint ("request 4f2c...") finds everything the server did for it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

from marketplace.outside_time import SERVER_TIMING, outside_ms, server_timing

REQUEST_ID_HEADER = "X-Request-ID"
# An id from outside is kept only when it is short and plain: it goes into logs and headers.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Attributes every LogRecord has; anything else was passed with `extra=` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

access_log = logging.getLogger("vitrine.access")
OUR_PACKAGES = {"vitrine", "marketplace", "search", "shops", "payments"}


def current_request_id() -> str | None:
    """The id of the request being served, or None outside a request."""
    if has_request_context():
        return g.get("request_id")
    return None


class RequestIdFilter(logging.Filter):
    """Put the current request's id on every record (None outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "pid": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class JsonHandler(logging.StreamHandler):
    """The handler configure_logging installs, marked so that a second create_app replaces it."""

    vitrine = True


def configure_logging(app: Flask, stream=None) -> None:
    """Send the app's logs as JSON lines to `stream` (stderr) when LOG_FORMAT is json."""
    if app.config.get("LOG_FORMAT", "text") != "json":
        return
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "vitrine", False)]:
        root.removeHandler(handler)  # a second create_app in one process replaces ours
    handler = JsonHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    # Alembic's fileConfig (migrations/env.py) disables the loggers that existed when it ran.
    for name, logger in logging.Logger.manager.loggerDict.items():
        if isinstance(logger, logging.Logger) and name.split(".")[0] in OUR_PACKAGES:
            logger.disabled = False
    app.logger.removeHandler(default_handler)


def init_request_ids(app: Flask) -> None:
    """Give every request an id, echo it in the response, and log one access line per request."""

    def assign_request_id() -> None:
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER, ""))
        g.request_started = time.perf_counter()

    # First of all before-request functions, so that their log lines carry the id too.
    app.before_request_funcs.setdefault(None, []).insert(0, assign_request_id)

    @app.after_request
    def log_request(response):
        request_id = g.get("request_id") or uuid.uuid4().hex
        response.headers[REQUEST_ID_HEADER] = request_id
        waited = outside_ms()
        if waited:  # a Stripe call: say how much of the time was its own
            response.headers[SERVER_TIMING] = server_timing(waited)
        log_access(request, response.status_code, request_id, g.get("request_started"), waited)
        return response


def request_id_from(incoming: str) -> str:
    """The request's id: the proxy's X-Request-ID when it looks like one, else a new one."""
    return incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex


def log_access(
    request, status: int, request_id: str, started: float | None, outside: dict | None = None
) -> None:
    """Write the request's access line (method, path, status, duration, client address)."""
    extra = {"outside_ms": outside} if outside else {}
    access_log.info(
        "%s %s %s",
        request.method,
        request.path,
        status,
        extra={
            "request_id": request_id,
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
            "remote_addr": request.remote_addr,
            **extra,
        },
    )
