"""Curator pages that fill a collection: suggestions by name, add, move and remove items."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.bounded import db_int
from marketplace.curation import collection_picks as picks
from marketplace.curation import collections as service
from marketplace.curation.blueprint import bp
from marketplace.curation.forms import DecisionForm, ItemForm
from marketplace.curation.models import Collection
from marketplace.extensions import db


def _collection(collection_id: int) -> Collection:
    collection = db.session.get(Collection, collection_id)
    if collection is None:
        abort(404)
    return collection


@bp.get("/collections/<int:collection_id>/candidates")
def collection_candidates(collection_id: int):
    """Suggest published shops and products by name (JSON for the search box's list)."""
    collection = _collection(collection_id)
    query = request.args.get("q", "").strip()[:100]
    shops, products = picks.find_candidates(query, limit=5)

    def pick_url(name: str) -> str:
        # A suggestion leads to the page's own results for that name, where "Add" is a button.
        return url_for(
            "curation.edit_collection", collection_id=collection.id, q=name, _anchor="found-h"
        )

    suggestions = [{"type": "shop", "label": s.name, "url": pick_url(s.name)} for s in shops]
    suggestions += [
        {"type": "product", "label": p.name, "shop_name": p.shop.name, "url": pick_url(p.name)}
        for p in products
    ]
    return jsonify(suggestions=suggestions)


@bp.post("/collections/<int:collection_id>/items")
def add_collection_item(collection_id: int):
    """Add a shop or a product picked from the search results to the collection."""
    collection = _collection(collection_id)
    form = ItemForm()
    if form.validate_on_submit():
        shop = picks.pickable_shop(db_int(form.shop_id.data)) if form.shop_id.data else None
        product = (
            picks.pickable_product(db_int(form.product_id.data)) if form.product_id.data else None
        )
        if (shop is None) == (product is None):
            flash(_("This shop or product cannot be put forward (not published)."), "error")
        else:
            service.add_item(collection, current_user, shop=shop, product=product)
            db.session.commit()
            flash(_("Added to the collection."), "success")
    back = request.form.get("q", "").strip()[:100]
    return redirect(
        url_for("curation.edit_collection", collection_id=collection.id, q=back or None), 303
    )


@bp.post("/collections/<int:collection_id>/items/<int:item_id>/<any(up, down, remove):verb>")
def change_collection_item(collection_id: int, item_id: int, verb: str):
    """Move an item up or down, or remove it."""
    collection = _collection(collection_id)
    if DecisionForm().validate_on_submit():
        if verb == "remove":
            service.remove_item(collection, item_id, current_user)
        else:
            service.move_item(collection, item_id, -1 if verb == "up" else 1)
        db.session.commit()
    return redirect(url_for("curation.edit_collection", collection_id=collection.id), 303)
