"""gunicorn settings for `make serve` and the systemd unit; every value can come from the environment.

WEB_CONCURRENCY (or GUNICORN_WORKERS)  worker processes (default: 2 x cores + 1, at most 8)
GUNICORN_THREADS                       threads per worker (default 1: sync workers)
GUNICORN_BIND                          where to listen (default 127.0.0.1:$PORT, PORT=8000)
GUNICORN_TIMEOUT                       seconds before a stuck worker is replaced (default 30)
"""

from __future__ import annotations

import json
import os

_env = os.environ.get

_cores = os.cpu_count() or 1
workers = int(_env("WEB_CONCURRENCY") or _env("GUNICORN_WORKERS") or min(2 * _cores + 1, 8))
threads = int(_env("GUNICORN_THREADS", "1"))
bind = _env("GUNICORN_BIND") or f"127.0.0.1:{_env('PORT', '8000')}"
timeout = int(_env("GUNICORN_TIMEOUT", "30"))  # a Stripe call gives up within 8 s, well before
graceful_timeout = 30  # a restart lets requests in flight finish
keepalive = 5  # nginx keeps connections to us open
# Recycle workers now and then (jitter: not all at once) so a slow leak never grows for weeks.
max_requests = int(_env("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# No preload: each worker opens its own database pool and search index after the fork.
preload_app = False
forwarded_allow_ips = _env("FORWARDED_ALLOW_IPS", "127.0.0.1")  # nginx on this host
proxy_allow_ips = forwarded_allow_ips
# The app writes one JSON access line per request (marketplace/logging_setup.py, with the
# request id); gunicorn's own access log would say the same thing without it.
# gunicorn's control socket is one per user by default: several servers on a host would share it.
control_socket_disable = not _env("GUNICORN_CONTROL_SOCKET")
if _env("GUNICORN_CONTROL_SOCKET"):
    control_socket = _env("GUNICORN_CONTROL_SOCKET")
accesslog = None
errorlog = "-"
loglevel = _env("LOG_LEVEL", "info").lower()


class _JsonLines:
    """gunicorn's own messages (worker boot, timeouts) as JSON lines, like the app's."""

    def __init__(self, fmt=None, datefmt=None, style="%", validate=True, **_):
        import logging

        self._base = logging.Formatter()

    def format(self, record) -> str:
        from datetime import UTC, datetime

        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": None,
            "pid": record.process,
        }
        if record.exc_info:
            entry["exception"] = self._base.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


if _env("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": _JsonLines}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
            "error": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
        },
        # The app installs its own JSON handler on the root logger (with request ids).
        "root": {"level": loglevel.upper(), "handlers": []},
        "loggers": {
            "gunicorn.error": {"handlers": ["error"], "level": loglevel.upper(), "propagate": False}
        },
    }


def post_worker_init(worker) -> None:
    """At boot, each worker checks the search index: catch up, or rebuild it in the background."""
    app = worker.wsgi
    if hasattr(app, "extensions") and app.config.get("SEARCH_SYNC_ON_START", True):
        from search.sync import start_up

        with app.app_context():
            start_up(app)
