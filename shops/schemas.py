"""Validation rules for products, in one place: used by the form, the CSV import and the API."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

from marketplace.money import MAX_PRICE_CENTS, InvalidPrice, parse_price
from marketplace.validation_messages import translate_validation

MAX_STOCK = 1_000_000
SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")

PRICE_MESSAGES = {
    "missing": _l("Enter a price."),
    "negative": _l("A price cannot be negative."),
    "zero": _l("A price must be more than 0."),
    "format": _l("Write the price like 12,50 or 12.50."),
    "too_large": _l("This price is too high."),
}

TRUE_WORDS = {"1", "true", "yes", "oui", "vrai", "y", "o", "x", "on"}
FALSE_WORDS = {"0", "false", "no", "non", "faux", "n", "off", ""}


class PriceField(fields.Field):
    """Euros as typed ("12,50", "12.50") in, integer cents out."""

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        if isinstance(value, bool):
            raise ValidationError(str(PRICE_MESSAGES["format"]))
        if isinstance(value, int) and attr == "price_cents":
            if value <= 0:
                raise ValidationError(str(PRICE_MESSAGES["zero"]))
            if value > MAX_PRICE_CENTS:
                raise ValidationError(str(PRICE_MESSAGES["too_large"]))
            return value
        try:
            return parse_price(value)
        except InvalidPrice as error:
            raise ValidationError(str(PRICE_MESSAGES[str(error)])) from error


class StockField(fields.Field):
    """A whole number of units from 0, or empty for unlimited stock."""

    def _deserialize(self, value, attr, data, **kwargs) -> int | None:
        if value is None or (isinstance(value, str) and value.strip() == ""):
            return None
        if isinstance(value, bool):
            raise ValidationError(str(_l("Stock must be a whole number (or empty for unlimited).")))
        text = str(value).strip()
        if not re.fullmatch(r"-?\d{1,9}", text):
            raise ValidationError(str(_l("Stock must be a whole number (or empty for unlimited).")))
        stock = int(text)
        if stock < 0:
            raise ValidationError(str(_l("Stock cannot be negative.")))
        if stock > MAX_STOCK:
            raise ValidationError(str(_l("Stock is too large.")))
        return stock


class ThresholdField(fields.Field):
    """A low-stock alert threshold: units from 0 (alert at or below), or empty for no alert."""

    def _deserialize(self, value, attr, data, **kwargs) -> int | None:
        if value is None or (isinstance(value, str) and value.strip() == ""):
            return None
        text = "" if isinstance(value, bool) else str(value).strip()
        if not re.fullmatch(r"\d{1,9}", text) or int(text) > MAX_STOCK:
            raise ValidationError(
                str(_l("Alert threshold: a whole number of units, or empty for no alert."))
            )
        return int(text)


class FlagField(fields.Field):
    """Yes/no as people write it in a spreadsheet: 1/0, oui/non, yes/no, true/false."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationError(str(_l("Write 1 or 0 (oui/non, yes/no).")))


class TypeField(fields.String):
    """A product type: its slug or its French or English label; empty means "guess it"."""

    # None means "guess the type": a String that may load as None, which its stubs do not say.
    def _deserialize(self, value, attr, data, **kwargs) -> str | None:  # type: ignore[override]
        from shops.product_types import find_type

        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        found = find_type(value) if isinstance(value, str) else None
        if found is None:
            raise ValidationError(str(_l("Unknown product type %(value)s.", value=value)))
        return found


def _type_slugs() -> list[str]:
    from shops.product_types import taxonomy

    return list(taxonomy().types)


def _sku(value: str) -> None:
    if value and not SKU_PATTERN.match(value):
        raise ValidationError(
            str(_l("A SKU has up to 64 letters, digits, dots, dashes or slashes."))
        )


class ProductInput(Schema):
    """A product as a shopkeeper describes it (form, CSV row or API body)."""

    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200, error=_l("A name of 1 to 200 characters.")),
        error_messages={"required": _l("Enter a name.")},
    )
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    price = PriceField(
        required=True, data_key="price", error_messages={"required": PRICE_MESSAGES["missing"]}
    )
    stock = StockField(load_default=None, allow_none=True)
    category = fields.String(load_default="", validate=validate.Length(max=80))
    type = TypeField(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "a product type slug (GET /search facets list them); null: guessed "
            "from the category and the name",
            "enum": sorted(_type_slugs()),
        },
    )
    sku = fields.String(load_default=None, allow_none=True, validate=_sku)
    active = FlagField(load_default=True)


class ProductSheetInput(ProductInput):
    """A product as the form or a CSV row describes it: ProductInput and the low-stock threshold.

    The API's body (marketplace.api.schemas.ProductBody) declares its own fields with JSON types.
    """

    low_stock_threshold = ThresholdField(load_default=None, allow_none=True)


def clean_text_fields(data: dict) -> dict:
    """Strip surrounding spaces from text values; an empty SKU becomes None."""
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    if "sku" in cleaned and not cleaned["sku"]:
        cleaned["sku"] = None
    return cleaned


def validate_product(data: dict, partial: bool = False) -> tuple[dict, dict]:
    """Return (values, errors) for raw product input; errors maps field -> list of messages."""
    try:
        cleaned = clean_text_fields(data)
        return ProductSheetInput().load(cleaned, partial=partial, unknown="exclude"), {}
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"_": error.messages}
        return {}, {k: [translate_validation(str(m)) for m in v] for k, v in messages.items()}


def _postcode(value: str) -> None:
    if not re.fullmatch(r"\d{5}", value or ""):
        raise ValidationError(str(_l("A French postcode has 5 digits.")))


def _siret_check(value: str | None) -> None:
    from shops.siret import is_valid_siret

    if value and not is_valid_siret(value):
        raise ValidationError(str(_l("A SIRET has 14 digits and a valid checksum.")))


def _category(value: str) -> None:
    from shops.categories import BY_CODE

    if value not in BY_CODE:
        raise ValidationError(str(_l("Unknown category %(code)s.", code=value)))


class DecimalText(fields.Float):
    """A coordinate written with a dot or a decimal comma."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
            if value == "":
                return None
        return super()._deserialize(value, attr, data, **kwargs)


class ShopInput(Schema):
    """A shop as the town's import file (or the API) describes it."""

    slug = fields.String(
        load_default=None, allow_none=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,79}$")
    )
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    category = fields.String(required=True, validate=_category)
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    specialities = fields.String(load_default="", validate=validate.Length(max=300))
    address = fields.String(required=True, validate=validate.Length(min=1, max=200))
    postcode = fields.String(required=True, validate=_postcode)
    city = fields.String(required=True, validate=validate.Length(min=1, max=100))
    lat = DecimalText(load_default=None, allow_none=True, validate=validate.Range(-90, 90))
    lon = DecimalText(load_default=None, allow_none=True, validate=validate.Range(-180, 180))
    siret = fields.String(load_default=None, allow_none=True, validate=_siret_check)
    phone = fields.String(
        load_default=None, allow_none=True, validate=validate.Regexp(r"^[0-9 +().-]{6,30}$")
    )
    email = fields.Email(load_default=None, allow_none=True)
    website = fields.Url(load_default=None, allow_none=True)


def validate_shop(data: dict) -> tuple[dict, dict]:
    """Return (values, errors) for raw shop input; empty optional cells count as missing."""
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    for key in (
        "slug",
        "lat",
        "lon",
        "siret",
        "phone",
        "email",
        "website",
        "description",
        "specialities",
    ):
        if cleaned.get(key) in ("", None):
            cleaned.pop(key, None)
    if cleaned.get("siret"):
        from shops.siret import normalize_siret

        # Spaces, dots and dashes dropped (python-stdnum), as the shop form stores it.
        cleaned["siret"] = normalize_siret(cleaned["siret"])
    try:
        return ShopInput().load(cleaned, unknown="exclude"), {}
    except ValidationError as error:
        errors = error.normalized_messages().items()
        return {}, {k: [translate_validation(str(m)) for m in v] for k, v in errors}
