"""Jobs that fail on purpose, declared for the tests (a counter file says how often they failed)."""

from __future__ import annotations

from pathlib import Path

from marketplace.jobs import job


class Unwell(RuntimeError):
    """The error these jobs raise."""


@job(retries=3, retry_delay=10, retry_backoff=2.0)
def fails_twice(counter: str) -> None:
    """Fail on the first two runs, then succeed."""
    path = Path(counter)
    runs = int(path.read_text()) + 1 if path.exists() else 1
    path.write_text(str(runs))
    if runs <= 2:
        raise Unwell(f"attempt {runs}: the shop's mail server said no")


@job(retries=1, retry_delay=5)
def always_fails(order_id: int) -> None:
    """Never succeed."""
    raise Unwell(f"order {order_id}: mailbox full")
