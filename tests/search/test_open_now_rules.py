"""Search's "open now" follows the shop's extra rules and its part-day closures, as the pages do."""

from __future__ import annotations

from datetime import time, timedelta

from marketplace.db import utcnow
from marketplace.extensions import db
from shops import services
from shops.hours import END_OF_DAY, Interval
from tests.factories import make_product, make_shop
from tests.search.conftest import found


def test_rules_and_part_day_closures_close_the_shop_in_search(app, client):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    make_product(shop, "Reblochon", 700)
    services.set_opening_hours(shop, [Interval(d, time(0), END_OF_DAY) for d in range(7)])
    db.session.commit()
    assert found(client, "reblochon", open_now="1") == ["Reblochon"]

    services.set_hours_rules(
        shop, "Mo-Su off", closed_on_holidays=True
    )  # closed until further notice
    db.session.commit()
    assert found(client, "reblochon", open_now="1") == []

    services.set_hours_rules(shop, "", closed_on_holidays=False)
    today = utcnow().date()
    # From yesterday 00:30 to tomorrow noon: part-day at both ends, closed now whatever the hour.
    services.add_closure(
        shop, today - timedelta(days=1), today + timedelta(days=1), "Travaux", time(0, 30), time(12)
    )
    db.session.commit()
    assert found(client, "reblochon", open_now="1") == []
    assert found(client, "reblochon") == ["Reblochon"]


def test_open_now_follows_every_new_index_snapshot_within_the_minute(app, client):
    """Each change makes a new snapshot; a freed one's memory may be reused by a later one, whose
    open shops must still be its own (they were once cached under the object's id)."""
    shop = make_shop(name="Fromagerie Bastille", category="fromagerie")
    make_product(shop, "Comté", 900)
    services.set_opening_hours(shop, [Interval(d, time(0), END_OF_DAY) for d in range(7)])
    db.session.commit()
    for turn in range(12):
        closed = turn % 2 == 1
        services.set_hours_rules(shop, "Mo-Su off" if closed else "", closed_on_holidays=False)
        db.session.commit()
        expected = [] if closed else ["Comté"]
        assert found(client, "comté", open_now="1") == expected, f"turn {turn}"
