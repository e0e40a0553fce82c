"""The shopkeeper's dashboard: create and edit a shop, hours, closures, photo, submit for review."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace import rate_limits
from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import SHOPKEEPER
from marketplace.domain_errors import InvalidTransition
from marketplace.extensions import db
from marketplace.templating import current_locale
from shops import photo_uploads, register_form, services
from shops.access import agent_may_open, get_owned_shop, open_to_agent_mode
from shops.categories import category_choices
from shops.forms import HOURS_MESSAGES, ClosureForm, HoursForm, PhotoForm, ShopForm, rules_message
from shops.hours import InvalidHours
from shops.images import InvalidImage
from shops.models import DRAFT
from shops.opening import InvalidRules
from shops.photo_jobs import prepare_photo
from shops.photo_models import SHOP_PHOTO
from shops.register_checks import (
    ClosedEstablishment,
    latest_register_checks,
    refuse_closed_establishment,
)
from shops.review_emails import notify_curators_of_submission
from shops.status import sources_of

bp = open_to_agent_mode(Blueprint("merchant", __name__, url_prefix="/merchant"))

IMAGE_MESSAGES = {
    "too_large": _l("This photo is too large (10 MB at most)."),
    "empty": _l("This file is empty."),
    "not_an_image": _l("This file is not a photo we can read (use JPEG, PNG or WebP)."),
    "unsupported_format": _l("Use a JPEG, PNG or WebP photo."),
    "too_many_pixels": _l(
        "This photo has too many pixels (16 megapixels and 6000 pixels a side at most): "
        "reduce it and send it again."
    ),
    "storage_failed": _l("The photo could not be saved (storage full). Try again later."),
    "not_prepared": _l("It waited too long for our server."),
}
MISSING_LABELS = {
    services.HOURS: _l("opening hours"),
    services.POSITION: _l("map position (place the pin on the map)"),
}


@bp.before_request
def require_shopkeeper():
    """Every merchant page is for shopkeepers (and admins), and for a curator acting for the shop."""
    if agent_may_open(request.view_args):
        return None
    return _shopkeepers_only()


@roles_required(SHOPKEEPER)
def _shopkeepers_only():
    return None


def _shop_form(**kwargs) -> ShopForm:
    form = ShopForm(**kwargs)
    form.category.choices = category_choices(current_locale())
    return form


@bp.get("/")
def dashboard():
    """List my shops with what each still needs before it can be published."""
    return render_template("shops/dashboard.html", shops=services.shops_owned_by(current_user))


@bp.route("/shops/new", methods=["GET", "POST"])
def new_shop():
    """Create a shop (it starts as a draft)."""
    form = _shop_form()
    if request.method == "GET":
        form.city.data = current_app.config["TOWN_NAME"].split(" ")[0]
    if _looking_up():
        return _shop_form_page(form, None, register_form.look_up(form))
    if form.validate_on_submit():
        lookups = register_form.check_on_save(form, None)  # the registers, before any write
        if not form.errors:
            values = form.values()
            lookups.apply(values)
            shop = services.create_shop(current_user, values)
            lookups.record(shop)
            db.session.commit()
            flash(_("Your shop is created as a draft. Add its opening hours next."), "success")
            register_form.flash_lookups(lookups, values)
            return redirect(url_for("merchant.hours", slug=shop.slug))
    return _shop_form_page(form, None)


@bp.route("/shops/<slug>", methods=["GET", "POST"])
def edit_shop(slug: str):
    """Edit the shop's profile and pickup settings."""
    shop = get_owned_shop(slug)
    form = _shop_form(obj=shop)
    if _looking_up():
        return _shop_form_page(form, shop, register_form.look_up(form))
    if form.validate_on_submit():
        lookups = register_form.check_on_save(form, shop)  # the registers, before any write
        if not form.errors:
            values = form.values()
            lookups.apply(values)
            services.update_shop(shop, values)
            lookups.record(shop)
            db.session.commit()
            flash(_("Changes saved."), "success")
            register_form.flash_lookups(lookups, values)
            return redirect(url_for("merchant.edit_shop", slug=shop.slug))
    return _shop_form_page(form, shop)


def _looking_up() -> bool:
    """Whether the "Look up" button sent the form (CSRFProtect has checked its token)."""
    return request.method == "POST" and "lookup" in request.form


def _shop_form_page(form: ShopForm, shop, lookups: register_form.Lookups | None = None):
    status = 400 if form.errors else (200 if lookups is not None else _form_status())
    return render_template(
        "shops/shop_form.html",
        form=form,
        shop=shop,
        lookups=lookups,
        checks=latest_register_checks(shop) if shop else {},
        town_centre=(current_app.config["TOWN_LAT"], current_app.config["TOWN_LON"]),
    ), status


@bp.route("/shops/<slug>/hours", methods=["GET", "POST"])
def hours(slug: str):
    """Set the weekly opening hours and the closures."""
    shop = get_owned_shop(slug)
    form = HoursForm()
    if request.method == "GET":
        form.fill_from(shop.hours, shop)
    if form.validate_on_submit():
        intervals = form.intervals()
        rules = form.rules_text(intervals) if intervals is not None else None
        if intervals is not None and rules is not None:
            try:
                services.set_opening_hours(shop, intervals)
                services.set_hours_rules(shop, rules, bool(form.closed_on_holidays.data))
            except InvalidHours as error:
                db.session.rollback()
                flash(HOURS_MESSAGES[error.code], "error")
            except InvalidRules as error:
                db.session.rollback()
                flash(rules_message(error), "error")
            else:
                db.session.commit()
                flash(_("Opening hours saved."), "success")
                return redirect(url_for("merchant.hours", slug=shop.slug))
    return render_template(
        "shops/hours.html", shop=shop, form=form, closure_form=ClosureForm()
    ), _form_status()


@bp.post("/shops/<slug>/closures")
def add_closure(slug: str):
    """Add a closure period."""
    shop = get_owned_shop(slug)
    closure_form = ClosureForm()
    if closure_form.validate_on_submit():
        services.add_closure(
            shop,
            closure_form.starts_on.data,
            closure_form.ends_on.data,
            closure_form.reason.data or "",
            closure_form.starts_time.data,
            closure_form.ends_time.data,
        )
        db.session.commit()
        flash(_("Closure added."), "success")
        return redirect(url_for("merchant.hours", slug=shop.slug))
    form = HoursForm()
    form.fill_from(shop.hours, shop)
    return render_template("shops/hours.html", shop=shop, form=form, closure_form=closure_form), 400


@bp.post("/shops/<slug>/closures/<int:closure_id>/delete")
def delete_closure(slug: str, closure_id: int):
    """Remove a closure period."""
    shop = get_owned_shop(slug)
    if not services.remove_closure(shop, closure_id):
        abort(404)  # another shop's closure (or none): the same answer as for another shop
    db.session.commit()
    flash(_("Closure removed."), "success")
    return redirect(url_for("merchant.hours", slug=shop.slug))


@bp.route("/shops/<slug>/photo", methods=["GET", "POST"])
@rate_limits.limit_photo_uploads
def photo(slug: str):
    """Upload the shop's photo."""
    shop = get_owned_shop(slug)
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            upload = services.set_shop_photo(
                shop,
                form.photo.data.stream,
                form.alt.data,
                current_app.config["UPLOAD_DIR"],
                current_app.config["MAX_PHOTO_BYTES"],
                current_user.id,
            )
        except InvalidImage as error:
            db.session.rollback()
            form.photo.errors = [IMAGE_MESSAGES[error.code]]
        else:
            db.session.commit()
            prepare_photo.delay(upload.id)
            flash(_("Photo received: it appears on your page once it is ready."), "success")
            return redirect(url_for("merchant.photo", slug=shop.slug))
    status = 400 if form.errors else 200
    uploads = photo_uploads.uploads_for(SHOP_PHOTO, shop.id)
    return render_template(
        "shops/photo.html", shop=shop, form=form, uploads=uploads, messages=IMAGE_MESSAGES
    ), status


@bp.post("/shops/<slug>/submit")
def submit(slug: str):
    """Send the shop to the city office for review."""
    shop = get_owned_shop(slug)
    register_form.check_before_review(shop)  # Sirene, before the transition locks anything
    resubmitted = shop.status != DRAFT
    try:
        refuse_closed_establishment(shop)
        services.submit_shop(shop, current_user.id)
    except ClosedEstablishment:
        db.session.commit()  # keep the register's answer: the curator and the shopkeeper see it
        flash(
            _(
                "The Sirene register says this establishment is closed: a closed establishment "
                "cannot be submitted for review. Check the SIRET in your shop's details."
            ),
            "error",
        )
        return redirect(url_for("merchant.dashboard"))
    except services.NotReadyForReview as error:
        items = ", ".join(_missing_labels(error.missing))
        flash(_("Before submitting, please add: %(items)s.", items=items), "error")
    except InvalidTransition:
        flash(_("This shop cannot be submitted in its current state."), "error")
    else:
        db.session.commit()
        notify_curators_of_submission(shop, resubmitted)
        flash(_("Thank you! The town's office will review your shop shortly."), "success")
    return redirect(url_for("merchant.dashboard"))


def _missing_labels(missing: list[str]) -> list[str]:
    return [str(MISSING_LABELS[item]) for item in missing]


def missing_for_review(shop) -> list[str]:
    """What the shop still lacks before review, in the user's words (shown on the dashboard)."""
    return _missing_labels(services.missing_for_review(shop))


def inject_review_helpers() -> dict:
    """What the dashboard templates use to say what a shop lacks and whether it can be submitted."""
    return {"missing_for_review": missing_for_review, "SUBMITTABLE": sources_of("submit")}


def _form_status() -> int:
    """200 when a form page is first shown, 400 when it is shown again because the input was refused."""
    return 400 if request.method == "POST" else 200
