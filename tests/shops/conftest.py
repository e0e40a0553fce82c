"""Fixtures of the shop tests: the fake national registers (tests/shops/fake_registers.py)."""

from tests.shops.fake_registers import registers  # noqa: F401 - a fixture
