"""A SIRET is 14 digits with a Luhn checksum; the shop form says so when it is wrong."""

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from shops.models import Shop
from shops.siret import is_valid_siret
from tests.conftest import page_text, post_form
from tests.factories import login, shop_form_data


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000074",
        "732 829 320 00074",
        "35600000000048",  # La Poste's head office: the usual Luhn rule
        "35600000000042",  # a post office: digit sum divisible by 5
    ],
)
def test_valid_sirets_pass(siret):
    assert is_valid_siret(siret)


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000075",  # last digit mistyped
        "73282392000074",  # two digits swapped
        "73282930000076",  # the 14 digits add up, but the SIREN's own key is wrong
        "35600000000049",  # a post office whose digit sum is not divisible by 5
        "7328293200007",
        "732829320000744",
        "7328293200007A",
        "",
    ],
)
def test_a_wrong_checksum_or_length_fails(siret):
    assert not is_valid_siret(siret)


def test_the_shop_form_refuses_a_wrong_siret(app, client, shopkeeper):
    login(client, shopkeeper)
    response = post_form(
        client,
        "/merchant/shops/new",
        shop_form_data(siret="73282932000075"),
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "A SIRET has 14 digits and a valid checksum." in page_text(response)
    assert db.session.scalar(select(func.count()).select_from(Shop)) == 0
