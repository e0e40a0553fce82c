"""Payments: the only package that imports stripe (Checkout, Connect, webhooks, transfers, refunds)."""
