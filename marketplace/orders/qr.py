"""The pickup QR code: it opens the shop's order page with the code filled in."""

from __future__ import annotations

import segno

from marketplace.orders.models import Order
from marketplace.urls import external_url


def _payload(order: Order) -> str:
    return external_url(
        "board.order", slug=order.shop.slug, order_id=order.id, code=order.pickup_code
    )


def qr_svg(order: Order) -> str:
    """Return the QR code as an inline SVG document."""
    return segno.make(_payload(order), error="m").svg_inline(scale=4, title=order.display_code)


def qr_png_data_uri(order: Order) -> str:
    """Return the QR code as a PNG data URI (email clients do not show SVG)."""
    return segno.make(_payload(order), error="m").png_data_uri(scale=4)
