"""Run the real gunicorn (gunicorn.conf.py, wsgi:app) on a free port for a test."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, headers: dict | None = None, timeout: float = 10) -> tuple[int, dict, bytes]:
    """GET `url`; return (status, headers, body) whatever the status."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Server:
    """A gunicorn process, its URL and its JSON log lines."""

    def __init__(self, process: subprocess.Popen, url: str, log_path: Path) -> None:
        self.process, self.url, self.log_path = process, url, log_path

    def log_lines(self) -> list[dict]:
        """Every JSON line gunicorn and the app wrote so far."""
        lines = []
        for raw in self.log_path.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                lines.append(json.loads(raw))
        return lines

    def worker_of(self, request_id: str) -> int | None:
        """The pid of the worker that served the request with this id (from its access line)."""
        for line in self.log_lines():
            if line.get("logger") == "vitrine.access" and line.get("request_id") == request_id:
                return line["pid"]
        return None


@contextlib.contextmanager
def gunicorn(database_url: str, tmp: Path, workers: int = 2, **env: str):
    """Start gunicorn with `workers` on `database_url`; wait for /healthz; stop it at the end."""
    port = free_port()
    tmp.mkdir(parents=True, exist_ok=True)
    log_path = tmp / f"gunicorn-{port}.log"
    environment = {
        **os.environ,
        "VITRINE_ENV": "development",
        "SECRET_KEY": "gunicorn-test-secret",
        "DATABASE_URL": database_url,
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "LOG_FORMAT": "json",
        "SEARCH_INDEX_DIR": str(tmp / "search-index"),
        "UPLOAD_DIR": str(tmp / "uploads"),
        "MAIL_OUTBOX_DIR": str(tmp / "outbox"),
        # These tests search hundreds of times from one address; test_rate_limits sets its own.
        "SEARCH_RATE_LIMIT": "100000 per minute",
        "API_RATE_LIMIT_PER_IP": "100000 per minute",
        **env,
    }
    for name in ("STRIPE_SECRET_KEY", "STRIPE_API_BASE", "RATELIMIT_STORAGE_URI"):
        if name not in env:
            environment.pop(name, None)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{log_path.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                if get(server.url + "/healthz", timeout=2)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.1)  # polling the port until it answers, not waiting for an outcome
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
