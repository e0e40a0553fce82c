"""Run the emulator as a child process (for `make run` and the tests), and control it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import urllib.request
from pathlib import Path

READY = "stripe-emulator ready on "
ROOT = Path(__file__).resolve().parents[2]


class EmulatorProcess:
    """A `python -m payments.emulator` subprocess; start() returns once it listens."""

    def __init__(
        self,
        port: int = 0,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        host: str = "127.0.0.1",
        log_path: str | os.PathLike | None = None,
        extra_args: tuple = (),
    ):
        self.port, self.host = port, host
        self.webhook_url, self.webhook_secret = webhook_url, webhook_secret
        self.extra_args = tuple(extra_args)
        if log_path is None:
            handle, log_path = tempfile.mkstemp(prefix="stripe-emulator-", suffix=".log")
            os.close(handle)
        self.log_path = Path(log_path)
        self.url: str | None = None
        self.paused = False
        self._proc: subprocess.Popen | None = None
        self._ready = threading.Event()

    def start(self, timeout: float = 30) -> str:
        """Start the emulator and wait for its ready line; return its base URL."""
        if self._proc is not None:
            raise RuntimeError("emulator already started")
        cmd = [
            sys.executable,
            "-u",
            "-m",
            "payments.emulator",
            "--host",
            self.host,
            "--port",
            str(self.port),
            *self.extra_args,
        ]
        if self.webhook_url:
            cmd += [
                "--webhook-url",
                self.webhook_url,
                "--webhook-secret",
                self.webhook_secret or "",
            ]
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        with open(self.log_path, "ab") as log:
            self._proc = subprocess.Popen(  # noqa: S603 (our own command line)
                cmd,
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
        threading.Thread(
            target=self._read_stdout, daemon=True, name="stripe-emulator-stdout"
        ).start()
        if not self._ready.wait(timeout) or self.url is None:
            self.stop()
            raise RuntimeError(f"the Stripe emulator did not start:\n{self.logs()[-2000:]}")
        return self.url

    def _read_stdout(self) -> None:
        stdout = self._proc.stdout if self._proc is not None else None
        for line in stdout or ():
            if line.startswith(READY) and self.url is None:
                self.url = line[len(READY) :].strip()
                self._ready.set()
        self._ready.set()  # the process ended: start() stops waiting

    def stop(self, timeout: float = 10) -> None:
        """Stop the emulator (SIGTERM, then SIGKILL if it lingers)."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        if self.paused:
            self.resume(proc)
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)

    def pause(self) -> None:
        """Freeze the emulator (SIGSTOP): connections hang until the client's timeout."""
        if self._proc is None:
            raise RuntimeError("the Stripe emulator is not running")
        os.kill(self._proc.pid, signal.SIGSTOP)
        self.paused = True

    def resume(self, proc: subprocess.Popen | None = None) -> None:
        """Unfreeze the emulator (SIGCONT)."""
        proc = proc or self._proc
        if proc is None:
            raise RuntimeError("the Stripe emulator is not running")
        os.kill(proc.pid, signal.SIGCONT)
        self.paused = False

    @property
    def running(self) -> bool:
        """True while the process is alive."""
        return self._proc is not None and self._proc.poll() is None

    def logs(self) -> str:
        """The emulator's log (stderr): requests, webhook deliveries and retries."""
        return self.log_path.read_text(errors="replace")

    def _config(self, path: str, **params) -> dict:
        if self.url is None:
            raise RuntimeError("the Stripe emulator is not running")
        data = urllib.parse.urlencode(params).encode()
        with urllib.request.urlopen(self.url + path, data=data, timeout=10) as response:  # noqa: S310
            body = response.read()
        return json.loads(body) if body else {}

    def add_webhook(self, endpoint_id: str, url: str, secret: str) -> None:
        """Register (or replace) a webhook endpoint; "default" is the command-line one."""
        self._config(f"/_config/webhooks/{endpoint_id}", url=url, secret=secret)

    def advance_clock(self, seconds: int) -> int:
        """Move the emulator's expiry clock forward; returns its new "now"."""
        return self._config("/_config/clock", seconds=seconds)["now"]

    def resend_event(self, event_id: str) -> None:
        """Deliver an event again to every endpoint (duplicate-delivery tests)."""
        self._config(f"/_config/events/{event_id}/resend")

    def set_account(self, account_id: str, **flags: bool) -> dict:
        """Force charges_enabled / payouts_enabled on an account (sends account.updated)."""
        return self._config(
            f"/_config/accounts/{account_id}", **{k: str(v).lower() for k, v in flags.items()}
        )

    def __enter__(self) -> EmulatorProcess:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
