"""The API and the product form refuse the same bad inputs with the same rules (shops.schemas)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from shops.models import Product
from tests.api.conftest import bearer
from tests.conftest import page_text, post_form
from tests.factories import login, product_form_data

# (what the form sends, what the API sends, the field as the API names it)
BAD_INPUTS = [
    ({"name": ""}, {"name": ""}, "name"),
    ({"name": "x" * 201}, {"name": "x" * 201}, "name"),
    ({"price": "0"}, {"price_cents": 0}, "price_cents"),
    ({"price": "2000000"}, {"price_cents": 200_000_000}, "price_cents"),
    ({"stock": "-1"}, {"stock": -1}, "stock"),
    ({"stock": "2000000"}, {"stock": 2_000_000}, "stock"),
    ({"sku": "pas de blanc"}, {"sku": "pas de blanc"}, "sku"),
    ({"description": "x" * 5001}, {"description": "x" * 5001}, "description"),
]


@pytest.mark.parametrize(("form", "api", "field"), BAD_INPUTS)
def test_the_api_and_the_form_refuse_alike(app, client, bakery, bakery_token, form, api, field):
    body = {"name": "Chouquettes", "price_cents": 300, **api}
    answer = app.test_client().post(
        "/api/v1/merchant/products", json=body, headers=bearer(bakery_token)
    )
    assert answer.status_code == 400
    [message] = answer.get_json()["errors"][field]

    login(client, bakery.owner)
    path = f"/merchant/shops/{bakery.slug}/products/new"
    page = post_form(client, path, product_form_data(**form))
    assert page.status_code == 400
    assert message in page_text(page)
    assert db.session.scalar(select(func.count()).select_from(Product)) == 3  # the fixture's
