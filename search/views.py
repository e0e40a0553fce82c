"""The search page, the autocomplete endpoint and the JSON search API."""

from __future__ import annotations

from typing import cast

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from marketplace import rate_limits
from marketplace.errors import error_response
from marketplace.extensions import db, limiter
from marketplace.public import page_cache
from marketplace.templating import current_locale
from search.params import PRICE_FACET_LABELS, SORTS, parse_params, price_filter
from search.query import Results
from search.service import log_search, run_search, suggestions
from shops.categories import BY_CODE, category_choices
from shops.product_types import get_type, taxonomy

bp = Blueprint("search", __name__, url_prefix="/search")
api_bp = Blueprint("search_api", __name__, url_prefix="/api/v1")


def hit_url(hit) -> str:
    """The public page of a hit."""
    if hit.type == "shop":
        return url_for("public.shop", slug=hit.slug)
    return url_for("public.product", slug=hit.shop_slug, product_id=hit.id, product_slug=hit.slug)


def _family_label(slug: str, locale: str) -> str:
    family = taxonomy().families.get(slug)
    return family.label(locale) if family else slug


def _type_label(slug: str, locale: str) -> str:
    found = get_type(slug)
    return found.label(locale) if found else slug


def facet_lists(facets: dict, locale: str) -> dict:
    """Facets with labels in the user's language, as the API and the page show them."""

    def label(code: str) -> str:
        category = BY_CODE.get(code)
        return category.label(locale) if category else code

    return {
        "category": [
            {"value": c, "label": label(c), "count": n} for c, n in facets.get("category", [])
        ],
        "family": [
            {"value": f, "label": _family_label(f, locale), "count": n}
            for f, n in facets.get("family", [])
        ],
        "type": [
            {"value": t, "label": _type_label(t, locale), "count": n}
            for t, n in facets.get("type", [])
        ],
        "shop": [{"value": s, "label": name, "count": n} for s, name, n in facets.get("shop", [])],
        "price": [
            {"value": v, "label": str(PRICE_FACET_LABELS.get(v, v)), "count": n}
            for v, n in facets.get("price", [])
        ],
        "in_stock": [{"value": "1", "label": _("In stock"), "count": facets.get("in_stock", 0)}],
        "open_now": [{"value": "1", "label": _("Open now"), "count": facets.get("open_now", 0)}],
    }


@bp.get("")
@limiter.limit(rate_limits.search)
def page():
    """Show results, facets as filter links and suggestions; works without JavaScript."""
    params, errors = parse_params(request.args)
    if params.q.strip() or params.active_filters():
        results = run_search(params)
        log_search(params, results)
        db.session.commit()
    else:  # nothing asked yet: the empty state proposes the categories
        results = Results(query="", total=0, page=1, per_page=params.per_page)
    locale = current_locale()
    pages = max((results.total + params.per_page - 1) // params.per_page, 1)

    def render() -> str:
        return render_template(
            "search/results.html",
            params=params,
            errors=errors,
            results=results,
            facets=facet_lists(results.facets, locale),
            pages=pages,
            hit_url=hit_url,
            sorts=SORTS,
            categories=category_choices(locale),
            args={k: v for k, v in request.args.items() if k != "page" and v},
            price_filter=price_filter,
        )

    if errors or not page_cache.is_anonymous_page():
        return render(), (400 if errors else 200)
    # The same Results object (search.results_cache: same snapshot, same minute) renders the
    # same page: an anonymous visitor gets it from the page cache.
    return page_cache.serve(
        lambda entry: entry.stock is results, lambda: (render(), 0, results, None)
    )


@bp.get("/suggest")
@limiter.limit(rate_limits.suggest)
def suggest():
    """Up to 8 completions (categories, shops, products) for what is being typed."""
    items = suggestions(request.args.get("q") or "", current_locale())
    for item in items:
        if item["type"] == "category":
            item["url"] = url_for("search.page", category=item["value"])
        elif item["type"] == "shop":
            item["url"] = url_for("public.shop", slug=item["value"])
        else:
            item["url"] = url_for(
                "public.product",
                slug=item.pop("shop_slug"),
                product_id=item["value"],
                product_slug=item.pop("slug"),
            )
    return jsonify({"query": request.args.get("q") or "", "suggestions": items})


@api_bp.get("/search")
@limiter.limit(rate_limits.search)
def api_search():
    """Search products and shops; the same search as the page, as JSON."""
    params, errors = parse_params(request.args)
    if errors:
        return error_response(400, _("Some search parameters are not valid."), errors)
    results = run_search(params)
    log_search(params, results)
    db.session.commit()
    return current_app.response_class(api_body(params, results), mimetype="application/json")


def api_body(params, results) -> bytes:
    """The API's JSON for a search's answer, made once per answer and language.

    An answer (search.results_cache) is kept per index snapshot, parameters and minute, so the
    same answer always makes the same JSON but for the facets' labels, which are in the
    visitor's language: a popular search is serialised once, not at every request.
    """
    locale = current_locale()
    made = results.__dict__.setdefault("_api_bodies", {})
    body = made.get(locale)
    if body is None:
        # Serialised as jsonify does (compact unless in debug), once.
        answer = _api_answer(params, results, locale)
        response = cast(Response, current_app.json.response(answer))
        body = made[locale] = response.get_data()
    return body


def _api_answer(params, results, locale: str) -> dict:
    return {
        "query": params.q,
        "total": results.total,
        "page": params.page,
        "per_page": params.per_page,
        "results": [
            {
                "type": h.type,
                "id": h.id,
                "name": h.name,
                "url": hit_url(h),
                "sku": h.sku,
                "price_cents": h.price_cents,
                "shop": {"slug": h.shop_slug, "name": h.shop_name},
                "distance_km": h.distance_km,
                "highlight": str(h.highlight),
            }
            for h in results.hits
        ],
        "facets": facet_lists(results.facets, locale),
        "suggestion": results.suggestion,
    }
