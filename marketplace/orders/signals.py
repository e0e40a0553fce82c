"""Signals sent after an order change is committed, so payments can follow without orders importing it."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with order=... after the commit that collected it (payments transfers the shop's share).
order_collected = _signals.signal("order-collected")
# Sent with order=..., reason=... after the commit that cancelled it (payments refunds it if paid).
order_cancelled = _signals.signal("order-cancelled")
