"""Stripe-shaped errors and request parameter checks shared by the emulator's resources."""

from __future__ import annotations

from typing import Any

from localstripe.errors import UserError


def invalid(message: str, param: str | None = None, code: str | None = None, status: int = 400):
    """Return a UserError whose body is Stripe's {"error": {type, message, param, code}}."""
    contents: dict[str, Any] = {}
    if param:
        contents["param"] = param
    if code:
        contents["code"] = code
    return UserError(status, message, contents)


def missing(object_name: str, object_id: str, param: str = "id"):
    """Return the 404 error Stripe gives for an unknown id ("No such charge: 'ch_x'")."""
    return invalid(f"No such {object_name}: '{object_id}'", param, "resource_missing", 404)


def reject_unknown(data: dict, allowed: set[str], prefix: str = "") -> None:
    """Refuse parameters the emulator does not know, as Stripe does."""
    for key in data:
        if key not in allowed:
            name = f"{prefix}[{key}]" if prefix else key
            raise invalid(f"Received unknown parameter: {name}", name, "parameter_unknown")


def need(data: dict, key: str, param: str | None = None) -> Any:
    """Return data[key], or raise Stripe's "Missing required param" error."""
    value = data.get(key)
    if value is None or value == "":
        name = param or key
        raise invalid(f"Missing required param: {name}.", name, "parameter_missing")
    return value


def as_int(value: Any, param: str, minimum: int | None = None) -> int:
    """Parse an integer parameter (form values arrive as strings)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise invalid(f"Invalid integer: {value}", param, "parameter_invalid_integer") from None
    if minimum is not None and number < minimum:
        raise invalid(
            f"This value must be greater than or equal to {minimum}.",
            param,
            "parameter_invalid_integer",
        )
    return number


def as_bool(value: Any, param: str) -> bool:
    """Parse a boolean parameter ("true"/"false")."""
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "false"):
        return str(value).lower() == "true"
    raise invalid(f"Invalid boolean: {value}", param)


def as_metadata(value: Any, param: str = "metadata") -> dict[str, str]:
    """Validate Stripe metadata: at most 50 string keys (40 chars) and values (500 chars)."""
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise invalid("Invalid object", param)
    if len(value) > 50:
        raise invalid("You can specify up to 50 metadata keys.", param)
    for key, item in value.items():
        if len(str(key)) > 40 or len(str(item)) > 500:
            raise invalid("Metadata keys are limited to 40 characters, values to 500.", param)
    return {str(k): str(v) for k, v in value.items()}


def as_currency(value: Any, param: str = "currency") -> str:
    """Validate a three-letter ISO currency code, returned in lower case."""
    if not isinstance(value, str) or len(value) != 3 or not value.isalpha():
        raise invalid(f"Invalid currency: {value}", param, "parameter_invalid_string")
    return value.lower()


def euros(cents: int) -> str:
    """Format an amount in cents like Stripe's error messages (€12.50)."""
    return f"€{cents / 100:.2f}"
