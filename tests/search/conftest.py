"""Helpers for the search tests: ask the API, read back names and ids."""

from __future__ import annotations

import pytest


def search_api(client, **params) -> dict:
    """GET /api/v1/search and return the JSON body (asserting a 200)."""
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()


def names(body: dict) -> list[str]:
    """The names of the results, in order."""
    return [r["name"] for r in body["results"]]


def found(client, q: str, **params) -> list[str]:
    """Names found for `q`."""
    return names(search_api(client, q=q, **params))


@pytest.fixture
def index_dir(app) -> str:
    return app.config["SEARCH_INDEX_DIR"]
