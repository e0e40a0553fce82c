"""schema.org LocalBusiness data for a public shop page, so search engines show the town's shops."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app

from marketplace.db import utcnow
from marketplace.urls import external_url
from shops.hours import format_clock
from shops.models import Shop
from shops.opening import special_days

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _clock(value) -> str:
    text = format_clock(value)
    return "23:59" if text == "24:00" else text  # schema.org times stop at 23:59


def shop_jsonld(shop: Shop) -> dict:
    """The LocalBusiness object: name, address, geo, opening hours, contact."""
    data = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": shop.name,
        "url": external_url("public.shop", slug=shop.slug),
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
    special = _special_hours(shop)
    if special:
        data["specialOpeningHoursSpecification"] = special
    if shop.lat is not None and shop.lon is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": shop.lat, "longitude": shop.lon}
    if shop.phone:
        data["telephone"] = shop.phone
    if shop.description:
        data["description"] = shop.description
    return data


def _special_hours(shop: Shop) -> list[dict]:
    """Public holidays, date-range rules and closures of the coming weeks; 00:00-00:00 = closed."""
    tz = current_app.config["TIMEZONE"]
    today = utcnow().astimezone(ZoneInfo(tz)).date()
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
