"""Curator pages for collections: list, create, edit, fill and order them."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace import rate_limits
from marketplace.bounded import db_int
from marketplace.curation import collections as service
from marketplace.curation.blueprint import bp
from marketplace.curation.forms import CollectionForm, DecisionForm, ItemForm
from marketplace.curation.models import Collection
from marketplace.extensions import db
from shops import photo_uploads
from shops.images import InvalidImage
from shops.merchant_views import IMAGE_MESSAGES
from shops.models import Product, Shop
from shops.photo_jobs import prepare_photo
from shops.photo_models import COLLECTION_PHOTO


def _collection(collection_id: int) -> Collection:
    collection = db.session.get(Collection, collection_id)
    if collection is None:
        abort(404)
    return collection


def _to_utc(value, tz: str):
    """A local datetime from the form -> an aware UTC datetime (None stays None)."""
    return value.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC) if value else None


def _to_local(value, tz: str):
    return value.astimezone(ZoneInfo(tz)).replace(tzinfo=None) if value else None


@bp.get("/collections")
def collections():
    """List every collection, published or not."""
    rows = db.session.scalars(select(Collection).order_by(Collection.id.desc())).all()
    return render_template("curation/collections.html", collections=rows)


@bp.route("/collections/new", methods=["GET", "POST"])
@rate_limits.limit_photo_uploads
def new_collection():
    """Create a collection."""
    return _edit(None)


@bp.route("/collections/<int:collection_id>", methods=["GET", "POST"])
@rate_limits.limit_photo_uploads
def edit_collection(collection_id: int):
    """Edit a collection's text, picture, dates and items."""
    return _edit(_collection(collection_id))


def _edit(collection: Collection | None):
    tz = current_app.config["TIMEZONE"]
    form = CollectionForm(obj=collection)
    if request.method == "GET" and collection is not None:
        form.starts_at.data = _to_local(collection.starts_at, tz)
        form.ends_at.data = _to_local(collection.ends_at, tz)
    if form.validate_on_submit():
        values = {
            "title": form.title.data.strip(),
            "slug": form.slug.data,
            "body": form.body.data or "",
            "photo_alt": (form.photo_alt.data or "").strip() or None,
            "published": form.published.data,
            "starts_at": _to_utc(form.starts_at.data, tz),
            "ends_at": _to_utc(form.ends_at.data, tz),
        }
        try:
            saved = service.save_collection(collection, values, current_user)
            photo = None
            if form.photo.data:
                photo = service.set_collection_photo(
                    saved,
                    form.photo.data.stream,
                    current_app.config["UPLOAD_DIR"],
                    current_app.config["MAX_PHOTO_BYTES"],
                    current_user.id,
                )
        except service.DuplicateSlug:
            db.session.rollback()
            form.slug.errors.append(_("Another collection uses this web address."))
        except service.DatesInWrongOrder:
            db.session.rollback()
            form.ends_at.errors.append(_("The end must come after the start."))
        except InvalidImage as error:
            db.session.rollback()
            form.photo.errors = [IMAGE_MESSAGES[error.code]]
        else:
            db.session.commit()
            if photo is not None:
                prepare_photo.delay(photo.id)
            flash(_("Collection saved."), "success")
            return redirect(url_for("curation.edit_collection", collection_id=saved.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "curation/collection_form.html",
        form=form,
        collection=collection,
        item_form=ItemForm(),
        small_form=DecisionForm(),
        uploads=photo_uploads.uploads_for(COLLECTION_PHOTO, collection.id) if collection else [],
        messages=IMAGE_MESSAGES,
    ), status


@bp.post("/collections/<int:collection_id>/items")
def add_collection_item(collection_id: int):
    """Add a shop (by web address) or a product (by number) to the collection."""
    collection = _collection(collection_id)
    form = ItemForm()
    if form.validate_on_submit():
        slug = (form.shop_slug.data or "").strip()
        number = (form.product_id.data or "").strip()
        shop = db.session.scalar(select(Shop).where(Shop.slug == slug)) if slug else None
        product_id = db_int(number)
        product = db.session.get(Product, product_id) if product_id is not None else None
        if (shop is None) == (product is None):
            flash(_("Give either a known shop web address or a known product number."), "error")
        else:
            service.add_item(collection, current_user, shop=shop, product=product)
            db.session.commit()
            flash(_("Added to the collection."), "success")
    return redirect(url_for("curation.edit_collection", collection_id=collection.id), 303)


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
