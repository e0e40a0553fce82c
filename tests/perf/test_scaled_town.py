"""The scaled benchmark town: several postcodes, a shop cap, an exact product count."""

from marketplace.demo.town import build_town


def test_the_benchmark_town_has_the_shops_and_products_asked_for_the_same_each_time(app):
    town = build_town("75011,75015,75012", 42, 100_000, 500)
    assert len(town) == 500
    assert sum(shop.size for shop in town) == 100_000
    postcodes = [shop.row["postcode"] for shop in town[:-1]]
    # 75011 first (all of it), then 75015, then 75012 until the cap.
    assert postcodes[0] == "75011" and postcodes.count("75011") == 238
    assert set(postcodes) == {"75011", "75015", "75012"}
    assert len({shop.slug for shop in town}) == 500
    again = build_town("75011,75015,75012", 42, 100_000, 500)
    assert [(s.slug, s.size) for s in again] == [(s.slug, s.size) for s in town]


def test_one_postcode_without_a_cap_is_the_demo_town_as_before(app):
    town = build_town("75011", 42, None)
    assert {shop.row["postcode"] for shop in town} == {"75011"}
    assert len(town) == 239  # the 238 shops of 75011 and the demo shopkeeper's draft
