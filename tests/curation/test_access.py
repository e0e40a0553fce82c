"""Every curator URL is for the city office (others get a 403), and none shows a resident's name."""

from __future__ import annotations

import pytest

from marketplace.accounts.models import RESIDENT, SHOPKEEPER
from tests.conftest import csrf_token
from tests.curation.helpers import add_order, paris
from tests.factories import login, make_shop, make_user

# Every rule under /curation, with ids filled in; a new URL must be added here (checked below).
CURATOR_URLS = [
    ("GET", "/curation/"),
    ("POST", "/curation/queue/bulk"),
    ("GET", "/curation/shops"),
    ("GET", "/curation/shops/1"),
    ("POST", "/curation/shops/1/decide"),
    ("POST", "/curation/shops/1/feature"),
    ("POST", "/curation/shops/1/agent"),
    ("POST", "/curation/agent/stop"),
    ("POST", "/curation/products/1/hide"),
    ("POST", "/curation/products/1/unhide"),
    ("GET", "/curation/audit"),
    ("GET", "/curation/audit.csv"),
    ("GET", "/curation/dashboard"),
    ("GET", "/curation/dashboard/orders-by-week.csv"),
    ("GET", "/curation/collections"),
    ("GET", "/curation/collections/new"),
    ("POST", "/curation/collections/new"),
    ("GET", "/curation/collections/1"),
    ("POST", "/curation/collections/1"),
    ("POST", "/curation/collections/1/items"),
    ("POST", "/curation/collections/1/items/1/up"),
    ("POST", "/curation/collections/1/items/1/down"),
    ("POST", "/curation/collections/1/items/1/remove"),
    ("GET", "/curation/campaigns"),
    ("GET", "/curation/campaigns/new"),
    ("POST", "/curation/campaigns/new"),
    ("GET", "/curation/campaigns/1"),
    ("GET", "/curation/campaigns/1/edit"),
    ("POST", "/curation/campaigns/1/edit"),
    *[
        (m, f"/curation/campaigns/1/{v}")
        for v in ("start", "pause", "resume", "close")
        for m in ("GET", "POST")
    ],
    ("POST", "/curation/campaigns/1/vouchers"),
    ("GET", "/curation/campaigns/1/batches/1.pdf"),
]


def test_every_curator_url_is_in_the_list(app):
    listed = {(method, path) for method, path in CURATOR_URLS}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/curation"):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            values = dict.fromkeys(rule.arguments, 1)
            if "verb" in values:
                values["verb"] = "hide" if "products" in rule.rule else "up"
            if "key" in values:
                values["key"] = "orders-by-week"
            path = rule.build(values)[1]
            assert (method, path) in listed, f"{method} {rule.rule} is not in CURATOR_URLS"


@pytest.mark.parametrize(("method", "path"), CURATOR_URLS)
def test_shopkeepers_and_residents_get_403(app, method, path):
    for role in (SHOPKEEPER, RESIDENT):
        client = app.test_client()
        login(client, make_user(f"{role}@example.org", role, "Someone"))
        if method == "GET":
            response = client.get(path)
        else:
            token = csrf_token(client, "/account/settings")
            response = client.post(path, data={"csrf_token": token})
        assert response.status_code == 403, role


@pytest.mark.parametrize(("method", "path"), CURATOR_URLS[:3])
def test_visitors_are_sent_to_the_login_page(app, client, method, path):
    response = client.open(path, method=method)
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert "/account/login" in response.headers["Location"]


def test_the_curator_opens_every_page(app, office):
    for method, path in CURATOR_URLS:
        if method == "GET" and "/1" not in path:
            assert office.get(path).status_code == 200, path


def test_the_assisted_changes_page_is_only_for_the_owner(app, client, shopkeeper):
    from tests.factories import make_shop

    shop = make_shop()
    login(client, shopkeeper)
    assert client.get(f"/merchant/shops/{shop.slug}/assisted/").status_code == 404
    other = app.test_client()
    login(other, shop.owner)
    assert other.get(f"/merchant/shops/{shop.slug}/assisted/").status_code == 200


@pytest.mark.parametrize(
    "status", ["draft", "pending_review", "published", "rejected", "suspended"]
)
def test_the_shop_file_offers_the_decisions_of_its_status(app, office, status):
    from tests.factories import make_product, make_shop

    shop = make_shop(status=status)
    make_product(shop, "Pain de campagne", 420)
    page = office.get(f"/curation/shops/{shop.id}")
    assert page.status_code == 200
    buttons = {
        "pending_review": ['value="approve"', 'value="reject"'],
        "published": ['value="suspend"'],
        "suspended": ['value="reinstate"'],
    }.get(status, [])
    html = page.get_data(as_text=True)
    for button in buttons:
        assert button in html
    assert "Pain de campagne" in html
    assert office.get("/curation/shops", query_string={"status": status}).status_code == 200


def test_the_curator_never_sees_residents_names_or_emails(app, office, resident):
    shop = make_shop(name="Fromagerie Oberkampf")
    add_order(shop, resident, paris(2026, 10, 2), "collected", 1250)
    for path in (
        "/curation/",
        "/curation/shops",
        f"/curation/shops/{shop.id}",
        "/curation/audit",
        "/curation/audit.csv",
        "/curation/dashboard?start=2026-10-01&end=2026-10-31",
    ):
        text = office.get(path).get_data(as_text=True)
        assert "resident@example.org" not in text and "Alice" not in text, path
