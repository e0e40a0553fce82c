"""Start the benchmark server: the Stripe emulator and gunicorn -w 2 --threads 4 on the scaled town.

    .venv/bin/python bench/server.py            # serves until Ctrl-C / SIGTERM
    with BenchServer() as url: ...              # from bench/load.py

gunicorn runs gunicorn.conf.py (as `make serve` does) with 2 workers on 127.0.0.1:8090, on the
PostgreSQL database built by bench/seed_scaled.py and its search index. Payments go to the
offline Stripe emulator. Logs go to $VITRINE_BENCH_DIR (default /tmp/vitrine-bench).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.seed_scaled import BENCH_DIR, DEFAULT_URL  # noqa: E402
from payments.emulator.process import EmulatorProcess  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8090"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
# Threads per worker (gunicorn's gthread worker when > 1): a worker waiting on PostgreSQL
# serves another request meanwhile.
THREADS = int(os.environ.get("BENCH_THREADS", "4"))


class BenchServer:
    """gunicorn + the Stripe emulator, started and stopped together."""

    def __init__(self, port: int = PORT, workers: int = WORKERS) -> None:
        self.port, self.workers = port, workers
        self.url = f"http://127.0.0.1:{port}"
        self.emulator: EmulatorProcess | None = None
        self.gunicorn: subprocess.Popen | None = None
        self.jobs: subprocess.Popen | None = None

    def start(self) -> str:
        """Start both, wait until /healthz answers; return the base URL."""
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        secret = "whsec_bench_" + secrets.token_hex(8)
        self.emulator = EmulatorProcess(
            port=0,
            webhook_url=f"{self.url}/payments/stripe/webhook",
            webhook_secret=secret,
            log_path=BENCH_DIR / "stripe-emulator.log",
        )
        api = self.emulator.start()
        env = {
            **os.environ,
            "VITRINE_ENV": "development",
            "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
            "SEARCH_INDEX_DIR": str(BENCH_DIR / "search-index"),
            "UPLOAD_DIR": str(BENCH_DIR / "uploads"),
            "MAIL_OUTBOX_DIR": str(BENCH_DIR / "outbox"),
            "STRIPE_API_BASE": api,
            "STRIPE_SECRET_KEY": "sk_test_emulator",
            "STRIPE_WEBHOOK_SECRET": secret,
            "BASE_URL": self.url,
            "WEB_CONCURRENCY": str(self.workers),
            "GUNICORN_THREADS": str(THREADS),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_MAX_REQUESTS": "0",  # no worker recycling in the middle of a measurement
            # The job queue of the bench town, and (BENCH_JOBS_WORKER=0 to leave it out) its
            # worker, as in production: the emails and payment jobs of the checkouts run beside
            # the pages, on the same cores.
            "JOBS_BACKEND": "sqlite",
            "JOBS_SQLITE_PATH": str(BENCH_DIR / "jobs.db"),
        }
        log = (BENCH_DIR / "gunicorn.log").open("ab")
        self.gunicorn = subprocess.Popen(  # noqa: S603 - our own command
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "bench.bench_wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
        if os.environ.get("BENCH_JOBS_WORKER", "1") != "0":
            self.jobs = subprocess.Popen(  # noqa: S603 - our own command
                [str(ROOT / ".venv/bin/flask"), "--app", "bench.bench_wsgi", "jobs", "worker"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.gunicorn.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {BENCH_DIR / 'gunicorn.log'}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):  # noqa: S310
                    return self.url
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        """Stop gunicorn (gracefully), the jobs worker and the emulator."""
        if self.jobs is not None and self.jobs.poll() is None:
            self.jobs.send_signal(signal.SIGINT)  # finishes the running jobs
            try:
                self.jobs.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.jobs.kill()
        if self.gunicorn is not None and self.gunicorn.poll() is None:
            self.gunicorn.send_signal(signal.SIGTERM)
            try:
                self.gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.gunicorn.kill()
        if self.emulator is not None:
            self.emulator.stop()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    """Serve until interrupted (bench/throughput.sh runs this in the background)."""
    server = BenchServer()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    url = server.start()
    print(f"bench server ready on {url}", flush=True)
    try:
        signal.pause()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
