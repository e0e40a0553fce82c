"""The answer of GET /api/v1/search, as the OpenAPI document shows it (implemented by
search/views.py; its query string is search.params.SearchParamsSchema)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


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
    family = fields.List(fields.Nested(FacetValue), required=True)
    type = fields.List(fields.Nested(FacetValue), required=True)
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
