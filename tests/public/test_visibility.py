"""The public sees published shops and their products on sale, and nothing else."""

import pytest

from marketplace.extensions import db
from shops.models import DRAFT, PENDING_REVIEW, REJECTED, SUSPENDED
from tests.factories import make_product, make_shop

UNPUBLISHED = [DRAFT, PENDING_REVIEW, REJECTED, SUSPENDED]


def product_url(product):
    return f"/shops/{product.shop.slug}/products/{product.id}-{product.slug}"


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_an_unpublished_shop_and_its_products_do_not_exist_for_the_public(app, client, status):
    make_shop(name="Cave Ouverte", category="caviste")
    hidden = make_shop(name="Cave Cachée", status=status, category="caviste")
    product = make_product(hidden, "Saint-Joseph 2022", 2400)

    assert client.get(f"/shops/{hidden.slug}").status_code == 404
    assert client.get(product_url(product)).status_code == 404
    for page in ("/", "/shops", "/shops?category=caviste"):
        html = client.get(page).get_data(as_text=True)
        assert "Cave Ouverte" in html, page
        assert "Cave Cachée" not in html, page
    # The category count on the home page counts the published shop only.
    assert "(1)" in client.get("/").get_data(as_text=True)


def test_a_published_shop_s_hidden_or_inactive_products_are_404_and_not_listed(app, client):
    shop = make_shop(name="Fromagerie du Canal", category="fromagerie")
    on_sale = make_product(shop, "Comté 24 mois", 1250)
    off_sale = make_product(shop, "Mont d'Or", 1800, is_active=False)
    hidden = make_product(shop, "Fromage douteux", 900)
    hidden.hidden_reason = "Allégation de santé non autorisée."
    db.session.commit()

    page = client.get(f"/shops/{shop.slug}").get_data(as_text=True)
    assert "Comté 24 mois" in page
    assert "Mont d" not in page
    assert "Fromage douteux" not in page
    assert client.get(product_url(on_sale)).status_code == 200
    assert client.get(product_url(off_sale)).status_code == 404
    assert client.get(product_url(hidden)).status_code == 404


def test_a_product_is_404_under_another_shop_s_address(app, client):
    first = make_shop(name="Primeur Voltaire", category="primeur")
    second = make_shop(name="Primeur Parmentier", category="primeur")
    product = make_product(second, "Pommes Reinette", 350)
    url = f"/shops/{first.slug}/products/{product.id}-{product.slug}"
    assert client.get(url).status_code == 404


def test_a_suspended_shop_comes_back_when_reinstated(app, client):
    from shops.models import PUBLISHED
    from shops.status import transition_shop

    shop = make_shop(name="Librairie Rouge", status=SUSPENDED, category="librairie")
    assert client.get(f"/shops/{shop.slug}").status_code == 404
    transition_shop(shop, PUBLISHED, None, "Travaux terminés.")
    db.session.commit()
    assert client.get(f"/shops/{shop.slug}").status_code == 200


def test_an_unknown_shop_is_a_404_page_in_the_user_s_language(app, client):
    response = client.get("/shops/nulle-part", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "This page does not exist or is no longer available." in response.get_data(as_text=True)
