"""Every page type of the app and how to reach it in a browser, for axe-core (tests/e2e/axe.py).

PAGE_TYPES maps each GET endpoint that renders a page to (who visits it, its URL built from a
small town); STATES adds the states of a page its endpoint alone does not show (a search with no
result, the error pages); EXCLUDED says why the other GET endpoints are not pages. tests/frontend/
test_axe_coverage.py fails when an endpoint is in neither, so a new page cannot escape the axe run
of tests/e2e/test_accessibility.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.accounts.models import ADMIN, CURATOR, RESIDENT
from marketplace.accounts.services import (
    make_email_change_token,
    make_password_token,
    register_user,
)
from marketplace.extensions import db
from marketplace.follows.services import follow_shop
from marketplace.follows.tokens import make_stop_token
from shops.import_models import CHECKING, DONE, CatalogueImport
from tests.factories import make_product_image, make_shop, make_shop_photo, make_user

ANONYMOUS, SHOPKEEPER = "anonymous", "shopkeeper"
GUEST = "guest"  # no account: opened the link of a guest order's email, has a cart

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
    "privacy_notice.notice": (ANONYMOUS, NONE),
    "accounts.login": (ANONYMOUS, NONE),
    "accounts.register": (ANONYMOUS, NONE),
    "accounts.reset_request": (ANONYMOUS, NONE),
    "accounts.reset_password": (ANONYMOUS, lambda t: {"token": t.reset_token}),
    "accounts.accept_invitation": (ANONYMOUS, lambda t: {"token": t.invite_token}),
    "accounts.confirm_email": (ANONYMOUS, lambda t: {"token": t.confirm_token}),
    "accounts.change_email": (ANONYMOUS, lambda t: {"token": t.email_change_token}),
    "api.docs": (ANONYMOUS, NONE),
    "cart.show": (RESIDENT, NONE),
    "orders.checkout": (RESIDENT, NONE),
    "payments.checkout_return": (RESIDENT, lambda t: {"checkout_id": t.order.checkout_id}),
    "orders.my_orders": (RESIDENT, NONE),
    "guest.checkout": (GUEST, NONE),
    "guest.placed": (GUEST, lambda t: {"checkout_id": t.guest_order.checkout_id}),
    "guest_privacy.my_data": (GUEST, NONE),
    "orders.detail": (RESIDENT, lambda t: {"order_id": t.order.id}),
    "accounts.settings": (RESIDENT, NONE),
    "privacy.my_data": (RESIDENT, NONE),
    "follows.following": (RESIDENT, NONE),
    "follows.stop": (ANONYMOUS, lambda t: {"token": t.stop_token}),  # an email's stop link
    "merchant.dashboard": (SHOPKEEPER, NONE),
    "merchant.new_shop": (SHOPKEEPER, NONE),
    "merchant.edit_shop": (SHOPKEEPER, SHOP),
    "merchant.hours": (SHOPKEEPER, SHOP),
    "merchant.photo": (SHOPKEEPER, SHOP),
    "catalogue.index": (SHOPKEEPER, SHOP),
    "catalogue.new": (SHOPKEEPER, SHOP),
    "catalogue.edit": (SHOPKEEPER, lambda t: {"slug": t.shop.slug, "product_id": t.product.id}),
    # A finished import (a running one: STATES).
    "imports.status": (SHOPKEEPER, lambda t: {"slug": t.shop.slug, "import_id": t.import_id}),
    "board.index": (SHOPKEEPER, SHOP),
    "board.order": (SHOPKEEPER, lambda t: {"slug": t.shop.slug, "order_id": t.order.id}),
    "board.print_list": (SHOPKEEPER, SHOP),
    "tickets.order": (SHOPKEEPER, lambda t: {"slug": t.shop.slug, "order_id": t.order.id}),
    "connect.settings": (SHOPKEEPER, SHOP),
    "statement.orders": (SHOPKEEPER, SHOP),
    "sales.page": (SHOPKEEPER, SHOP),
    "api_tokens.index": (SHOPKEEPER, SHOP),
    "webhooks.index": (SHOPKEEPER, SHOP),
    "webhooks.endpoint": (
        SHOPKEEPER,
        lambda t: {"slug": t.shop.slug, "endpoint_id": t.webhook_endpoint_id},
    ),
    "webhooks.edit": (
        SHOPKEEPER,
        lambda t: {"slug": t.shop.slug, "endpoint_id": t.webhook_endpoint_id},
    ),
    "assisted.index": (SHOPKEEPER, SHOP),
    "curation.queue": (CURATOR, NONE),
    "curation.shops": (CURATOR, NONE),
    "curation.shop": (CURATOR, lambda t: {"shop_id": t.shop.id}),
    "curation.audit": (CURATOR, NONE),
    "curation.dashboard_page": (CURATOR, NONE),
    "curation.collections": (CURATOR, NONE),
    "curation.new_collection": (CURATOR, NONE),
    "curation.edit_collection": (CURATOR, lambda t: {"collection_id": t.collection.id}),
    "curation.campaigns": (CURATOR, NONE),
    "curation.new_campaign": (CURATOR, NONE),
    "curation.campaign": (CURATOR, lambda t: {"campaign_id": t.campaign_id}),
    "campaign_office.statements": (CURATOR, lambda t: {"campaign_id": t.campaign_id}),
    "campaign_office.effect": (CURATOR, lambda t: {"campaign_id": t.campaign_id}),
    "campaign_office.review": (CURATOR, lambda t: {"campaign_id": t.campaign_id}),
    "campaign_statements.shop_statements": (SHOPKEEPER, SHOP),
    "curation.edit_campaign": (CURATOR, lambda t: {"campaign_id": t.campaign_id}),
    "curation.change_campaign": (
        CURATOR,
        lambda t: {"campaign_id": t.campaign_id, "verb": "close"},
    ),
    "curation.onboarding_upload": (CURATOR, NONE),
    "curation.onboarding_preview": (CURATOR, lambda t: {"import_id": t.shop_import_id}),
    "collections.show": (ANONYMOUS, lambda t: {"slug": t.collection.slug}),
    "open_data.index": (ANONYMOUS, NONE),
    "admin.jobs": (ADMIN, NONE),
}

# name -> (who visits it, endpoint, url_for() arguments, the HTTP status of the page)
STATES = {
    "search.page, no result": (ANONYMOUS, "search.page", lambda t: {"q": "xylophonez"}, 200),
    "search.page, empty": (ANONYMOUS, "search.page", NONE, 200),
    "cart.show, empty": (ANONYMOUS, "cart.show", NONE, 200),
    "error 404": (ANONYMOUS, "public.shop", lambda t: {"slug": "no-such-shop"}, 404),
    "error 403": (RESIDENT, "curation.queue", NONE, 403),
    "orders.detail, waiting for payment": (
        RESIDENT,
        "orders.detail",
        lambda t: {"order_id": t.waiting_order.id},
        200,
    ),
    "payments.checkout_return, waiting": (
        RESIDENT,
        "payments.checkout_return",
        lambda t: {"checkout_id": t.waiting_order.checkout_id},
        200,
    ),
    # It asks again for its state with JavaScript: no timed reload for axe's meta-refresh rule.
    "imports.status, running": (
        SHOPKEEPER,
        "imports.status",
        lambda t: {"slug": t.running_import_shop, "import_id": t.running_import_id},
        200,
    ),
    "curation.onboarding_preview, imported": (
        CURATOR,
        "curation.onboarding_preview",
        lambda t: {"import_id": t.imported_shops_id},
        200,
    ),
}

# GET endpoints that are not pages people read, and why axe does not run on them.
EXCLUDED = {
    "static": "CSS, JavaScript and vendored files, not pages",
    "i18n.switch_language": "a link that sets the language and redirects back to the page",
    "media.photo": "an image file",
    "search.suggest": "JSON for the search box's suggestions",
    "curation.collection_candidates": "JSON for the collection page's search box suggestions",
    "curation.held_collection_photo": "an image file (a collection picture kept for the curator)",
    "map.data": "GeoJSON for the map's markers (the page is map.index)",
    "counter.find": "a lookup: redirects to the order page, or re-shows the board (board.index)",
    "counter.feed": "JSON for the board's live feed of new orders",
    "tickets.order_pdf": "a PDF download",
    "tickets.slot_pdf": "a PDF download",
    "tickets.slot": "the template of tickets.order, with several orders",
    "catalogue.export_csv": "a CSV download",
    "curation.audit_export": "a CSV download",
    "curation.batch_sheet": "a PDF download (a batch of vouchers to print)",
    "statement.statement_csv_file": "a CSV download of the shop's monthly statement",
    "statement.statement_pdf_file": "a PDF download of the shop's monthly statement",
    "privacy.export": "the resident's data as a JSON download",
    "guest_privacy.export": "a guest's data as a JSON download",
    "guest.open_link": "only redirects: to orders.detail (covered), or an error page",
    "curation.dashboard_csv": "a CSV download of a dashboard table",
    "campaign_office.effect_csv": "a CSV download of a table of a campaign's measured effect",
    "campaign_office.review_csv": "a CSV download of a campaign's review list",
    "campaign_office.office_csv": "a CSV download of a campaign statement",
    "campaign_office.office_pdf": "a PDF download of a campaign statement",
    "campaign_statements.shop_csv": "a CSV download of the shop's campaign statement",
    "campaign_statements.shop_pdf": "a PDF download of the shop's campaign statement",
    "campaign_open_data.results_file": "an open-data file (CSV)",
    "sales.table_file": "a CSV download of a table of the shop's Sales page",
    "open_data.schema_json": "only redirects to open_data.table_schema (the shops' schema)",
    "open_data.table_schema": "an open-data file (Table Schema, JSON)",
    "open_data.datapackage": "an open-data file (Data Package, JSON)",
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


def page_urls(app, town: Town, who: str) -> dict[str, tuple[str, int]]:
    """{page: (URL, HTTP status)} of the page types and states `who` visits that this app has."""
    from flask import url_for

    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    with app.test_request_context():
        pages = {
            endpoint: (url_for(endpoint, **arguments(town)), 200)
            for endpoint, (visitor, arguments) in PAGE_TYPES.items()
            if visitor == who and endpoint in endpoints
        }
        pages |= {
            name: (url_for(endpoint, **arguments(town)), status)
            for name, (visitor, endpoint, arguments, status) in STATES.items()
            if visitor == who and endpoint in endpoints
        }
    return pages


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
    waiting_order: object
    resident: object
    curator: object
    admin: object
    reset_token: str
    invite_token: str
    confirm_token: str
    email_change_token: str
    collection: object
    guest_order: object
    guest_link: str  # the signed link of the guest order's emails
    stop_token: str
    import_id: int = 0
    running_import_id: int = 0
    running_import_shop: str = ""  # its shop's slug
    webhook_endpoint_id: int = 0
    campaign_id: int = 0  # a voucher campaign the shop joined, with a printed batch
    shop_import_id: int = 0  # the town's shops CSV, previewed with a line's problem
    imported_shops_id: int = 0  # one imported


def build_town(live_town, unique) -> Town:
    """A connected shop with photos, a resident's orders (to pay at pickup; online, not paid yet),
    a curator; committed."""
    from tests.payments.town import check_out, fill_cart

    app = live_town.app
    shop, (product, _other) = live_town.connected_shop(
        unique("Fromagerie Axe"),
        {"Tomme de Savoie": (1450, None), "Comté 24 mois": (2390, None)},  # unlimited stock
        category="fromagerie",
    )
    make_shop_photo(shop, app.config["UPLOAD_DIR"], "La devanture de la fromagerie")
    make_product_image(product, app.config["UPLOAD_DIR"])
    resident = make_user(unique("axe-resident").replace(" ", "") + "@example.org", RESIDENT)
    curator = make_user(unique("axe-curator").replace(" ", "") + "@example.org", CURATOR)
    admin = make_user(unique("axe-admin").replace(" ", "") + "@example.org", ADMIN)
    invited = make_user(unique("axe-invited").replace(" ", "") + "@example.org", RESIDENT)
    signed_up = register_user(
        unique("axe-signed-up").replace(" ", "") + "@example.org", "a long password", "Zoé"
    )
    db.session.commit()  # the live server writes next: SQLite allows one writer at a time
    client = live_town.browser(resident)
    fill_cart(client, {product: 1})
    assert check_out(client, "at_pickup").status_code == 303
    fill_cart(client, {product: 2})
    assert check_out(client, "online").status_code == 303  # to Stripe's page, never paid
    db.session.expire_all()
    from marketplace.orders.models import Order

    waiting, order = db.session.scalars(
        db.select(Order).where(Order.customer_id == resident.id).order_by(Order.id.desc())
    ).all()[:2]
    from marketplace.curation.models import Collection, CollectionItem
    from marketplace.orders.guest_links import make_order_token
    from tests.orders.guest_helpers import guest_checkout_form

    visitor = live_town.browser()
    fill_cart(visitor, {product: 1})
    guest_form = guest_checkout_form(
        visitor, email=unique("axe-guest").replace(" ", "") + "@ex.org"
    )
    assert visitor.post("/checkout/guest", data=guest_form).status_code == 303
    db.session.expire_all()
    guest_order = db.session.scalars(
        db.select(Order).where(Order.customer_id.is_(None)).order_by(Order.id.desc())
    ).first()

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
    # In a second shop of the same shopkeeper: a running import blocks others in its shop.
    second = make_shop(shop.owner, name=unique("Épicerie Oberkampf"))
    running = CatalogueImport(
        shop_id=second.id, filename="grand.csv", phase=CHECKING, rows_total=2000, rows_done=1000
    )
    db.session.add_all([finished, running])
    previewed, imported = shop_imports(curator, unique)
    endpoint = webhook_endpoint_with_a_delivery(shop)
    campaign = campaign_with_a_batch(shop, curator, unique)
    db.session.flush()
    town = Town(
        shop=shop,
        product=product,
        order=order,
        waiting_order=waiting,
        resident=resident,
        curator=curator,
        admin=admin,
        reset_token=make_password_token(resident, "reset"),
        invite_token=make_password_token(invited, "invite"),
        confirm_token=make_password_token(signed_up, "confirm"),
        email_change_token=make_email_change_token(resident, "axe-moved@example.org"),
        collection=collection,
        guest_order=guest_order,
        guest_link=f"/orders/{guest_order.id}/link/{make_order_token(guest_order)}",
        stop_token=make_stop_token(resident.id, shop.id),
        import_id=finished.id,
        running_import_id=running.id,
        running_import_shop=second.slug,
        webhook_endpoint_id=endpoint.id,
        campaign_id=campaign.id,
        shop_import_id=previewed.id,
        imported_shops_id=imported.id,
    )
    follow_shop(resident, shop)  # "Shops I follow" lists it; the stop link asks about it
    db.session.commit()
    return town


def shop_imports(curator, unique):
    """A shops CSV waiting for its import (one good line, one with a problem), and one imported."""
    from marketplace.curation.models import IMPORTED, ShopImport

    slug = unique("fournil-axe").replace(" ", "-")
    data = (
        "slug;nom;catégorie;adresse;code postal;ville;email propriétaire\n"
        f"{slug};Fournil Axe;boulangerie;1 rue Axe;75011;Paris;{slug}@example.org\n"
        f"{slug}-2;Cave Axe;caviste;2 rue Axe;750;Paris;{slug}@example.org\n"
    ).encode()
    previewed = ShopImport(started_by=curator, filename="commerces.csv", data=data, lines=2)
    imported = ShopImport(
        started_by=curator,
        imported_by=curator,
        filename="commerces.csv",
        status=IMPORTED,
        lines=2,
        created=1,
        skipped=1,
        invited=1,
        imported_at=curator.created_at,
    )
    db.session.add_all([previewed, imported])
    return previewed, imported


def webhook_endpoint_with_a_delivery(shop):
    """An endpoint of the shop's till whose log shows one failed attempt waiting for its retry."""
    from datetime import timedelta

    from marketplace.db import utcnow
    from marketplace.webhooks.models import EVENTS, WebhookDelivery, WebhookEndpoint

    endpoint = WebhookEndpoint(
        shop=shop, url="https://till.example.org/hooks", events=" ".join(EVENTS), secret="whsec_x"
    )
    delivery = WebhookDelivery(
        endpoint=endpoint,
        event_id="evt_axe",
        event_type="order.paid",
        payload="{}",
        attempts=1,
        last_attempt_at=utcnow(),
        next_attempt_at=utcnow() + timedelta(minutes=1),
        response_status=503,
        duration_ms=120,
        response_excerpt="Service unavailable",
    )
    db.session.add_all([endpoint, delivery])
    return endpoint


def campaign_with_a_batch(shop, curator, unique):
    """A running voucher campaign the shop joined (its dashboard shows it), with a printed batch."""
    from datetime import date, timedelta

    from marketplace.campaigns.participation import opt_in_shop
    from marketplace.campaigns.services import create_campaign, transition_campaign
    from marketplace.campaigns.vouchers import issue_vouchers

    campaign = create_campaign(
        curator,
        name=unique("Noël dans nos rues"),
        kind="voucher",
        starts_on=date.today() - timedelta(days=1),
        ends_on=date.today() + timedelta(days=30),
        budget_cents=500_000,
        voucher_face_cents=1000,
    )
    transition_campaign(campaign, "active", curator)
    opt_in_shop(campaign, shop, shop.owner)
    issue_vouchers(campaign, 2, curator, label="Mairie")
    return campaign
