"""A resident follows a shop from its page or its card, sees it in "Shops I follow", and stops."""

from __future__ import annotations

import re

from marketplace.accounts.models import SHOPKEEPER
from shops.models import SUSPENDED
from tests.conftest import alerts, english_client, page_text, post_form
from tests.factories import login, make_shop, make_user
from tests.follows.helpers import follow_by_button, follows_of


def listed(client) -> list[str]:
    """The shops named in the list of "Shops I follow"."""
    html = page_text(client.get("/account/follows"))
    return re.findall(r'<li class="follows__item">\s*<a href="[^"]+">([^<]+)</a>', html)


def test_following_from_the_shop_page_turns_the_button_to_following(app, resident):
    shop = make_shop(name="Fromagerie Oberkampf")
    client = english_client(app)
    login(client, resident)
    assert "Follow<span" in page_text(client.get(f"/shops/{shop.slug}"))

    followed = follow_by_button(client, shop)

    assert followed.status_code == 302
    assert followed.headers["Location"] == f"/shops/{shop.slug}"
    assert follows_of(resident) == [shop.id]
    page = client.get(f"/shops/{shop.slug}")
    assert ("success", "You follow Fromagerie Oberkampf: its news will come by email.") in alerts(
        page
    )
    assert "Following<span" in page_text(page)
    assert f'action="/shops/{shop.slug}/unfollow"' in page_text(page)
    # A second press (another tab still showing "Follow") changes nothing.
    again = post_form(client, f"/shops/{shop.slug}/follow", token_from=f"/shops/{shop.slug}")
    assert again.status_code == 302
    assert follows_of(resident) == [shop.id]


def test_a_card_of_the_directory_follows_and_brings_the_visitor_back_to_it(app, client, resident):
    shop = make_shop(name="Épicerie Lune", category="épicerie")
    login(client, resident)

    followed = follow_by_button(client, shop, page="/shops")

    assert followed.headers["Location"] == f"/shops#follow-{shop.id}"
    assert follows_of(resident) == [shop.id]
    assert f'id="follow-{shop.id}"' in page_text(client.get("/shops"))


def test_a_visitor_is_asked_to_log_in_and_nothing_is_recorded(app, client):
    shop = make_shop(name="Fromagerie Oberkampf")

    asked = follow_by_button(client, shop)

    assert asked.status_code == 302
    assert asked.headers["Location"].startswith("/account/login?next=")
    assert follows_of(make_user("someone@example.org")) == []


def test_follow_needs_the_csrf_token(app, client, resident):
    shop = make_shop(name="Fromagerie Oberkampf")
    login(client, resident)

    refused = client.post(f"/shops/{shop.slug}/follow", data={"next": "/"})

    assert refused.status_code == 400
    assert follows_of(resident) == []


def test_an_unpublished_shop_cannot_be_followed(app, client, resident):
    shop = make_shop(name="Cave Fermée", status=SUSPENDED)
    login(client, resident)

    refused = post_form(client, f"/shops/{shop.slug}/follow", token_from="/")

    assert refused.status_code == 404
    assert follows_of(resident) == []


def test_my_account_lists_the_shops_i_follow_and_each_can_be_stopped(app, resident):
    bakery = make_shop(name="Boulangerie du Marché")
    cheese = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    client = english_client(app)
    login(client, resident)
    for shop in (bakery, cheese):
        follow_by_button(client, shop)
    assert 'href="/account/follows"' in page_text(client.get("/account/settings"))

    assert listed(client) == ["Boulangerie du Marché", "Fromagerie Oberkampf"]

    stopped = post_form(
        client,
        f"/shops/{bakery.slug}/unfollow",
        {"next": "/account/follows"},
        token_from="/account/follows",
    )
    assert stopped.headers["Location"] == "/account/follows"
    assert follows_of(resident) == [cheese.id]
    assert listed(client) == ["Fromagerie Oberkampf"]


def test_a_shopkeeper_sees_how_many_follow_the_shop_and_never_who(app, resident):
    owner = make_user("owner@example.org", SHOPKEEPER, "Bob")
    shop = make_shop(owner, name="Fromagerie Oberkampf")
    other = make_user("marc.dupont@example.org", name="Marc Dupont")
    for person in (resident, other):
        client = english_client(app)
        login(client, person)
        follow_by_button(client, shop)
    counter = english_client(app)
    login(counter, owner)

    pages = [page_text(counter.get(p)) for p in ("/merchant/", f"/shops/{shop.slug}")]

    assert "2 residents follow this shop" in pages[0]
    for page in pages:
        for secret in ("Alice", "resident@example.org", "Marc Dupont", "marc.dupont@"):
            assert secret not in page
    assert listed(counter) == []  # "Shops I follow" is the shopkeeper's own list: empty
