"""What a shop publishes of its hours (open data files, API, JSON-LD) carries its public holidays
and its closures to come, as the shop's page and "open now" follow them."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from marketplace.db import utcnow
from marketplace.extensions import db
from shops.models import Closure
from tests.factories import make_shop


def _closed_shop():
    shop = make_shop(name="Fromagerie Lappe")
    shop.closed_on_holidays = True  # the hours page's box "closed on public holidays"
    start = utcnow().astimezone(ZoneInfo("Europe/Paris")).date() + timedelta(days=10)
    db.session.add_all(
        [
            Closure(shop=shop, starts_on=start, ends_on=start + timedelta(days=6), reason="Congés"),
            Closure(
                shop=shop,
                starts_on=start - timedelta(days=3),
                ends_on=start - timedelta(days=3),
                starts_time=time(14),
            ),
            Closure(shop=shop, starts_on=date(2020, 1, 1), ends_on=date(2020, 1, 2)),  # over
        ]
    )
    db.session.commit()
    return shop, start


def _osm_day(day: date) -> str:
    return f"{day.year} {day.strftime('%b')} {day.day:02d}"


def test_holidays_and_closures_are_in_every_published_opening_hours(app, client):
    shop, start = _closed_shop()
    afternoon = start - timedelta(days=3)
    expected = [
        "PH off",
        f"{_osm_day(afternoon)} 14:00-24:00 off",
        f'{_osm_day(start)}-{_osm_day(start + timedelta(days=6))} off "Congés"',
    ]

    published = {
        "json": client.get("/open-data/shops.json").get_json()["shops"][0]["opening_hours"],
        "csv": next(csv.DictReader(io.StringIO(client.get("/open-data/shops.csv").text)))[
            "opening_hours"
        ],
        "geojson": client.get("/open-data/shops.geojson").get_json()["features"][0]["properties"][
            "opening_hours"
        ],
        "api": client.get(f"/api/v1/shops/{shop.slug}").get_json()["opening_hours"],
    }
    for where, text in published.items():
        for rule in expected:
            assert rule in text, (where, rule, text)
        assert "2020" not in text, where  # a closure over is left out

    page = client.get(f"/shops/{shop.slug}").get_data(as_text=True)
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    store = next(d for d in map(json.loads, blocks) if "openingHoursSpecification" in d)
    closed_day = next(
        start + timedelta(days=n) for n in range(7) if (start + timedelta(days=n)).weekday() < 6
    )
    assert {
        "validFrom": closed_day.isoformat(),
        "validThrough": closed_day.isoformat(),
        "opens": "00:00",
        "closes": "00:00",
    }.items() <= next(
        s
        for s in store["specialOpeningHoursSpecification"]
        if s["validFrom"] == closed_day.isoformat()
    ).items()
