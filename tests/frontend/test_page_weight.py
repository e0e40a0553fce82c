"""Every page type weighs under 200 KB before images, as sent: its HTML plus the CSS and JavaScript
it loads, these gzip-compressed as nginx sends them (deploy/nginx-vitrine.conf). The HTML counts
uncompressed: pages carry the CSRF token beside what the visitor typed, so they are not compressed
(BREACH)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from marketplace.accounts.models import CURATOR
from marketplace.public.map_views import SHOPS_PER_PAGE
from tests.conftest import csrf_token
from tests.factories import PASSWORD, login, make_shop, make_user
from tests.frontend.town import build_town, product_path

BUDGET = 200 * 1024
NGINX = Path(__file__).resolve().parents[2] / "deploy" / "nginx-vitrine.conf"
CURATOR_PAGES = {
    "curation.queue": "/curation/",
    "curation.dashboard_page": "/curation/dashboard",
    "curation.shops": "/curation/shops",
    "curation.audit": "/curation/audit",
    "curation.collections": "/curation/collections",
}
ASSET = re.compile(
    r"<(?:script[^>]*\ssrc|link[^>]*rel=\"stylesheet\"[^>]*\shref)=\"([^\"]+)\"", re.I
)


def weigh(client, path: str) -> tuple[int, dict[str, int]]:
    """Return the bytes sent for the page at `path` and for each CSS/JS file it loads (gzipped)."""
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.get_data()
    sizes = {"html": len(html)}
    for url in dict.fromkeys(ASSET.findall(html.decode())):
        asset = client.get(url)
        assert asset.status_code == 200, url
        sizes[url] = len(gzip.compress(asset.get_data(), compresslevel=6))
    return sum(sizes.values()), sizes


def test_every_page_type_is_under_200_kb_before_images(app, client):
    town = build_town(app)
    for n in range(SHOPS_PER_PAGE):  # a full page of the map's list, with long names
        make_shop(name=f"Boulangerie-pâtisserie artisanale de la rue {n}", lat=48.86 + n / 1000)
    shop, order = town["shop"], town["order"]
    public = [
        "/",
        "/shops",
        "/map",
        f"/shops/{shop.slug}",
        product_path(town["product"]),
        "/search?q=brie",
        "/account/login",
        "/account/register",
        "/accessibility",
        "/credits",
    ]
    client.post(
        "/cart/add",
        data={"csrf_token": csrf_token(client, "/cart/"), "product_id": town["product"].id},
    )
    login(client, town["customer"], PASSWORD)
    resident = ["/cart/", "/checkout", "/orders", f"/orders/{order.id}", "/account/settings"]
    weights = {path: weigh(client, path) for path in public + resident}

    keeper = client.application.test_client()
    login(keeper, shop.owner, PASSWORD)
    base = f"/merchant/shops/{shop.slug}"
    for path in (
        "/merchant/",
        base,
        f"{base}/hours",
        f"{base}/photo",
        f"{base}/products/",
        f"{base}/products/new",
        f"{base}/orders/",
        f"{base}/orders/{order.id}",
    ):
        weights[path] = weigh(keeper, path)

    curator = client.application.test_client()
    login(curator, make_user("curator@example.org", CURATOR, "Chloé"), PASSWORD)
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    for endpoint, path in CURATOR_PAGES.items():
        if endpoint in endpoints:  # the curator's pages, where this app has them
            weights[path] = weigh(curator, path)

    report = "\n".join(f"{total:>8} B  {path}" for path, (total, _sizes) in weights.items())
    print(f"\nPage weights (HTML + CSS + JS, before images):\n{report}")
    heavy = {path: sizes for path, (total, sizes) in weights.items() if total > BUDGET}
    assert not heavy, f"pages over {BUDGET} bytes: {heavy}"
    # The map page is the heaviest (Leaflet): it must still load its vendored copy, not a CDN's.
    assert "/static/vendor/leaflet/leaflet.js" in weights["/map"][1]


def test_nginx_sends_css_and_javascript_compressed_as_the_budget_counts_them():
    config = NGINX.read_text(encoding="utf-8")
    static = config[config.index("location /static/") :]
    static = static[: static.index("}")]
    assert "gzip on;" in static
    assert "text/css" in static and "application/javascript" in static


@pytest.mark.parametrize("path", ["/map", "/shops"])
def test_the_page_weight_counts_what_the_page_loads(client, path):
    total, sizes = weigh(client, path)
    assert "/static/css/app.css" in sizes
    assert "/static/js/suggest.js" in sizes
    assert total == sum(sizes.values()) > sizes["html"]
