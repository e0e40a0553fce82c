"""The contract of GET /api/v1/search (implemented by search/views.py, checked by search.params)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from search.params import MAX_PAGE, MAX_PER_PAGE, SORTS


class SearchArgs(Schema):
    """The search parameters as search.params.parse_params reads them: forgiving text (an empty
    value is no filter, spaces are trimmed), a 400 naming each parameter it cannot read."""

    q = fields.String(metadata={"description": "words to find (typos and accents forgiven)"})
    category = fields.String(metadata={"description": "a category code (GET /categories)"})
    shop = fields.String(metadata={"description": "a shop slug"})
    min_price = fields.String(metadata={"description": "euros, e.g. 2.50 or 2,50"})
    max_price = fields.String(metadata={"description": "euros, not below min_price"})
    in_stock = fields.String(metadata={"description": "1/true/yes/on or 0/false/no/off"})
    open_now = fields.String(metadata={"description": "1/true/yes/on or 0/false/no/off"})
    near = fields.String(metadata={"description": "latitude,longitude, e.g. 48.8650,2.3780"})
    radius_km = fields.Float(
        validate=validate.Range(0.1, 50), metadata={"description": "with near; default 2"}
    )
    postcode = fields.String(metadata={"description": "5 digits"})
    sort = fields.String(
        metadata={"description": "one of " + ", ".join(SORTS) + " (distance needs near)"}
    )
    page = fields.Integer(validate=validate.Range(1, MAX_PAGE))
    per_page = fields.Integer(validate=validate.Range(1, MAX_PER_PAGE))


class SearchShop(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)


class SearchHit(Schema):
    type = fields.String(required=True, validate=validate.OneOf(["product", "shop"]))
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    url = fields.String(required=True)
    sku = fields.String(required=True, allow_none=True)
    price_cents = fields.Integer(required=True, allow_none=True)
    shop = fields.Nested(SearchShop, required=True)
    distance_km = fields.Float(required=True, allow_none=True)
    highlight = fields.String(required=True, metadata={"description": "HTML, escaped"})


class FacetValue(Schema):
    value = fields.String(required=True)
    label = fields.String(required=True)
    count = fields.Integer(required=True)


class SearchFacets(Schema):
    category = fields.List(fields.Nested(FacetValue), required=True)
    shop = fields.List(fields.Nested(FacetValue), required=True)
    price = fields.List(fields.Nested(FacetValue), required=True)
    in_stock = fields.List(fields.Nested(FacetValue), required=True)
    open_now = fields.List(fields.Nested(FacetValue), required=True)


class SearchOut(Schema):
    query = fields.String(required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    results = fields.List(fields.Nested(SearchHit), required=True)
    facets = fields.Nested(SearchFacets, required=True)
    suggestion = fields.String(required=True, allow_none=True)
