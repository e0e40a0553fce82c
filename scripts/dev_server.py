"""`make run`: start the offline Stripe emulator (unless real keys are set), then the marketplace
with a background-jobs consumer thread."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from payments.emulator.process import EmulatorProcess  # noqa: E402


def connect_demo_shops(env: dict[str, str]) -> None:
    """Give most shops an onboarded account on the new emulator (it remembers nothing)."""
    command = [sys.executable, "-m", "flask", "--app", "wsgi:app", "demo", "connect-shops"]
    if subprocess.call(command, cwd=ROOT, env=env) != 0:  # noqa: S603 - our own command
        print("Payments: the demo shops could not be connected; they take payment at the counter.")


def main() -> int:
    """Run `flask run` on PORT with payments pointed at the emulator; stop both on Ctrl-C."""
    port = int(os.environ.get("PORT", "5000"))
    env = dict(os.environ)
    emulator = None
    if not env.get("STRIPE_SECRET_KEY"):
        secret = "whsec_dev_" + secrets.token_hex(16)
        emulator = EmulatorProcess(
            port=int(env.get("STRIPE_EMULATOR_PORT", "0")),
            log_path=ROOT / "instance" / "stripe-emulator.log",
        )
        url = emulator.start()
        # The emulator accepts any test-mode key; this one is not a secret.
        env.update(STRIPE_API_BASE=url, STRIPE_WEBHOOK_SECRET=secret)
        env["STRIPE_SECRET_KEY"] = "sk_test_emulator"  # noqa: S105
        print(f"Payments: offline Stripe emulator on {url} (test mode; card 4242 4242 4242 4242)")
        connect_demo_shops(env)
        # Webhooks from now on: the shops' account.updated events above would only knock on a
        # server that is not listening yet (their state is written by the command itself).
        emulator.add_webhook("default", f"http://127.0.0.1:{port}/payments/stripe/webhook", secret)
    env.setdefault("BASE_URL", f"http://127.0.0.1:{port}")
    # The web process also runs the background jobs (emails, periodic tasks) in a consumer
    # thread on instance/jobs.db; production runs `flask jobs worker` instead.
    env.setdefault("JOBS_CONSUMER_THREAD", "1")
    print(f"Vitrine is starting on http://127.0.0.1:{port}", flush=True)
    flask = [
        sys.executable,
        "-m",
        "flask",
        "--app",
        "wsgi:app",
        "run",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    try:
        return subprocess.call(flask, cwd=ROOT, env=env)  # noqa: S603 - our own command
    except KeyboardInterrupt:
        return 0
    finally:
        if emulator is not None:
            emulator.stop()


if __name__ == "__main__":
    raise SystemExit(main())
