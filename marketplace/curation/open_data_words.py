"""The open-data fields described in the reader's language on the open-data page.

The schema (schemas/shops.schema.json) is published in English, the language of its
consumers' tools; the page people read shows each description translated. A test checks that
every description of the schema has its entry here.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DESCRIPTIONS = {
    "Stable identifier of the shop on Vitrine (its web address).": _l(
        "Stable identifier of the shop on Vitrine (its web address)."
    ),
    "OSM name=*.": _l("OSM name=*."),
    "The OSM value of shop=* or amenity=* (bakery, butcher, pharmacy...).": _l(
        "The OSM value of shop=* or amenity=* (bakery, butcher, pharmacy...)."
    ),
    "The full OSM tag, e.g. shop=bakery.": _l("The full OSM tag, e.g. shop=bakery."),
    "Vitrine's category code (French vocabulary).": _l(
        "Vitrine's category code (French vocabulary)."
    ),
    "SIRET of the establishment (OSM ref:FR:SIRET).": _l(
        "SIRET of the establishment (OSM ref:FR:SIRET)."
    ),
    "Street address, postcode and city on one line.": _l(
        "Street address, postcode and city on one line."
    ),
    "Postcode (5 digits).": _l("Postcode (5 digits)."),
    "Town or city.": _l("Town or city."),
    "WGS 84 latitude.": _l("WGS 84 latitude."),
    "WGS 84 longitude.": _l("WGS 84 longitude."),
    "Opening hours in the OpenStreetMap opening_hours syntax, with public holidays (PH, France) and the announced closures, e.g. Mo-Fr 08:00-12:30,14:00-19:00; Sa 08:00-13:00; Su off; PH off; 2026 Dec 24-2026 Dec 31 off.": _l(
        "Opening hours in the OpenStreetMap opening_hours syntax, with public holidays (PH, France) and the announced closures, e.g. Mo-Fr 08:00-12:30,14:00-19:00; Sa 08:00-13:00; Su off; PH off; 2026 Dec 24-2026 Dec 31 off."
    ),
    "The shop's public phone number.": _l("The shop's public phone number."),
    "The shop's own website.": _l("The shop's own website."),
    "The shop's page on Vitrine.": _l("The shop's page on Vitrine."),
}


def described_fields(properties: dict) -> list[tuple[str, str]]:
    """(field, description in the reader's language) for each field of the schema."""
    rows = []
    for name, spec in properties.items():
        english = spec.get("description", "")
        words = DESCRIPTIONS.get(english)
        rows.append((name, str(words) if words is not None else english))
    return rows
