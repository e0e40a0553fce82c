"""Fixtures of the curation tests."""

from __future__ import annotations

import pytest

from tests.curation.helpers import make_curator
from tests.factories import login


@pytest.fixture
def curator(app):
    return make_curator()


@pytest.fixture
def office(app, client, curator):
    """A client logged in as the curator."""
    login(client, curator)
    return client
