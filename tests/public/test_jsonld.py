"""The public shop page carries schema.org LocalBusiness data, so search engines show the town's shops."""

from __future__ import annotations

import json
from datetime import time

from marketplace.extensions import db
from shops import services
from shops.hours import Interval
from tests.factories import make_shop


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
