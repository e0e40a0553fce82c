"""A Stripe call, its retries and the pauses between them fit in STRIPE_TIME_BUDGET_SECONDS.

The budget keeps a hung Stripe from holding a request until gunicorn kills the worker; the
hung-Stripe story itself is tests/payments/test_stripe_hung.py.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
import stripe

from payments.client import call_timeouts, retry_pauses

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("budget", "retries"), [(8, 1), (8, 2), (4, 1), (6, 0), (30, 3)])
def test_every_attempt_of_a_hung_call_fits_in_the_budget(budget, retries):
    connect, read = call_timeouts(budget, retries, read_cap=100)
    assert connect > 0 and read > 0
    assert (retries + 1) * (connect + read) + retry_pauses(retries) <= budget + 1e-9


def test_the_pauses_counted_are_the_longest_the_stripe_sdk_takes():
    sdk = stripe.RequestsClient()
    for retries in (1, 2, 3, 6):
        longest = sum(
            max(sdk._sleep_time_seconds(n) for _ in range(200)) for n in range(1, retries + 1)
        )
        assert longest <= retry_pauses(retries)


def test_a_budget_too_short_for_its_retries_is_refused():
    with pytest.raises(ValueError, match="STRIPE_TIME_BUDGET_SECONDS"):
        call_timeouts(1, 2, read_cap=10)


def test_the_default_budget_is_well_under_the_worker_timeout(app):
    worker_timeout = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["timeout"]
    assert app.config["STRIPE_TIME_BUDGET_SECONDS"] <= worker_timeout / 3
