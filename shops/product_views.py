"""The shopkeeper's catalogue: products, photos, CSV export (imports: shops/import_views.py)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from marketplace import rate_limits
from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import SHOPKEEPER
from marketplace.bounded import page_arg
from marketplace.extensions import db
from marketplace.templating import current_locale
from shops import catalogue, photo_uploads
from shops.access import agent_may_open, get_owned_product, get_owned_shop, open_to_agent_mode
from shops.csv_products import export_products
from shops.forms import CsvImportForm, ProductForm
from shops.images import InvalidImage
from shops.imports import running_import
from shops.merchant_views import IMAGE_MESSAGES
from shops.models import Product
from shops.photo_jobs import prepare_photo
from shops.photo_models import PRODUCT_PHOTO
from shops.product_types import type_choices
from shops.schemas import validate_product
from shops.stock_alerts import low_stock_condition

bp = open_to_agent_mode(
    Blueprint("catalogue", __name__, url_prefix="/merchant/shops/<slug>/products")
)

PER_PAGE = 50


@bp.before_request
def require_shopkeeper():
    """Every catalogue page is for shopkeepers (and admins), and for a curator acting for the shop."""
    if agent_may_open(request.view_args):
        return None
    return _shopkeepers_only()


@roles_required(SHOPKEEPER)
def _shopkeepers_only():
    return None


@bp.get("/")
def index(slug: str):
    """List the shop's products, with search by name and pagination."""
    shop = get_owned_shop(slug)
    page = page_arg()
    q = (request.args.get("q") or "").strip()[:100]
    low = request.args.get("low") == "1"
    query = select(Product).where(Product.shop_id == shop.id)
    if q:
        query = query.where(Product.name.ilike(f"%{q}%"))
    if low:
        query = query.where(low_stock_condition())
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    products = db.session.scalars(
        query.order_by(Product.name).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return render_template(
        "shops/products.html",
        shop=shop,
        products=products,
        total=total,
        page=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
        q=q,
        low=low,
        import_form=CsvImportForm(),
        running_import=running_import(shop),
    )


def _product_form() -> ProductForm:
    """The product form with the taxonomy's types, grouped by family, in the user's language."""
    form = ProductForm()
    locale = current_locale()
    form.type.choices = {
        str(_l("Not sure")): [("", str(_l("Guess from the category")))],
        **dict(type_choices(locale)),
    }
    return form


def _save(shop, product, form: ProductForm):
    values, errors = validate_product(form.raw_values())
    if errors:
        form.show_errors(errors)
        return None
    values = catalogue.to_product_values(values)
    # Photos stored before a refusal are removed by the rollback (marketplace/stored_files.py).
    received = []
    try:
        if product is None:
            product = catalogue.create_product(shop, values)
        else:
            catalogue.update_product(product, values)
        for upload in form.photos.data or []:
            if upload and upload.filename:
                received.append(
                    catalogue.add_product_image(
                        product,
                        upload.stream,
                        form.photo_alt.data or "",
                        current_app.config["UPLOAD_DIR"],
                        current_app.config["MAX_PHOTO_BYTES"],
                        current_user.id,
                    )
                )
    except catalogue.DuplicateSku:
        db.session.rollback()
        form.sku.errors = [*form.sku.errors, _("Another product already uses this SKU.")]
        return None
    except catalogue.TooManyImages:
        db.session.rollback()
        form.photos.errors = [_("A product has 5 photos at most.")]
        return None
    except InvalidImage as error:
        db.session.rollback()
        form.photos.errors = [IMAGE_MESSAGES[error.code]]
        return None
    db.session.commit()
    for photo in received:  # resized by the job; the form lists them as "being prepared"
        prepare_photo.delay(photo.id)
    return product


@bp.route("/new", methods=["GET", "POST"])
@rate_limits.limit_photo_uploads
def new(slug: str):
    """Add a product."""
    shop = get_owned_shop(slug)
    form = _product_form()
    if form.validate_on_submit():
        product = _save(shop, None, form)
        if product is not None:
            flash(_("Product added."), "success")
            return redirect(url_for("catalogue.index", slug=shop.slug))
    status = 400 if request.method == "POST" else 200
    return render_template("shops/product_form.html", shop=shop, form=form, product=None), status


@bp.route("/<int:product_id>", methods=["GET", "POST"])
@rate_limits.limit_photo_uploads
def edit(slug: str, product_id: int):
    """Edit a product and its photos."""
    shop = get_owned_shop(slug)
    product = get_owned_product(shop, product_id)
    form = _product_form()
    if request.method == "GET":
        form.process(
            data={
                "name": product.name,
                "description": product.description,
                "price": _price_text(product.price_cents),
                "category": product.category,
                "type": product.product_type or "",
                "stock": "" if product.stock is None else str(product.stock),
                "low_stock_threshold": _units_text(product.low_stock_threshold),
                "sku": product.sku or "",
                "active": product.is_active,
                # The description given with the photos, shown again (the newest photo's).
                "photo_alt": product.images[-1].alt if product.images else "",
            }
        )
    if form.validate_on_submit() and _save(shop, product, form) is not None:
        flash(_("Changes saved."), "success")
        return redirect(url_for("catalogue.edit", slug=shop.slug, product_id=product.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "shops/product_form.html",
        shop=shop,
        form=form,
        product=product,
        uploads=photo_uploads.uploads_for(PRODUCT_PHOTO, product.id),
        messages=IMAGE_MESSAGES,
    ), status


def _units_text(units: int | None) -> str:
    return "" if units is None else str(units)


def _price_text(cents: int) -> str:
    sep = "," if current_locale() == "fr" else "."
    return f"{cents // 100}{sep}{cents % 100:02d}"


@bp.post("/<int:product_id>/images/<int:image_id>/delete")
def delete_image(slug: str, product_id: int, image_id: int):
    """Remove a photo of a product."""
    shop = get_owned_shop(slug)
    product = get_owned_product(shop, product_id)
    if catalogue.remove_product_image(product, image_id, current_app.config["UPLOAD_DIR"]):
        db.session.commit()
        flash(_("Photo removed."), "success")
    return redirect(url_for("catalogue.edit", slug=shop.slug, product_id=product.id))


@bp.get("/export.csv")
def export_csv(slug: str):
    """Download the catalogue as CSV (French or English spreadsheet conventions)."""
    shop = get_owned_shop(slug)
    french = request.args.get("format", current_locale()) != "en"
    body = export_products(shop, french=french)
    return Response(
        body,
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{shop.slug}-catalogue.csv"'},
    )
