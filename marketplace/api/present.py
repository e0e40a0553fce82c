"""Models as the API shows them: only what the public (or the shop itself) may read."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, url_for

from marketplace.orders.models import Order
from marketplace.orders.reasons import reason_in_words
from shops.hours import format_clock
from shops.models import Product, Shop
from shops.opening import is_open_at, published_opening_hours, shop_rules


def _photo(path: str | None, suffix: str = ".jpg") -> str | None:
    return url_for("media.photo", filename=path + suffix, _external=True) if path else None


def shop_summary(shop: Shop, now: datetime, distance_km: float | None = None) -> dict:
    """The fields of a shop in a list."""
    tz = current_app.config["TIMEZONE"]
    return {
        "slug": shop.slug,
        "name": shop.name,
        "category": shop.category,
        "postcode": shop.postcode,
        "city": shop.city,
        "lat": shop.lat,
        "lon": shop.lon,
        "open_now": is_open_at(shop.hours, shop.closures, now, tz, shop_rules(shop)),
        "distance_km": None if distance_km is None else round(distance_km, 3),
        "url": url_for("public.shop", slug=shop.slug, _external=True),
    }


def shop_detail(shop: Shop, now: datetime) -> dict:
    """A shop's public page as data: contact, hours, closures to come."""
    today = now.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()
    return {
        **shop_summary(shop, now),
        "description": shop.description or "",
        "address": shop.address,
        "phone": shop.phone,
        "email": shop.email,
        "website": shop.website,
        "photo_url": _photo(shop.photo_path),
        "pay_at_pickup": shop.pay_at_pickup,
        "hours": [
            {"weekday": h.weekday, "opens": format_clock(h.opens), "closes": format_clock(h.closes)}
            for h in shop.hours
        ],
        "closures": [
            {
                "starts_on": c.starts_on,
                "ends_on": c.ends_on,
                "reason": c.reason or "",
                "starts_time": format_clock(c.starts_time) if c.starts_time else None,
                "ends_time": format_clock(c.ends_time) if c.ends_time else None,
            }
            for c in shop.closures
            if c.ends_on >= today
        ],
        "opening_hours": published_opening_hours(shop, today),
        "status": shop.status,  # dropped by the public schema, kept for the shop's own view
        "status_reason": shop.status_reason,
    }


def product_detail(product: Product) -> dict:
    """A product with its shop and photos (the merchant schema adds its threshold, active...)."""
    return {
        "id": product.id,
        "slug": product.slug,
        "name": product.name,
        "description": product.description or "",
        "price_cents": product.price_cents,
        "stock": product.stock,
        "low_stock_threshold": product.low_stock_threshold,  # the merchant schema only
        "in_stock": product.in_stock,
        "category": product.category or "",
        "sku": product.sku,
        "shop": {"slug": product.shop.slug, "name": product.shop.name},
        "images": [{"url": _photo(i.path), "alt": i.alt or ""} for i in product.images],
        "url": url_for(
            "public.product",
            slug=product.shop.slug,
            product_id=product.id,
            product_slug=product.slug,
            _external=True,
        ),
        "updated_at": product.updated_at,
        "created_at": product.created_at,
        "active": product.is_active,
        "archived": not product.is_active,
        "hidden_reason": product.hidden_reason,
    }


def order_detail(order: Order) -> dict:
    """An order for the shop: lines and history, never the customer's identity or pickup code."""
    return {
        "id": order.id,
        "status": order.status,
        "payment": order.checkout.method,
        "pickup_starts_at": order.pickup_starts_at,
        "pickup_ends_at": order.pickup_ends_at,
        "total_cents": order.total_cents,
        "refunded_cents": order.refunded_cents,
        "created_at": order.created_at,
        "lines": [
            {
                "product_id": line.product_id,
                "sku": line.product.sku if line.product is not None else None,
                "name": line.name,
                "unit_price_cents": line.unit_price_cents,
                "quantity": line.quantity,
            }
            for line in order.lines
        ],
        "events": [
            {
                "from_status": e.from_status,
                "to_status": e.to_status,
                "reason": reason_in_words(e.reason) or None,
                "created_at": e.created_at,
            }
            for e in order.events
        ],
    }
