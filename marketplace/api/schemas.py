"""API bodies and query strings (on the shared shops.schemas rules) and the documented answers."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

from marketplace.api.fields import (
    PriceCents,
    QueryFlag,
    QueryInteger,
    StockUnits,
    StrictFlag,
    ThresholdUnits,
)
from marketplace.api.problems import TITLES
from marketplace.money import MAX_PRICE_CENTS
from marketplace.orders.status import CANCELLED, COLLECTED, READY, TRANSITIONS
from shops.categories import BY_CODE
from shops.schemas import MAX_STOCK, PRICE_MESSAGES, SKU_PATTERN, ProductInput

MAX_PER_PAGE = 100
MAX_PAGE = 100_000
MAX_ID = 2_147_483_647  # PostgreSQL integer
NO_NUL = "^[^\\u0000]*$"  # PostgreSQL text cannot hold NUL characters
LAT = r"-?(?:90(?:\.0{1,8})?|[1-8]?[0-9](?:\.[0-9]{1,8})?)"
LON = r"-?(?:180(?:\.0{1,8})?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]{1,8})?)"
ORDER_STATUSES = sorted({s for pair in TRANSITIONS for s in pair})


class FullMatch(validate.Regexp):
    """Like validate.Regexp, but the whole value must match (Python's $ allows a final newline)."""

    regex: re.Pattern[str]  # always built from a str pattern here

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str) or self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


def _no_nul(value: str) -> None:
    if "\x00" in value:
        raise ValidationError(str(_l("Text cannot contain a NUL character.")))


# ---- Query strings ----------------------------------------------------------------------------


class PageArgs(Schema):
    """?page=&per_page= on every list."""

    page = QueryInteger(load_default=1, validate=validate.Range(1, MAX_PAGE))
    per_page = QueryInteger(load_default=20, validate=validate.Range(1, MAX_PER_PAGE))


class ShopListArgs(PageArgs):
    """Filters of GET /shops."""

    category = fields.String(validate=validate.OneOf(sorted(BY_CODE)))
    postcode = fields.String(validate=FullMatch(r"^[0-9]{5}$"))
    open_now = QueryFlag()
    near = fields.String(
        validate=FullMatch(f"^{LAT},{LON}$"),
        metadata={"description": "latitude,longitude in degrees, e.g. 48.8650,2.3780"},
    )
    radius_km = fields.Float(
        validate=validate.Range(0.1, 50),
        metadata={"description": "with near: the distance in km (default 2)"},
    )


class ShopProductArgs(PageArgs):
    """Filters of GET /shops/{slug}/products."""

    in_stock = QueryFlag()


class MerchantProductArgs(PageArgs):
    """Filters of GET /merchant/products."""

    sku = fields.String(validate=FullMatch(SKU_PATTERN.pattern))
    active = QueryFlag()


class OrderArgs(PageArgs):
    """Filters of GET /merchant/orders."""

    status = fields.String(validate=validate.OneOf(ORDER_STATUSES))


class NoArgs(Schema):
    """An operation that takes no query parameter."""


# ---- Request bodies ---------------------------------------------------------------------------


class ProductBody(ProductInput):
    """A product in JSON: the form's and CSV's rules (shops.schemas.ProductInput), JSON types."""

    name = fields.String(
        required=True,
        validate=[
            validate.Length(min=1, max=200, error=_l("A name of 1 to 200 characters.")),
            _no_nul,
        ],
        error_messages={"required": _l("Enter a name.")},
        metadata={"pattern": NO_NUL},
    )
    description = fields.String(
        load_default="",
        validate=[validate.Length(max=5000), _no_nul],
        metadata={"pattern": NO_NUL},
    )
    price = PriceCents(
        required=True,
        data_key="price_cents",
        error_messages={"required": PRICE_MESSAGES["missing"]},
        metadata={"type": "integer", "minimum": 1, "maximum": MAX_PRICE_CENTS},
    )
    stock = StockUnits(
        load_default=None,
        allow_none=True,
        metadata={
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_STOCK,
            "description": "null: unlimited",
        },
    )
    low_stock_threshold = ThresholdUnits(
        load_default=None,
        allow_none=True,
        metadata={
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_STOCK,
            "description": "alert (email, product.low_stock webhook) when the stock falls to "
            "this number or below; null: no alert",
        },
    )
    category = fields.String(
        load_default="", validate=[validate.Length(max=80), _no_nul], metadata={"pattern": NO_NUL}
    )
    sku = fields.String(
        load_default=None,
        allow_none=True,
        validate=FullMatch(
            SKU_PATTERN.pattern,
            error=_l("A SKU has up to 64 letters, digits, dots, dashes or slashes."),
        ),
    )
    active = StrictFlag(load_default=True, metadata={"type": "boolean"})


class InventoryItem(Schema):
    """One SKU's new stock and/or price."""

    sku = fields.String(
        required=True,
        validate=FullMatch(
            SKU_PATTERN.pattern,
            error=_l("A SKU has up to 64 letters, digits, dots, dashes or slashes."),
        ),
    )
    stock = StockUnits(
        allow_none=True,
        metadata={
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_STOCK,
            "description": "null: unlimited",
        },
    )
    price = PriceCents(
        data_key="price_cents",
        metadata={"type": "integer", "minimum": 1, "maximum": MAX_PRICE_CENTS},
    )


class InventoryBody(Schema):
    """Stock and prices of many SKUs, applied all together or not at all."""

    items = fields.List(
        fields.Nested(InventoryItem), required=True, validate=validate.Length(min=1, max=1000)
    )


class OrderStatusBody(Schema):
    """The order's next status, as the order board would set it."""

    status = fields.String(required=True, validate=validate.OneOf([READY, COLLECTED, CANCELLED]))
    pickup_code = fields.String(
        validate=validate.Length(max=20),
        metadata={"description": "required to mark an order collected: the customer's code"},
    )
    reason = fields.String(
        validate=[validate.Length(max=500), _no_nul],
        metadata={"description": "required to cancel: the customer reads it", "pattern": NO_NUL},
    )


# ---- Answers ----------------------------------------------------------------------------------


class ProblemOut(Schema):
    """Every 4xx and 5xx under /api/v1 (application/problem+json, RFC 9457)."""

    type = fields.String(required=True, metadata={"description": "the code as a URI"})
    code = fields.String(
        required=True, metadata={"description": "stable, machine-readable", "enum": list(TITLES)}
    )
    title = fields.String(required=True, metadata={"description": "in the asked language"})
    status = fields.Integer(required=True, metadata={"description": "the HTTP status"})
    detail = fields.String(required=True, metadata={"description": "about this occurrence"})
    errors = fields.Dict(metadata={"description": "each wrong field -> its messages (or more)"})


class CategoryOut(Schema):
    code = fields.String(required=True)
    label_fr = fields.String(required=True)
    label_en = fields.String(required=True)
    shop_count = fields.Integer(required=True)


class CategoryList(Schema):
    items = fields.List(fields.Nested(CategoryOut), required=True)


class HoursOut(Schema):
    weekday = fields.Integer(required=True, metadata={"description": "0 = Monday"})
    opens = fields.String(required=True, metadata={"example": "08:00"})
    closes = fields.String(required=True, metadata={"example": "19:30"})


class ClosureOut(Schema):
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    reason = fields.String(required=True)
    starts_time = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Closed from this time on the first day; null = all day"},
    )
    ends_time = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Closed until this time on the last day; null = all day"},
    )


class ShopSummary(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    category = fields.String(required=True)
    postcode = fields.String(required=True)
    city = fields.String(required=True)
    lat = fields.Float(required=True, allow_none=True)
    lon = fields.Float(required=True, allow_none=True)
    open_now = fields.Boolean(required=True)
    distance_km = fields.Float(required=True, allow_none=True)
    url = fields.String(required=True)


class ShopOut(ShopSummary):
    description = fields.String(required=True)
    address = fields.String(required=True)
    phone = fields.String(required=True, allow_none=True)
    email = fields.String(required=True, allow_none=True)
    website = fields.String(required=True, allow_none=True)
    photo_url = fields.String(required=True, allow_none=True)
    pay_at_pickup = fields.Boolean(required=True)
    hours = fields.List(fields.Nested(HoursOut), required=True)
    closures = fields.List(fields.Nested(ClosureOut), required=True)
    opening_hours = fields.String(
        required=True,
        metadata={
            "description": "Everything above in the OpenStreetMap opening_hours syntax, with the "
            "public holidays (PH) and the shop's own rules",
            "example": "Mo-Sa 08:00-19:30; Su off; PH off; 2026 Dec 24-2026 Dec 31 off",
        },
    )


class ShopPage(Schema):
    items = fields.List(fields.Nested(ShopSummary), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class ShopRef(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)


class ImageOut(Schema):
    url = fields.String(required=True)
    alt = fields.String(required=True)


class ProductOut(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    price_cents = fields.Integer(required=True)
    stock = fields.Integer(
        required=True, allow_none=True, metadata={"description": "null: unlimited"}
    )
    in_stock = fields.Boolean(required=True)
    category = fields.String(required=True)
    sku = fields.String(required=True, allow_none=True)
    shop = fields.Nested(ShopRef, required=True)
    images = fields.List(fields.Nested(ImageOut), required=True)
    url = fields.String(required=True)
    updated_at = fields.DateTime(required=True)


class ProductPage(Schema):
    items = fields.List(fields.Nested(ProductOut), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class MerchantProductOut(ProductOut):
    active = fields.Boolean(required=True)
    low_stock_threshold = fields.Integer(
        required=True, allow_none=True, metadata={"description": "null: no low-stock alert"}
    )
    archived = fields.Boolean(
        required=True, metadata={"description": "taken off sale by DELETE (or active=false)"}
    )
    hidden_reason = fields.String(
        required=True, allow_none=True, metadata={"description": "set when the city office hid it"}
    )
    created_at = fields.DateTime(required=True)


class MerchantProductPage(Schema):
    items = fields.List(fields.Nested(MerchantProductOut), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class InventoryOut(Schema):
    updated = fields.Integer(required=True)
    items = fields.List(fields.Nested(MerchantProductOut), required=True)


class MerchantShopOut(ShopOut):
    status = fields.String(required=True)
    status_reason = fields.String(required=True, allow_none=True)


class OrderLineOut(Schema):
    product_id = fields.Integer(required=True, allow_none=True)
    sku = fields.String(required=True, allow_none=True)
    name = fields.String(required=True)
    unit_price_cents = fields.Integer(required=True)
    quantity = fields.Integer(required=True)


class OrderEventOut(Schema):
    from_status = fields.String(required=True, allow_none=True)
    to_status = fields.String(required=True)
    reason = fields.String(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)


class OrderOut(Schema):
    """An order as the shop sees it: no customer name, email or pickup code."""

    id = fields.Integer(required=True)
    status = fields.String(required=True)
    payment = fields.String(required=True, metadata={"description": "online | at_pickup"})
    pickup_starts_at = fields.DateTime(required=True)
    pickup_ends_at = fields.DateTime(required=True)
    total_cents = fields.Integer(required=True)
    refunded_cents = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    lines = fields.List(fields.Nested(OrderLineOut), required=True)
    events = fields.List(fields.Nested(OrderEventOut), required=True)


class OrderPage(Schema):
    items = fields.List(fields.Nested(OrderOut), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
