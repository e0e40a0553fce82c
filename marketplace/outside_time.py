"""Time a request spent waiting on outside services (Stripe), in its log line and Server-Timing.

A slow checkout is either ours (queries, locks, rendering) or the payment service's: the access
line and the response's `Server-Timing` header say which, so that an operator (and bench/load.py)
can tell them apart without a profiler. Only the service's name and a duration are sent, never a
URL or an identifier.
"""

from __future__ import annotations

from flask import g, has_request_context

SERVER_TIMING = "Server-Timing"


def note_outside_call(service: str, seconds: float) -> None:
    """Add `seconds` spent waiting on `service` to the current request (nothing outside one)."""
    if not has_request_context():
        return  # a job or a command: its own logs time it
    waited = g.setdefault("outside_seconds", {})
    waited[service] = waited.get(service, 0.0) + seconds


def outside_ms() -> dict[str, float]:
    """The current request's waits on outside services so far, in milliseconds, by service."""
    return {name: round(s * 1000, 1) for name, s in g.get("outside_seconds", {}).items()}


def server_timing(waited_ms: dict[str, float]) -> str:
    """The Server-Timing header's value for these waits (W3C Server Timing)."""
    return ", ".join(f"{name};dur={ms}" for name, ms in sorted(waited_ms.items()))
