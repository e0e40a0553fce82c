"""The public page of an editorial collection: /collections/<slug>."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from marketplace.curation.collections import public_items
from marketplace.curation.models import Collection
from marketplace.db import utcnow
from marketplace.extensions import db

bp = Blueprint("collections", __name__, url_prefix="/collections")


@bp.get("/<slug>")
def show(slug: str):
    """Show a published collection (404 before its start and after its end)."""
    collection = db.session.scalar(select(Collection).where(Collection.slug == slug))
    if collection is None or not collection.is_live_at(utcnow()):
        abort(404)
    return render_template(
        "curation/collection.html", collection=collection, items=public_items(collection)
    )
