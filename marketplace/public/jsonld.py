"""schema.org data for public pages: a shop is a LocalBusiness, a product a Product with its Offer.

Templates write it with Jinja's `tojson`, which escapes < > & ' as \\u003c...: a name typed as
"</script>" cannot close the script element.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app
from stdnum import ean

from marketplace.db import utcnow
from marketplace.urls import external_url
from shops.hours import format_clock
from shops.models import Product, Shop
from shops.opening import special_days
from shops.product_types import get_type

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _clock(value) -> str:
    text = format_clock(value)
    return "23:59" if text == "24:00" else text  # schema.org times stop at 23:59


def _shop_url(shop: Shop) -> str:
    return external_url("public.shop", slug=shop.slug)


def _photo_url(path: str) -> str:
    return external_url("media.photo", filename=f"{path}.jpg")


def shop_jsonld(shop: Shop, today: date | None = None) -> dict:
    """The LocalBusiness object: name, address, geo, opening hours, contact."""
    data = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        # The same @id on the product pages' seller: one business, however many pages name it.
        "@id": f"{_shop_url(shop)}#business",
        "name": shop.name,
        "url": _shop_url(shop),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": shop.address,
            "postalCode": shop.postcode,
            "addressLocality": shop.city,
            "addressCountry": "FR",
        },
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{DAYS[h.weekday]}",
                "opens": _clock(h.opens),
                "closes": _clock(h.closes),
            }
            for h in sorted(shop.hours, key=lambda h: (h.weekday, h.opens))
        ],
    }
    special = _special_hours(shop, today)
    if special:
        data["specialOpeningHoursSpecification"] = special
    if shop.lat is not None and shop.lon is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": shop.lat, "longitude": shop.lon}
    if shop.phone:
        data["telephone"] = shop.phone
    if shop.description:
        data["description"] = shop.description
    if shop.photo_path:
        data["image"] = _photo_url(shop.photo_path)
    return data


def _special_hours(shop: Shop, today: date | None) -> list[dict]:
    """Public holidays, date-range rules and closures of the coming weeks; 00:00-00:00 = closed."""
    tz = current_app.config["TIMEZONE"]
    today = today or utcnow().astimezone(ZoneInfo(tz)).date()
    specs = []
    for day, spans in sorted(special_days(shop, today, tz).items()):
        # A closed day is written 00:00-00:00, as schema.org advises.
        for opens, closes in [(_clock(o), _clock(c)) for o, c in spans] or [("00:00", "00:00")]:
            specs.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "validFrom": day.isoformat(),
                    "validThrough": day.isoformat(),
                    "opens": opens,
                    "closes": closes,
                }
            )
    return specs


def _euros(cents: int) -> str:
    """12.50 for 1250: schema.org wants a dot and no currency sign."""
    return f"{cents // 100}.{cents % 100:02d}"


def product_jsonld(product: Product, locale: str) -> dict:
    """The Product object: its Offer (price, availability, the shop as seller), photos, GTIN."""
    shop = product.shop
    url = external_url(
        "public.product", slug=shop.slug, product_id=product.id, product_slug=product.slug
    )
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "url": url,
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": _euros(product.price_cents),
            "priceCurrency": "EUR",
            "availability": "https://schema.org/"
            + ("InStock" if product.in_stock else "OutOfStock"),
            "seller": {
                "@type": "LocalBusiness",
                "@id": f"{_shop_url(shop)}#business",
                "name": shop.name,
                "url": _shop_url(shop),
            },
        },
    }
    if product.description:
        data["description"] = product.description
    if product.images:
        data["image"] = [_photo_url(image.path) for image in product.images]
    if product.sku:
        data["sku"] = product.sku
        # Barcodes come in the SKU (Open Food Facts products): only a valid EAN-13 is a GTIN-13.
        if len(product.sku) == 13 and ean.is_valid(product.sku):
            data["gtin13"] = product.sku
    kind = get_type(product.product_type)
    if kind is not None:
        data["category"] = kind.label(locale)
    return data
