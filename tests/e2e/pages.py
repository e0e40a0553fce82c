"""Every page type of the app, how to reach it in a browser, and axe-core to check it.

PAGE_TYPES maps each GET endpoint that renders a page to (who visits it, its URL built from a
small town); EXCLUDED says why the other GET endpoints are not pages. tests/frontend/
test_axe_coverage.py fails when an endpoint is in neither, so a new page cannot escape the axe run
of tests/e2e/test_accessibility.py.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from marketplace.accounts.models import ADMIN, CURATOR, RESIDENT
from marketplace.accounts.services import make_password_token
from marketplace.extensions import db
from shops import services
from shops.import_models import DONE, CatalogueImport
from tests.factories import image_bytes, make_product_image, make_user

AXE = Path(__file__).parent / "vendor" / "axe.min.js"  # axe-core from npm (make vendor)
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")

ANONYMOUS, SHOPKEEPER = "anonymous", "shopkeeper"

# endpoint -> (who visits it, the url_for() arguments built from the town's data `t`)
NONE = lambda t: {}  # noqa: E731 - a page without arguments
SHOP = lambda t: {"slug": t.shop.slug}  # noqa: E731
PAGE_TYPES = {
    "public.home": (ANONYMOUS, NONE),
    "public.directory": (ANONYMOUS, NONE),
    "map.index": (ANONYMOUS, NONE),
    "public.shop": (ANONYMOUS, SHOP),
    "public.product": (
        ANONYMOUS,
        lambda t: {"slug": t.shop.slug, "product_id": t.product.id, "product_slug": t.product.slug},
    ),
    "search.page": (ANONYMOUS, lambda t: {"q": "tome"}),  # a typo, corrected
    "public.credits": (ANONYMOUS, NONE),
    "public.accessibility": (ANONYMOUS, NONE),
    "accounts.login": (ANONYMOUS, NONE),
    "accounts.register": (ANONYMOUS, NONE),
    "accounts.reset_request": (ANONYMOUS, NONE),
    "accounts.reset_password": (ANONYMOUS, lambda t: {"token": t.reset_token}),
    "accounts.accept_invitation": (ANONYMOUS, lambda t: {"token": t.invite_token}),
    "api.docs": (ANONYMOUS, NONE),
    "cart.show": (RESIDENT, NONE),
    "orders.checkout": (RESIDENT, NONE),
    "payments.checkout_return": (RESIDENT, lambda t: {"checkout_id": t.order.checkout_id}),
    "orders.my_orders": (RESIDENT, NONE),
    "orders.detail": (RESIDENT, lambda t: {"order_id": t.order.id}),
    "accounts.settings": (RESIDENT, NONE),
    "privacy.my_data": (RESIDENT, NONE),
    "merchant.dashboard": (SHOPKEEPER, NONE),
    "merchant.new_shop": (SHOPKEEPER, NONE),
    "merchant.edit_shop": (SHOPKEEPER, SHOP),
    "merchant.hours": (SHOPKEEPER, SHOP),
    "merchant.photo": (SHOPKEEPER, SHOP),
    "catalogue.index": (SHOPKEEPER, SHOP),
    "catalogue.new": (SHOPKEEPER, SHOP),
    "catalogue.edit": (SHOPKEEPER, lambda t: {"slug": t.shop.slug, "product_id": t.product.id}),
    # A finished import: a running one reloads itself (<meta http-equiv="refresh">, like
    # payments.checkout_return while it waits), which axe's meta-refresh rule reports.
    "imports.status": (SHOPKEEPER, lambda t: {"slug": t.shop.slug, "import_id": t.import_id}),
    "board.index": (SHOPKEEPER, SHOP),
    "board.order": (SHOPKEEPER, lambda t: {"slug": t.shop.slug, "order_id": t.order.id}),
    "board.print_list": (SHOPKEEPER, SHOP),
    "connect.settings": (SHOPKEEPER, SHOP),
    "statement.orders": (SHOPKEEPER, SHOP),
    "api_tokens.index": (SHOPKEEPER, SHOP),
    "assisted.index": (SHOPKEEPER, SHOP),
    "curation.queue": (CURATOR, NONE),
    "curation.shops": (CURATOR, NONE),
    "curation.shop": (CURATOR, lambda t: {"shop_id": t.shop.id}),
    "curation.audit": (CURATOR, NONE),
    "curation.dashboard_page": (CURATOR, NONE),
    "curation.collections": (CURATOR, NONE),
    "curation.new_collection": (CURATOR, NONE),
    "curation.edit_collection": (CURATOR, lambda t: {"collection_id": t.collection.id}),
    "collections.show": (ANONYMOUS, lambda t: {"slug": t.collection.slug}),
    "open_data.index": (ANONYMOUS, NONE),
    "admin.jobs": (ADMIN, NONE),
}

# GET endpoints that are not pages people read, and why axe does not run on them.
EXCLUDED = {
    "static": "CSS, JavaScript and vendored files, not pages",
    "media.photo": "an image file",
    "search.suggest": "JSON for the search box's suggestions",
    "catalogue.export_csv": "a CSV download",
    "curation.audit_export": "a CSV download",
    "statement.statement_csv_file": "a CSV download of the shop's monthly statement",
    "statement.statement_pdf_file": "a PDF download of the shop's monthly statement",
    "privacy.export": "the resident's data as a JSON download",
    "curation.dashboard_csv": "a CSV download of a dashboard table",
    "open_data.schema_json": "an open-data file (JSON Schema)",
    "open_data.shops_csv": "an open-data file (CSV)",
    "open_data.shops_geojson": "an open-data file (GeoJSON)",
    "open_data.shops_json": "an open-data file (JSON)",
    "open_data.stats_csv": "an open-data file (CSV)",
    "open_data.stats_json": "an open-data file (JSON)",
    "connect.returned": "only redirects to connect.settings (covered) after reading Stripe",
    "payments.resume_payment": "only redirects: to Stripe's page, or to payments.checkout_return",
    "payments.cancelled_on_stripe": "only redirects: to the cart (covered) or payments.checkout_return",
    "health.healthz": "a probe for the load balancer (JSON)",
    "health.readyz": "a probe for the load balancer (JSON)",
}
JSON_API_PREFIX = "api."  # /api/v1 answers JSON, except its HTML reference (api.docs, covered)


def page_urls(app, town: Town, who: str) -> dict[str, str]:
    """{endpoint: URL} of the page types `who` visits that this app has (curation may be absent)."""
    from flask import url_for

    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    with app.test_request_context():
        return {
            endpoint: url_for(endpoint, **arguments(town))
            for endpoint, (visitor, arguments) in PAGE_TYPES.items()
            if visitor == who and endpoint in endpoints
        }


def is_excluded(endpoint: str) -> bool:
    """Whether a GET endpoint is not a page (see EXCLUDED)."""
    return endpoint in EXCLUDED or (
        endpoint.startswith(JSON_API_PREFIX) and endpoint not in PAGE_TYPES
    )


@dataclass
class Town:
    """The data every page type needs: a shop, a product, an order, people, tokens."""

    shop: object
    product: object
    order: object
    resident: object
    curator: object
    admin: object
    reset_token: str
    invite_token: str
    collection: object
    import_id: int = 0


def build_town(live_town, unique) -> Town:
    """A connected shop with photos, a resident's order paid at pickup, a curator; committed."""
    from tests.payments.town import check_out, fill_cart

    app = live_town.app
    shop, (product, _other) = live_town.connected_shop(
        unique("Fromagerie Axe"),
        {"Tomme de Savoie": (1450, None), "Comté 24 mois": (2390, None)},  # unlimited stock
        category="fromagerie",
    )
    services.set_shop_photo(
        shop,
        io.BytesIO(image_bytes()),
        "La devanture de la fromagerie",
        app.config["UPLOAD_DIR"],
        app.config["MAX_PHOTO_BYTES"],
    )
    db.session.commit()
    make_product_image(product, app.config["UPLOAD_DIR"])
    resident = make_user(unique("axe-resident").replace(" ", "") + "@example.org", RESIDENT)
    curator = make_user(unique("axe-curator").replace(" ", "") + "@example.org", CURATOR)
    admin = make_user(unique("axe-admin").replace(" ", "") + "@example.org", ADMIN)
    invited = make_user(unique("axe-invited").replace(" ", "") + "@example.org", RESIDENT)
    client = live_town.browser(resident)
    fill_cart(client, {product: 1})
    assert check_out(client, "at_pickup").status_code == 303
    db.session.expire_all()
    from marketplace.orders.models import Order

    order = db.session.scalars(
        db.select(Order).where(Order.customer_id == resident.id).order_by(Order.id.desc())
    ).first()
    from marketplace.curation.models import Collection, CollectionItem

    collection = Collection(
        slug=unique("fromages-du-quartier").replace(" ", "-"),
        title="Fromages du quartier",
        body="Les fromagers de l’arrondissement.",
        published=True,
        items=[CollectionItem(position=0, shop_id=shop.id)],
    )
    db.session.add(collection)
    finished = CatalogueImport(
        shop_id=shop.id, filename="catalogue.csv", phase=DONE, rows_total=2, created=2
    )
    db.session.add(finished)
    db.session.flush()
    town = Town(
        shop=shop,
        product=product,
        order=order,
        resident=resident,
        curator=curator,
        admin=admin,
        reset_token=make_password_token(resident, "reset"),
        invite_token=make_password_token(invited, "invite"),
        collection=collection,
        import_id=finished.id,
    )
    db.session.commit()
    return town


RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; return the serious and critical findings.

    axe is evaluated through the DevTools protocol, not added as a <script>: the page's
    Content-Security-Policy rightly refuses inline scripts, and it stays on during the check.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate("(() => {" + AXE.read_text(encoding="utf-8") + "\n})()")
    found = page.evaluate(RUN_AXE, WCAG_AA)
    return [v for v in found if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    """A readable list of axe findings, to say what to fix."""
    return json.dumps(violations, indent=1, ensure_ascii=False)
