"""Curator pages for collections: list, create, edit, fill and order them."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from marketplace import rate_limits
from marketplace.bounded import db_int
from marketplace.curation import collection_picks as picks
from marketplace.curation import collections as service
from marketplace.curation import held_photos
from marketplace.curation.blueprint import bp
from marketplace.curation.forms import CollectionForm, DecisionForm, ItemForm
from marketplace.curation.models import Collection
from marketplace.extensions import db
from shops import photo_uploads
from shops.images import InvalidImage, original_media_type
from shops.merchant_views import IMAGE_MESSAGES
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
    upload_dir = current_app.config["UPLOAD_DIR"]
    form = CollectionForm(obj=collection)
    if request.method == "GET" and collection is not None:
        form.starts_at.data = _to_local(collection.starts_at, tz)
        form.ends_at.data = _to_local(collection.ends_at, tz)
    held = held_photos.held_photo(db_int(form.held_photo.data), current_user.id)
    if form.validate_on_submit():
        title = form.title.data.strip()
        values = {
            "title": title,
            "slug": form.slug.data
            or picks.unique_collection_slug(title, collection.id if collection else None),
            "body": form.body.data or "",
            "photo_alt": (form.photo_alt.data or "").strip() or None,
            "published": form.published.data,
            "starts_at": _to_utc(form.starts_at.data, tz),
            "ends_at": _to_utc(form.ends_at.data, tz),
        }
        try:
            saved = service.save_collection(collection, values, current_user)
            photo = held_photos.settle_collection_photo(
                saved,
                form.photo.data.stream if form.photo.data else None,
                held,
                form.drop_held_photo.data,
                upload_dir,
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
    if request.method == "POST" and form.photo.data and not form.photo.errors:
        held = _hold(form, upload_dir) or held
    form.held_photo.data = str(held.id) if held is not None else ""
    status = 400 if request.method == "POST" else 200
    query = request.args.get("q", "").strip()[:100] if collection else ""
    shops, products = picks.find_candidates(query) if query else ([], [])
    return render_template(
        "curation/collection_form.html",
        form=form,
        collection=collection,
        held=held,
        query=query,
        found_shops=shops,
        found_products=products,
        item_form=ItemForm(),
        small_form=DecisionForm(),
        uploads=photo_uploads.uploads_for(COLLECTION_PHOTO, collection.id) if collection else [],
        messages=IMAGE_MESSAGES,
    ), status


def _hold(form: CollectionForm, upload_dir: str):
    """Keep the picture of a refused form on the server (None if it is not a picture)."""
    db.session.rollback()  # nothing of the refused collection is kept, only its picture
    stream = form.photo.data.stream
    stream.seek(0)
    try:
        held = held_photos.hold_photo(
            stream, current_user.id, upload_dir, current_app.config["MAX_PHOTO_BYTES"]
        )
    except InvalidImage as error:
        db.session.rollback()
        form.photo.errors = [IMAGE_MESSAGES[error.code]]
        return None
    db.session.commit()
    return held


@bp.get("/collections/held-photo/<int:upload_id>")
def held_collection_photo(upload_id: int):
    """Show the curator the picture kept from their refused form (theirs only)."""
    held = held_photos.held_photo(upload_id, current_user.id)
    if held is None:
        abort(404)
    path = Path(current_app.config["UPLOAD_DIR"]) / held.original
    try:
        media_type = original_media_type(path)
    except (InvalidImage, FileNotFoundError):
        abort(404)
    response = send_file(path, mimetype=media_type, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
