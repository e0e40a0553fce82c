"""The public pages render and only show what is published."""

from tests.factories import make_product, make_shop


def test_home_lists_published_shops_only(app, client):
    make_shop(name="Fromagerie Oberkampf")
    make_shop(name="Boutique Brouillon", published=False)
    html = client.get("/").get_data(as_text=True)
    assert "Fromagerie Oberkampf" in html
    assert "Boutique Brouillon" not in html


def test_shop_and_product_pages(app, client):
    shop = make_shop()
    product = make_product(shop, "Baguette tradition", 130)
    html = client.get(f"/shops/{shop.slug}").get_data(as_text=True)
    assert "Baguette tradition" in html and "1,30" in html
    page = client.get(f"/shops/{shop.slug}/products/{product.id}-{product.slug}")
    assert page.status_code == 200
