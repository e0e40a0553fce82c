"""Run the emulator as a child process (for `make run` and the tests), and control it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

READY = "stripe-emulator ready on "
ROOT = Path(__file__).resolve().parents[2]


class ControlError(RuntimeError):
    """A control call the emulator refused: its HTTP status and Stripe-shaped error."""

    def __init__(self, status: int, error: dict):
        super().__init__(f"{status}: {error.get('message')}")
        self.status, self.error = status, error


def control(base: str, path: str, /, **params) -> dict:
    """POST to a control endpoint (/_config/...) of the emulator at `base`; return its JSON."""
    data = urllib.parse.urlencode(params, doseq=True).encode()
    try:
        with urllib.request.urlopen(base + path, data=data, timeout=20) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as refused:
        error = json.loads(refused.read() or b"{}").get("error", {})
        raise ControlError(refused.code, error) from None
    return json.loads(body) if body else {}


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
        return control(self.url, path, **params)

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

    def set_capabilities(self, account_id: str, **states: str) -> dict:
        """Set capabilities (transfers="active", card_payments="pending"...) without touching
        charges_enabled / payouts_enabled; sends account.updated and capability.updated."""
        return self._config(f"/_config/accounts/{account_id}/capabilities", **states)

    def payout(self, account_id: str, amount: int | None = None) -> dict:
        """Pay a connected account's available balance (or `amount`) out to its bank."""
        params = {} if amount is None else {"amount": amount}
        return self._config(f"/_config/accounts/{account_id}/payout", **params)

    def set_funds_delay(self, seconds: int) -> None:
        """Keep card payments pending for `seconds` of emulator clock (0: available at once)."""
        self._config("/_config/funds", available_after=seconds)

    def open_dispute(self, charge_id: str, reason: str = "fraudulent", amount: int | None = None):
        """The cardholder disputes a charge: charge.dispute.created and funds_withdrawn."""
        params = {"reason": reason, **({} if amount is None else {"amount": amount})}
        return self._config(f"/_config/charges/{charge_id}/dispute", **params)

    def update_dispute(self, dispute_id: str, **fields: str) -> dict:
        """Change a dispute's status or reason as the bank would (charge.dispute.updated)."""
        return self._config(f"/_config/disputes/{dispute_id}", **fields)

    def close_dispute(self, dispute_id: str, won: bool) -> dict:
        """Close a dispute won (funds reinstated) or lost (charge.dispute.closed)."""
        return self._config(
            f"/_config/disputes/{dispute_id}/close", outcome="won" if won else "lost"
        )

    def set_delivery(
        self,
        hold: bool | list[str] = False,
        duplicate: bool = False,
        shuffle: bool = False,
        seed: int | None = None,
    ) -> dict:
        """Webhook faults: hold events (all, or a list of types) until release_events(), send
        each one twice, shuffle the held ones on release. No argument: deliver normally."""
        params: dict = {"duplicate": str(duplicate).lower(), "shuffle": str(shuffle).lower()}
        if isinstance(hold, bool):
            params["hold"] = str(hold).lower()
        else:
            params["hold_types[]"] = list(hold)
        if seed is not None:
            params["seed"] = seed
        return self._config("/_config/delivery", **params)

    def release_events(self) -> list[dict]:
        """Deliver the held events now; returns them in the order they will be posted."""
        return self._config("/_config/delivery/release")["data"]

    def hang(self, seconds: int) -> None:
        """Make the API accept requests but answer none for `seconds` (0 ends a hang).

        Unlike pause(), the control API keeps answering. The held requests are carried out when
        the hang ends; hang(0) returns once they have been.
        """
        self._config("/_config/hang", seconds=seconds)

    def __enter__(self) -> EmulatorProcess:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
