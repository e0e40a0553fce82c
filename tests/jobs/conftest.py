"""Fixtures of the jobs tests: an admin."""

from __future__ import annotations

import pytest

from marketplace.accounts.models import ADMIN
from tests.factories import make_user


@pytest.fixture
def admin(app):
    """The platform's admin."""
    return make_user("admin@example.org", ADMIN, "Ada")
