"""Signals sent after an order change is committed, so payments can follow without orders importing it."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with order=... after the commit that collected it (payments transfers the shop's share).
order_collected = _signals.signal("order-collected")
# Sent with order=..., reason=... after the commit that cancelled it (payments refunds it if paid).
order_cancelled = _signals.signal("order-cancelled")

# The two below are sent inside the transaction, before its commit: receivers only add rows to
# it (webhooks write their deliveries, queued once it commits, gone if it rolls back).
# Sent with orders=[...] by place_checkout once the checkout's orders exist.
orders_placed = _signals.signal("orders-placed")
# Sent with order=..., from_status=..., to_status=... by transition_order after each change.
order_transitioned = _signals.signal("order-transitioned")
