"""The words of the open-data schemas: each table's and field's title and description.

They go through gettext like every other text: the open-data page shows them in the reader's
language, and the published Table Schemas carry both (French in `title`/`description`, as the
schemas of schema.data.gouv.fr do, English in `x-title-en`/`x-description-en`). The structure
(types, constraints, examples) lives in schemas/*.json; a test checks both name the same fields.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.curation.stats import MIN_ORDERS

OPENING_HOURS = _l(
    "Opening hours in the OpenStreetMap opening_hours syntax, with public holidays (PH, France)"
    " and the announced closures, e.g. Mo-Fr 08:00-12:30,14:00-19:00; Sa 08:00-13:00; Su off;"
    " PH off; 2026 Dec 24-2026 Dec 31 off."
)

TABLES = {
    "shops": (
        _l("Local shops on Vitrine"),
        _l(
            "The shops published on the town's Vitrine marketplace, one line each. Field names"
            " follow OpenStreetMap keys, as the national open base of shops (BANCO) does;"
            " coordinates are WGS 84 decimal degrees. No personal data."
        ),
    ),
    "monthly-stats": (
        _l("Monthly orders and sales per shop category"),
        _l(
            "Orders collected on Vitrine and their sales per month (Paris time) and shop"
            " category; a cell of fewer than %(n)s orders is left empty (statistical secrecy).",
            n=MIN_ORDERS,
        ),
    ),
}

FIELDS = {
    "shops": {
        "id": (
            _l("Identifier"),
            _l("Stable identifier of the shop on Vitrine (its web address)."),
        ),
        "name": (_l("Name"), _l("OSM name=*.")),
        "type": (
            _l("OSM type"),
            _l("The OSM value of shop=* or amenity=* (bakery, butcher, pharmacy...)."),
        ),
        "osm_tag": (_l("OSM tag"), _l("The full OSM tag, e.g. shop=bakery.")),
        "category": (_l("Category"), _l("Vitrine's category code (French vocabulary).")),
        "siret": (_l("SIRET"), _l("SIRET of the establishment (OSM ref:FR:SIRET).")),
        "addr_full": (_l("Address"), _l("Street address, postcode and city on one line.")),
        "addr_postcode": (_l("Postcode"), _l("Postcode (5 digits).")),
        "addr_city": (_l("Town"), _l("Town or city.")),
        "lat": (_l("Latitude"), _l("WGS 84 latitude.")),
        "lon": (_l("Longitude"), _l("WGS 84 longitude.")),
        "opening_hours": (_l("Opening hours"), OPENING_HOURS),
        "phone": (_l("Phone"), _l("The shop's public phone number.")),
        "website": (_l("Website"), _l("The shop's own website.")),
        "url": (_l("Page on Vitrine"), _l("The shop's page on Vitrine.")),
    },
    "monthly-stats": {
        "month": (_l("Month"), _l("The month, in Paris time (YYYY-MM).")),
        "category": (_l("Category"), _l("Vitrine's category code (French vocabulary).")),
        "osm_tag": (_l("OSM tag"), _l("The full OSM tag, e.g. shop=bakery.")),
        "orders": (
            _l("Orders"),
            _l("Orders collected that month (refunded ones included); empty when suppressed."),
        ),
        "sales_eur": (
            _l("Sales (EUR)"),
            _l("Amount collected minus refunds, in euros, VAT included; empty when suppressed."),
        ),
        "suppressed": (
            _l("Suppressed"),
            _l(
                "true when the cell has fewer than %(n)s orders and its figures are left empty.",
                n=MIN_ORDERS,
            ),
        ),
    },
}


def described_fields(table: str) -> list[tuple[str, str, str]]:
    """(field, title, description) of each field of `table`, in the reader's language."""
    return [(name, str(title), str(text)) for name, (title, text) in FIELDS[table].items()]
