"""Public pages carry schema.org data: a shop is a LocalBusiness, a product a Product with its Offer."""

from __future__ import annotations

import json
from datetime import date, time

from marketplace.extensions import db
from marketplace.public.jsonld import shop_jsonld
from shops import services
from shops.hours import Interval
from shops.product_types import get_type
from tests.factories import make_product, make_product_image, make_shop


def test_the_shop_page_carries_local_business_json_ld(app, client):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    services.set_opening_hours(
        shop,
        [
            Interval(1, time(9), time(12, 30)),  # Tuesday, closed for lunch
            Interval(1, time(15), time(19, 30)),
            Interval(5, time(8), time(13)),
        ],
    )
    db.session.commit()
    html = client.get(f"/shops/{shop.slug}").get_data(as_text=True)
    raw = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(raw)
    assert data["@type"] == "LocalBusiness"
    assert data["name"] == "Fromagerie Oberkampf"
    assert data["address"]["postalCode"] == "75011"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 48.865, "longitude": 2.378}
    tuesday = [s for s in data["openingHoursSpecification"] if s["dayOfWeek"].endswith("Tuesday")]
    assert [(s["opens"], s["closes"]) for s in tuesday] == [("09:00", "12:30"), ("15:00", "19:30")]
    assert not any(s["dayOfWeek"].endswith("Monday") for s in data["openingHoursSpecification"])


def json_ld(html: str) -> dict:
    """The page's JSON-LD block, parsed."""
    raw = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    return json.loads(raw)


def product_page(client, product, language: str = "fr") -> str:
    url = f"/shops/{product.shop.slug}/products/{product.id}-{product.slug}"
    response = client.get(url, headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_json_ld_closes_the_shop_on_public_holidays_and_closures(app):
    shop = make_shop(name="Fromagerie Oberkampf")
    services.set_opening_hours(shop, [Interval(d, time(8), time(20)) for d in range(7)])
    services.set_hours_rules(shop, "", closed_on_holidays=True)
    services.add_closure(shop, date(2026, 7, 20), date(2026, 7, 21), "Congés")
    db.session.commit()
    special = shop_jsonld(shop, today=date(2026, 7, 1))["specialOpeningHoursSpecification"]
    closed = [s["validFrom"] for s in special if (s["opens"], s["closes"]) == ("00:00", "00:00")]
    # 14 July and 15 August are French public holidays; the closure lasts two days.
    assert closed == ["2026-07-14", "2026-07-20", "2026-07-21", "2026-08-15"]
    assert all(s["validFrom"] == s["validThrough"] for s in special)


def test_a_product_page_carries_product_and_offer_json_ld(app, client):
    shop = make_shop(name="Épicerie Oberkampf", category="epicerie")
    product = make_product(
        shop,
        "Pâte à tartiner",
        price_cents=1250,
        stock=3,
        sku="3017620422003",
        product_type="pate-a-tartiner",
        description="Noisettes et cacao.",
    )
    make_product_image(product, app.config["UPLOAD_DIR"])
    data = json_ld(product_page(client, product))
    shop_data = json_ld(client.get(f"/shops/{shop.slug}").get_data(as_text=True))
    assert data["@type"] == "Product"
    assert data["name"] == "Pâte à tartiner"
    assert data["gtin13"] == "3017620422003"
    assert data["image"][0].startswith("http://127.0.0.1:5000/media/")
    offer = data["offers"]
    assert (offer["@type"], offer["price"], offer["priceCurrency"]) == ("Offer", "12.50", "EUR")
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["seller"]["url"] == "http://127.0.0.1:5000/shops/" + shop.slug
    assert offer["seller"]["@id"] == shop_data["@id"]
    assert offer["seller"]["name"] == "Épicerie Oberkampf"
    assert data["category"] == get_type("pate-a-tartiner").fr
    english = json_ld(product_page(client, product, "en"))
    assert english["category"] == get_type("pate-a-tartiner").en


def test_a_sold_out_product_is_out_of_stock_and_a_shop_code_is_no_gtin(app, client):
    product = make_product(make_shop(), "Baguette", price_cents=105, stock=0, sku="BAG-01")
    data = json_ld(product_page(client, product))
    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"
    assert data["offers"]["price"] == "1.05"
    assert data["sku"] == "BAG-01" and "gtin13" not in data


def test_a_product_name_cannot_close_the_json_ld_script(app, client):
    name = "</script><script>alert(1)</script>"
    product = make_product(make_shop(), name)
    html = product_page(client, product)
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == name
