"""The attack suite's town, built once per module."""

from tests.security.attack import town  # noqa: F401
