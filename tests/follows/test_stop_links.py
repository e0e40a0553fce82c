"""Each news email carries a stop link: one click (or the mail client's button) stops it."""

from __future__ import annotations

import pytest

from marketplace.accounts.services import make_password_token
from marketplace.db import utcnow
from marketplace.follows.digest import tell_followers
from marketplace.follows.tokens import make_stop_token
from tests.conftest import english_client, outbox, page_text
from tests.factories import make_product, make_shop
from tests.follows.helpers import follower, follows_of, raw_mails, stop_paths


@pytest.fixture
def news(app):
    """Alice follows two shops; the bakery has a new product, and its email is sent."""
    bakery = make_shop(name="Boulangerie du Marché")
    cheese = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    alice = follower(bakery)
    from marketplace.follows.services import follow_shop

    follow_shop(alice, cheese)
    make_product(bakery, "Baguette tradition", 130)
    assert tell_followers(utcnow()) == 1
    [mail] = outbox(app)
    return alice, bakery, cheese, mail


def test_the_email_offers_one_click_unsubscribe_to_mail_clients(app, news):
    alice, bakery, _, mail = news
    [message] = raw_mails(app)
    this_shop, _ = stop_paths(mail)

    # A long header is folded before the "<" (RFC 2369 lets clients unfold it).
    unfolded = "".join(message["List-Unsubscribe"].split())
    assert unfolded == f"<{app.config['BASE_URL'].rstrip('/')}{this_shop}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # RFC 8058: the mail client POSTs, with no cookie and no CSRF token.
    stopped = app.test_client().post(this_shop, data={"List-Unsubscribe": "One-Click"})

    assert stopped.status_code == 200
    assert bakery.id not in follows_of(alice) and len(follows_of(alice)) == 1


def test_opening_the_link_asks_first_then_the_button_stops_that_shop_only(app, news):
    alice, bakery, cheese, mail = news
    this_shop, _ = stop_paths(mail)
    browser = english_client(app)

    asked = browser.get(this_shop)
    assert asked.status_code == 200
    assert "Stop the news from Boulangerie du Marché" in page_text(asked)
    assert follows_of(alice) == sorted([bakery.id, cheese.id])  # a link scanner stops nothing

    done = browser.post(this_shop)
    assert "You no longer follow Boulangerie du Marché" in page_text(done)
    assert follows_of(alice) == [cheese.id]
    assert "You no longer follow Boulangerie du Marché" in page_text(browser.get(this_shop))


def test_the_other_link_stops_every_shops_news(app, news):
    alice, _, _, mail = news
    _, every_shop = stop_paths(mail)

    done = english_client(app).post(every_shop)

    assert "You no longer follow any shop" in page_text(done)
    assert follows_of(alice) == []


def test_a_tampered_or_foreign_token_is_refused_and_changes_nothing(app, news):
    alice, bakery, cheese, mail = news
    this_shop, _ = stop_paths(mail)
    token = this_shop.rsplit("/", 1)[1]
    payload, signature = token.split(".")
    forged = {
        "changed signature": f"{payload}.{signature[:-2]}xx",
        "another person's id, old signature": f"{make_stop_token(alice.id + 1, bakery.id).split('.')[0]}.{signature}",
        "cut short": token[:-5],
        "a password-reset token": make_password_token(alice),
        "a shop that does not exist": make_stop_token(alice.id, 999_999),
    }
    browser = english_client(app)
    for what, bad in forged.items():
        for method in (browser.get, browser.post):
            refused = method(f"/news/stop/{bad}")
            assert refused.status_code == 400, what
            assert "This link is not valid" in page_text(refused), what
    assert follows_of(alice) == sorted([bakery.id, cheese.id])
