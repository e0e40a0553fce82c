"""Public pages: only published shops and their active, visible products exist here."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from marketplace import rate_limits
from marketplace.bounded import page_arg
from marketplace.curation.collections import live_collections
from marketplace.db import utcnow
from marketplace.extensions import db, limiter
from marketplace.public import page_cache, shop_page, stamps
from marketplace.public.finder import find_shops_page, parse_shop_filters
from marketplace.public.jsonld import product_jsonld, shop_jsonld
from marketplace.public.visits import count_visit
from marketplace.templating import current_locale, format_km
from shops.catalogue import public_products_query, public_shops_query
from shops.categories import category_choices
from shops.models import Product, Shop
from shops.opening import is_open_at, next_opening, shop_rules, takes_orders

bp = Blueprint("public", __name__)

SHOPS_PER_PAGE = 24
STATEMENT_DATE = date(2026, 11, 28)  # when the accessibility statement was last checked
PRODUCTS_PER_PAGE = 48


def get_public_shop(slug: str) -> Shop:
    """Return the published shop with this slug, or 404."""
    shop = db.session.scalar(
        public_shops_query()
        .where(Shop.slug == slug)
        # One round trip: hours and closures are a handful of rows each.
        .options(joinedload(Shop.hours), joinedload(Shop.closures))
    )
    if shop is None:
        abort(404)
    return shop


def _page() -> int:
    return page_arg()


@bp.get("/")
def home():
    """Show featured shops and the newest ones."""
    return _town_page(_render_home)


def _town_page(render):
    """A town-wide page: from the anonymous page cache while nothing on it changed."""
    if not page_cache.is_anonymous_page():
        return render()
    return page_cache.serve_town_page(render)


def _render_home() -> str:
    featured = db.session.scalars(
        public_shops_query().where(Shop.featured.is_(True)).order_by(Shop.name).limit(8)
    ).all()
    newest = db.session.scalars(
        public_shops_query().order_by(Shop.published_at.desc(), Shop.id.desc()).limit(8)
    ).all()
    counts = dict(
        db.session.execute(
            select(Shop.category, func.count())
            .where(Shop.id.in_(public_shops_query().with_only_columns(Shop.id)))
            .group_by(Shop.category)
        ).all()
    )
    return render_template(
        "public/home.html",
        featured=featured,
        newest=newest,
        home_collections=live_collections(utcnow()),
        category_counts=counts,
        categories=category_choices(current_locale()),
    )


@bp.get("/shops")
def directory():
    """List published shops by category, open now or not, A-Z or nearest first, a page at a time."""
    return _town_page(_render_directory)


def _render_directory() -> str:
    filters = parse_shop_filters(request.args)
    page = _page()
    found, total = find_shops_page(
        filters, utcnow(), current_app.config["TIMEZONE"], page, SHOPS_PER_PAGE
    )
    return render_template(
        "public/directory.html",
        found=[(f, format_km(f.km) if f.km is not None else None) for f in found],
        total=total,
        page=page,
        pages=max((total + SHOPS_PER_PAGE - 1) // SHOPS_PER_PAGE, 1),
        filters=filters,
        categories=category_choices(current_locale()),
    )


@bp.get("/shops/<slug>")
@limiter.limit(rate_limits.search, exempt_when=lambda: not request.args.get("q"))
def shop(slug: str):
    """Show a shop: hours, open now, closures to come, its map, products by type or searched."""
    q = (request.args.get("q") or "").strip()
    if q:  # a search: read from the index, logged, never cached
        html = _render_shop(slug, q)[0]
        db.session.commit()
        return html
    if not page_cache.is_anonymous_page():
        return _render_shop(slug)[0]
    stamp = stamps.shop_page_stamp(slug)
    if stamp is None:
        abort(404)
    return page_cache.serve(
        lambda entry: _shop_page_matches(entry, stamp),
        lambda: _render_shop(slug),
        lambda entry: _shop_page_matches(entry, stamps.shop_page_stamp(slug)),
    )


def _shop_page_matches(entry: page_cache.Entry, stamp) -> bool:
    # The entry's stock is (ids on the page, those of them sold out when it was rendered).
    if stamp is None:
        return False
    version, sold_out = stamp
    return entry.version == version and sold_out & entry.stock[0] == entry.stock[1]


@bp.after_request
def count_page_view(response):
    """Count a shop or product page seen (the shop's Sales page shows it); nothing personal kept."""
    if request.endpoint in ("public.shop", "public.product") and response.status_code in (200, 304):
        args = request.view_args or {}
        viewer = current_user.id if current_user.is_authenticated else None
        count_visit(request, args["slug"], args.get("product_id", 0), viewer)
    return response


def _render_shop(
    slug: str, q: str = ""
) -> tuple[str, int, tuple[frozenset, frozenset], datetime | None]:
    shop = get_public_shop(slug)
    now = utcnow()
    tz = current_app.config["TIMEZONE"]
    page = _page()
    groups: list = []
    if q:
        products, total = shop_page.found_in_shop(shop.slug, q, page, PRODUCTS_PER_PAGE)
    else:
        groups, total = shop_page.products_by_type(shop.id, page, PRODUCTS_PER_PAGE)
        products = [p for g in groups for p in g.products]
    today = now.astimezone(ZoneInfo(tz)).date()
    closures = [c for c in shop.closures if c.ends_on >= today]
    rules = shop_rules(shop)
    html = render_template(
        "public/shop.html",
        shop=shop,
        q=q,
        groups=groups,
        products=products,
        total=total,
        page=page,
        pages=max((total + PRODUCTS_PER_PAGE - 1) // PRODUCTS_PER_PAGE, 1),
        open_now=is_open_at(shop.hours, shop.closures, now, tz, rules),
        next_open=next_opening(shop.hours, shop.closures, now, tz, rules),
        orderable=takes_orders(shop.hours, shop.closures, now, tz, rules=rules),
        closures=closures,
        jsonld=shop_jsonld(shop),
    )
    stock = (frozenset(p.id for p in products), frozenset(p.id for p in products if p.stock == 0))
    return html, shop.version, stock, page_cache.next_change(shop.hours, now, tz, shop.closures)


@bp.get("/shops/<slug>/products/<int:product_id>-<product_slug>")
def product(slug: str, product_id: int, product_slug: str):
    """Show a product of a published shop."""
    if not page_cache.is_anonymous_page():
        return _render_product(slug, product_id)[0]
    stamp = stamps.product_page_stamp(slug, product_id)
    if stamp is None:
        abort(404)
    return page_cache.serve(
        lambda entry: _product_page_matches(entry, stamp),
        lambda: _render_product(slug, product_id),
        lambda entry: _product_page_matches(entry, stamps.product_page_stamp(slug, product_id)),
    )


def _product_page_matches(entry: page_cache.Entry, stamp) -> bool:
    return stamp is not None and (entry.version, entry.stock) == stamp


def _render_product(slug: str, product_id: int) -> tuple[str, int, int | None, None]:
    # The product page shows neither hours nor closures: the shop alone, and the photos.
    # One round trip: the product, its shop and its photos.
    item = db.session.scalar(
        public_products_query()
        .where(Product.id == product_id, Shop.slug == slug)
        .options(contains_eager(Product.shop), joinedload(Product.images))
    )
    if item is None:
        abort(404)
    shop = item.shop
    html = render_template(
        "public/product.html",
        shop=shop,
        product=item,
        jsonld=product_jsonld(item, current_locale()),
    )
    return html, shop.version, item.stock, None


@bp.get("/credits")
def credits():
    """Data sources, licences and attributions (ODbL)."""
    return render_template("public/credits.html")


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement (RGAA): compliance, what was tested, known gaps, contact."""
    return render_template("public/accessibility.html", established_on=STATEMENT_DATE)
