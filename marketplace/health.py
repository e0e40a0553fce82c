"""Probes for the process manager and the load balancer: /healthz (alive) and /readyz (can serve).

/healthz touches nothing outside the process: a database outage must not make systemd or a load
balancer restart healthy workers. /readyz checks what a request needs (the database, the search
index, Stripe), each with a short timeout, and answers 503 with what failed.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text

from marketplace.extensions import db, limiter

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """Answer 200 while the process can answer at all."""
    return jsonify({"status": "ok"})


def check_database() -> str:
    """Run a trivial query on a pooled connection."""
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return "ok"


def check_search_index() -> str:
    """Open the live search index (a lost or damaged one is being rebuilt: not ready)."""
    from search import store

    store.open_live(current_app.config["SEARCH_INDEX_DIR"])
    return "ok"


def check_payments() -> str:
    """Reach Stripe (or the emulator) with our key; "not configured" without one."""
    from payments.health import check_stripe

    return check_stripe(current_app.config["READINESS_TIMEOUT_SECONDS"])


CHECKS = {"database": check_database, "search": check_search_index, "payments": check_payments}


def _run(app: Flask, check) -> tuple[str, float]:
    started = time.perf_counter()
    with app.app_context():
        result = check()
    return result, round((time.perf_counter() - started) * 1000, 1)


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """Answer 200 when every dependency answers within the timeout, else 503 naming the failures."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a proxy typed as Flask
    timeout = app.config["READINESS_TIMEOUT_SECONDS"]
    pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="readyz")
    futures = {name: pool.submit(_run, app, check) for name, check in CHECKS.items()}
    deadline = time.monotonic() + timeout
    results: dict[str, dict] = {}
    for name, future in futures.items():
        try:
            status, ms = future.result(timeout=max(deadline - time.monotonic(), 0.01))
            results[name] = {"ok": True, "status": status, "ms": ms}
        except FutureTimeout:
            results[name] = {"ok": False, "error": f"no answer within {timeout:g} s"}
        except Exception as error:  # any failure of a dependency is a "not ready", never a 500
            results[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    pool.shutdown(wait=False, cancel_futures=True)  # a hung check must not hold the answer
    ready = all(r["ok"] for r in results.values())
    if not ready:
        failed = ", ".join(n for n, r in results.items() if not r["ok"])
        app.logger.warning("not ready: %s", failed, extra={"checks": results})
    body = {"status": "ready" if ready else "unavailable", "checks": results}
    return jsonify(body), 200 if ready else 503
