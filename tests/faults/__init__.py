"""Faults, each a test (issue 9). Where a fault is already proven elsewhere, it is not repeated:

- database restart during traffic: test_database_restart.py (PostgreSQL)
- process killed between the stock decrement and the commit: test_killed_mid_checkout.py
- upload disk full: test_upload_disk_full.py
- Stripe down or slow (timeouts, clear message, no double charge):
  tests/payments/test_payment_outage.py (emulator stopped / frozen, STRIPE_TIMEOUT_SECONDS=0.5)
  and tests/ops/test_probes.py (readiness reports Stripe down or slow within its timeout)
- a lost webhook recovered by `flask payments reconcile --apply-missed-events`:
  tests/payments/test_recovery.py::test_a_payment_whose_webhooks_were_lost_is_recovered_by_reconcile
"""
