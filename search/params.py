"""The search contract: one marshmallow schema reads the query string for the page and the API,
and documents it in the OpenAPI document (marketplace/api/spec.py)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, post_load, validates_schema

from search.param_fields import (
    FLAG_TEXT,
    MAX_RADIUS_KM,
    Choice,
    Euros,
    Flag,
    Kilometres,
    Matching,
    Position,
    SortOrder,
    WholeNumber,
    Words,
)
from shops.categories import BY_CODE
from shops.product_types import taxonomy

TYPE_SLUGS = frozenset(taxonomy().types)
FAMILY_SLUGS = frozenset(taxonomy().families)

SORTS = ("relevance", "price_asc", "price_desc", "distance", "newest")
DEFAULT_RADIUS_KM = 2.0
MAX_PAGE = 500
MAX_PER_PAGE = 50
DEFAULT_PER_PAGE = 20
SLUG_RE = re.compile(r"^[a-z0-9-]{1,80}$")
POSTCODE_RE = re.compile(r"^\d{5}$")


@dataclass
class SearchParams:
    """What a resident asked for; prices in cents, coordinates in degrees."""

    q: str = ""
    category: str | None = None
    product_type: str | None = None
    family: str | None = None
    shop: str | None = None
    min_price_cents: int | None = None
    max_price_cents: int | None = None
    in_stock: bool = False
    open_now: bool = False
    near: tuple[float, float] | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    postcode: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    products_only: bool = False  # not a query-string parameter: a shop page's own search

    def active_filters(self) -> dict:
        """The filters set, for the search log (no personal data: coordinates are rounded)."""
        values = {k: v for k, v in asdict(self).items() if k not in ("q", "page", "per_page")}
        if self.near:
            values["near"] = [round(self.near[0], 2), round(self.near[1], 2)]
        defaults = asdict(SearchParams())
        return {k: v for k, v in values.items() if v != defaults.get(k) or (k == "near" and v)}


class SearchParamsSchema(Schema):
    """The search parameters of the page and of GET /api/v1/search: forgiving text (an empty value
    is no filter, spaces are trimmed), each value it cannot read named with a message."""

    class Meta:
        unknown = EXCLUDE  # the page ignores them; the API refuses them first (api/parsing.py)

    q = Words(metadata={"description": "words to find (typos and accents forgiven)"})
    category = Choice(
        BY_CODE,
        message=_l("Unknown category."),
        metadata={
            "description": "a shop category code (GET /categories): shops and their products"
        },
    )
    product_type = Choice(
        TYPE_SLUGS,
        data_key="type",
        message=_l("Unknown product type."),
        metadata={
            "description": "a product type slug (products only; the `type` facet lists them), "
            "e.g. pates, fromage-chevre, livres-jeunesse"
        },
    )
    family = Choice(
        FAMILY_SLUGS,
        message=_l("Unknown product family."),
        metadata={
            "description": "a product family slug (products only; the `family` facet), "
            "e.g. cremerie, epicerie-salee, livres"
        },
    )
    shop = Matching(SLUG_RE, message=_l("Unknown shop."), metadata={"description": "a shop slug"})
    min_price_cents = Euros(
        data_key="min_price",
        metadata={"description": "euros, e.g. 2.50 or 2,50"},
    )
    max_price_cents = Euros(
        data_key="max_price",
        metadata={"description": "euros, not below min_price"},
    )
    in_stock = Flag(metadata={"description": FLAG_TEXT})
    open_now = Flag(metadata={"description": FLAG_TEXT})
    near = Position(metadata={"description": "latitude,longitude, e.g. 48.8650,2.3780"})
    radius_km = Kilometres(
        metadata={"description": "with near; default 2", "minimum": 0.1, "maximum": MAX_RADIUS_KM}
    )
    postcode = Matching(
        POSTCODE_RE, message=_l("Enter a 5-digit postcode."), metadata={"description": "5 digits"}
    )
    sort = SortOrder(
        SORTS,
        message=_l("Unknown sort order."),
        metadata={"description": "one of " + ", ".join(SORTS) + " (distance needs near)"},
    )
    page = WholeNumber(1, MAX_PAGE)
    per_page = WholeNumber(1, MAX_PER_PAGE)

    @validates_schema(skip_on_field_errors=False)
    def check_together(self, data: dict, **kwargs) -> None:
        """The rules between values: a price range the right way round, distance with a position."""
        errors = {}
        low, high = data.get("min_price_cents"), data.get("max_price_cents")
        if low is not None and high is not None and low > high:
            errors["max_price"] = [str(_l("The maximum price must not be below the minimum."))]
        if data.get("sort") == "distance" and data.get("near") is None:
            errors["sort"] = [str(_l("Sorting by distance needs a position (near)."))]
        if errors:
            raise ValidationError(errors)

    @post_load
    def make_params(self, data: dict, **kwargs) -> SearchParams:
        """The values read, as SearchParams."""
        return params_from(data)


def params_from(data: dict) -> SearchParams:
    """SearchParams from the values the schema could read (the others keep their defaults)."""
    params = SearchParams(**{k: v for k, v in data.items() if v is not None})
    if params.sort == "distance" and params.near is None:
        params.sort = "relevance"  # refused above; the page still shows results
    return params


_SCHEMA = SearchParamsSchema()  # one per process: loading keeps no state on the schema


def parse_params(args) -> tuple[SearchParams, dict[str, list[str]]]:
    """Read SearchParams from request args; return them with {field: [messages]} errors."""
    try:
        return _SCHEMA.load(args), {}
    except ValidationError as error:
        messages: dict[str, list[str]] = error.normalized_messages()
        valid = error.valid_data if isinstance(error.valid_data, dict) else {}
        return params_from(valid), messages


# Price facet values (see search.schema.PRICE_BANDS) -> label and the filter they set.
PRICE_FACET_LABELS = {
    "0-5": _l("Under 5 €"),
    "5-10": _l("5 to 10 €"),
    "10-20": _l("10 to 20 €"),
    "20-50": _l("20 to 50 €"),
    "50-": _l("50 € and more"),
}


def price_filter(value: str) -> dict[str, str]:
    """The min_price / max_price arguments of a price facet value ("5-10" -> 5 and 9.99)."""
    low, _sep, high = value.partition("-")
    args = {"min_price": low} if low and low != "0" else {}
    if high:
        args["max_price"] = f"{int(high) - 1}.99"
    return args
