"""Where the cart lives for this request: the session for visitors, the database once logged in."""

from __future__ import annotations

from flask import session
from flask_login import current_user

from marketplace.cart import services

SESSION_KEY = "cart"


def _session_items() -> dict[int, int]:
    raw = session.get(SESSION_KEY) or {}
    items = {}
    for key, value in raw.items():
        try:
            items[int(key)] = services.parse_quantity(value)
        except (ValueError, services.InvalidQuantity):
            continue  # a tampered cookie loses the bad line, nothing else
    return items


def load_items() -> dict[int, int]:
    """Return the current cart as {product_id: quantity}."""
    if current_user.is_authenticated:
        return services.stored_items(current_user.id)
    return _session_items()


def save_items(items: dict[int, int]) -> None:
    """Keep `items` as the current cart (the caller commits for logged-in users)."""
    if current_user.is_authenticated:
        services.save_items(current_user.id, items)
    else:
        session[SESSION_KEY] = {str(k): v for k, v in items.items()}


def merge_visitor_cart(user) -> None:
    """At login: add the visitor's session cart to the stored one, then empty the session's."""
    visitor = _session_items()
    if not visitor:
        return
    merged = services.merge_items(services.stored_items(user.id), visitor)
    services.save_items(user.id, merged)
    session.pop(SESSION_KEY, None)
