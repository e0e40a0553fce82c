"""Followers hear of a shop's news by one email a day per shop, in their own language."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.follows.digest import send_shop_news, tell_followers
from marketplace.follows.models import Follow
from marketplace.follows.news import start_of_day
from shops import services
from shops.csv_products import import_products
from shops.models import PUBLISHED, SUSPENDED
from shops.status import transition_shop
from tests.conftest import drain_jobs, outbox
from tests.factories import make_product, make_shop
from tests.follows.helpers import follower


def today_at(app, hours: float) -> datetime:
    """A moment of the town's current day, `hours` after its midnight (UTC)."""
    return start_of_day(utcnow(), app.config["TIMEZONE"]) + timedelta(hours=hours)


def town_day(app, moment: datetime):
    """The town's date at `moment`."""
    return moment.astimezone(ZoneInfo(app.config["TIMEZONE"])).date()


def added_at(product, moment: datetime):
    """Date a product's creation (the news window is read from it)."""
    product.created_at = moment
    db.session.commit()
    return product


def followed_since(user, moment: datetime) -> None:
    """Date a follow back: the shop's news after `moment` is not told yet."""
    for follow in db.session.query(Follow).filter_by(user_id=user.id):
        follow.created_at = follow.news_since = moment
    db.session.commit()


def test_two_new_products_make_one_email_per_follower_in_their_language(app):
    shop = make_shop(name="Boulangerie du Marché")
    make_product(shop, "Pain de la veille", 90)  # before anyone followed: not news
    alice = follower(shop, "alice@example.org", "en")
    follower(shop, "bruno@example.org", "fr", "Bruno")
    make_product(shop, "Baguette tradition", 130)
    make_product(shop, "Fougasse aux olives", 450)

    assert tell_followers(utcnow()) == 2

    english, french = sorted(outbox(app))
    assert english.startswith(f"To: {alice.email}\nSubject: New at Boulangerie du Marché\n")
    assert "Baguette tradition, €1.30" in english and "Fougasse aux olives, €4.50" in english
    assert "Pain de la veille" not in english
    assert "Subject: Nouveautés chez Boulangerie du Marché\n" in french
    assert "Bonjour Bruno," in french and "Fougasse aux olives, 4,50" in french


def test_the_job_run_twice_sends_once(app, queued_jobs):
    shop = make_shop(name="Boulangerie du Marché")
    follower(shop)
    make_product(shop, "Baguette tradition", 130)

    send_shop_news.delay()
    assert drain_jobs(app) == 2  # the daily job, then the one email it queued
    send_shop_news.delay()
    assert drain_jobs(app) == 1  # nothing new to tell

    assert len(outbox(app)) == 1


def test_news_of_later_in_the_day_waits_for_the_next_days_email(app):
    shop = make_shop(name="Boulangerie du Marché")
    alice = follower(shop)
    followed_since(alice, today_at(app, -24))
    added_at(make_product(shop, "Baguette tradition", 130), today_at(app, 1))
    assert tell_followers(today_at(app, 8)) == 1

    added_at(make_product(shop, "Fougasse aux olives", 450), today_at(app, 9))
    assert tell_followers(today_at(app, 20)) == 0  # one email a day for a shop, at most
    assert tell_followers(today_at(app, 24 + 8)) == 1

    first, second = outbox(app)
    assert "Baguette tradition" in first and "Fougasse" not in first
    assert "Fougasse aux olives" in second and "Baguette" not in second


def test_a_csv_import_is_one_piece_of_news(app):
    shop = make_shop(name="Épicerie Lune", category="épicerie")
    follower(shop)
    rows = "name;price\nMiel de lavande;9,90\nConfiture de figues;6,50\nHuile d'olive;18,90\n"
    assert import_products(shop, rows.encode()).created == 3
    db.session.commit()

    assert tell_followers(utcnow()) == 1

    [mail] = outbox(app)
    for name in ("Miel de lavande", "Confiture de figues", "Huile d'olive"):
        assert name in mail


def test_a_long_list_names_ten_products_and_counts_the_others(app):
    shop = make_shop(name="Épicerie Lune", category="épicerie")
    follower(shop)
    for n in range(12):
        make_product(shop, f"Thé numéro {n + 1}", 500)

    tell_followers(utcnow())

    [mail] = outbox(app)
    assert "Thé numéro 10," in mail and "Thé numéro 11" not in mail
    assert "and 2 more products" in mail


def test_products_the_public_cannot_see_are_not_news(app):
    shop = make_shop(name="Boulangerie du Marché")
    follower(shop)
    make_product(shop, "Galette des rois", 1800, is_active=False)
    hidden = make_product(shop, "Pain douteux", 200)
    hidden.hidden_reason = "Allégation de santé non autorisée."
    db.session.commit()

    assert tell_followers(utcnow()) == 0
    assert outbox(app) == []


def test_the_day_after_a_closure_followers_hear_the_shop_reopened(app):
    shop = make_shop(name="Boulangerie du Marché")
    now = today_at(app, 8)
    day = town_day(app, now)
    services.add_closure(shop, day - timedelta(days=14), day - timedelta(days=1), "Congés")
    db.session.commit()
    alice = follower(shop)
    followed_since(alice, now - timedelta(days=10))  # followed during the closure
    latecomer = follower(shop, "late@example.org")
    followed_since(latecomer, now - timedelta(hours=1))  # followed once it had reopened

    assert tell_followers(now) == 1

    [mail] = outbox(app)
    assert mail.startswith(f"To: {alice.email}\nSubject: Boulangerie du Marché is open again\n")
    assert "Boulangerie du Marché is open again." in mail


def test_a_shop_closed_again_the_next_day_has_not_reopened(app):
    shop = make_shop(name="Boulangerie du Marché")
    now = today_at(app, 8)
    day = town_day(app, now)
    services.add_closure(shop, day - timedelta(days=5), day - timedelta(days=1), "Congés")
    services.add_closure(shop, day, day + timedelta(days=2), "Travaux")
    db.session.commit()
    followed_since(follower(shop), now - timedelta(days=10))

    assert tell_followers(now) == 0


def test_a_shop_reinstated_after_a_suspension_tells_its_reopening_and_its_news(app):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    follower(shop)
    transition_shop(shop, SUSPENDED, None, "Contrôle sanitaire.")
    db.session.commit()
    make_product(shop, "Brie de Meaux", 1290)
    assert tell_followers(utcnow()) == 0  # nothing is told of a shop the public cannot see

    transition_shop(shop, PUBLISHED, None, "Contrôle levé.")
    db.session.commit()
    assert tell_followers(utcnow()) == 1

    [mail] = outbox(app)
    assert "Subject: Fromagerie Oberkampf is open again, with new products\n" in mail
    assert "Brie de Meaux" in mail


def test_the_daily_job_runs_at_eight_in_the_town(app):
    from marketplace.jobs.queue import queue_of

    huey = queue_of(app).huey
    due = lambda moment: {t.name for t in huey.read_periodic(moment)}  # noqa: E731
    assert "send_shop_news" in due(datetime(2026, 1, 15, 7, 0))  # 08:00 in Paris, winter
    assert "send_shop_news" in due(datetime(2026, 7, 15, 6, 0))  # 08:00 in Paris, summer
    assert "send_shop_news" not in due(datetime(2026, 1, 15, 8, 0))
