"""The shop dashboard's webhooks: register or edit an endpoint (secret shown once), its delivery
log, a test event, pause or re-enable, remove."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice

from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import SHOPKEEPER
from marketplace.bounded import Form
from marketplace.extensions import db
from marketplace.webhooks import services
from marketplace.webhooks.addresses import UnsafeUrl
from marketplace.webhooks.models import EVENTS, WebhookEndpoint
from shops.access import closed_to_agent_mode, get_owned_shop

bp = closed_to_agent_mode(
    Blueprint("webhooks", __name__, url_prefix="/merchant/shops/<slug>/webhooks")
)

URL_MESSAGES = {
    "length": _l("Enter the address, up to 500 characters."),
    "malformed": _l("This is not a web address like https://example.com/webhooks."),
    "scheme": _l("The address must start with https://."),
    "private": _l("This address is not on the public internet."),
    "unknown_host": _l("This address is not on the public internet."),
}
EVENT_LABELS = {
    "order.created": _l("An order is placed"),
    "order.paid": _l("An order is paid online"),
    "order.ready": _l("An order is ready"),
    "order.cancelled": _l("An order is cancelled"),
    "order.collected": _l("An order is collected"),
    "product.low_stock": _l("A product is low on stock"),
}


class EndpointForm(Form):
    """A new endpoint: its address and the events it receives."""

    url = StringField(_l("Address (URL) of your software"), render_kw={"inputmode": "url"})
    events = SelectMultipleField(
        _l("Events to send"),
        choices=[SelectChoice(e, e) for e in EVENTS],
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
    )


class EditEndpointForm(EndpointForm):
    """An endpoint's address, events and on/off; a new secret only when asked."""

    active = BooleanField(_l("On: send the events to this address"))
    rotate_secret = BooleanField(
        _l("Make a new signing secret (the current one stops working at once)")
    )


class ActionForm(Form):
    """A button on an endpoint (the CSRF token is the whole form)."""


@bp.before_request
@roles_required(SHOPKEEPER)
def require_shopkeeper():
    """Webhooks are for the shop's owner."""


def _owned_endpoint(shop, endpoint_id: int) -> WebhookEndpoint:
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.shop_id != shop.id:
        abort(404)
    return endpoint


def _label_events(form) -> None:
    form.events.choices = [SelectChoice(e, f"{EVENT_LABELS[e]} ({e})") for e in EVENTS]


def _index(shop, form, created=None, status=200):
    _label_events(form)
    page = render_template(
        "webhooks/index.html",
        shop=shop,
        form=form,
        endpoints=services.endpoints_of(shop),
        created=created,
    )
    return page, status, {"Cache-Control": "no-store"}


@bp.get("/")
def index(slug: str):
    """List the shop's endpoints and the form to add one."""
    return _index(get_owned_shop(slug), EndpointForm())


@bp.post("/")
def create(slug: str):
    """Register an endpoint and show its signing secret this once."""
    shop = get_owned_shop(slug)
    form = EndpointForm()
    if not form.validate_on_submit():
        return _index(shop, form, status=400)
    try:
        endpoint = services.register_endpoint(
            shop, form.url.data or "", form.events.data or [], _allow_local()
        )
    except (UnsafeUrl, services.NoEvents) as error:
        _show_error(form, error)
        return _index(shop, form, status=400)
    except services.TooManyEndpoints:
        form.url.errors = [_("Remove an endpoint first: 10 at most.")]
        return _index(shop, form, status=400)
    db.session.commit()
    return _index(shop, EndpointForm(formdata=None), created=endpoint, status=201)


def _show_error(form, error: Exception) -> None:
    if isinstance(error, UnsafeUrl):
        form.url.errors = [str(URL_MESSAGES[error.code])]
    else:
        form.events.errors = [_("Choose at least one event.")]


def _endpoint_page(shop, item, new_secret: str | None = None):
    page = render_template(
        "webhooks/endpoint.html",
        shop=shop,
        endpoint=item,
        deliveries=services.recent_deliveries(item),
        action_form=ActionForm(),
        labels=EVENT_LABELS,
        new_secret=new_secret,
    )
    return page, 200, {"Cache-Control": "no-store"}


@bp.get("/<int:endpoint_id>")
def endpoint(slug: str, endpoint_id: int):
    """Show an endpoint and its latest deliveries (status, duration, start of the answer)."""
    shop = get_owned_shop(slug)
    return _endpoint_page(shop, _owned_endpoint(shop, endpoint_id))


def _edit_page(shop, item, form, status=200):
    _label_events(form)
    page = render_template("webhooks/edit.html", shop=shop, endpoint=item, form=form)
    return page, status, {"Cache-Control": "no-store"}


@bp.route("/<int:endpoint_id>/edit", methods=["GET", "POST"])
def edit(slug: str, endpoint_id: int):
    """Change an endpoint's address, events or on/off; a new secret is shown once if asked."""
    shop = get_owned_shop(slug)
    item = _owned_endpoint(shop, endpoint_id)
    if request.method == "GET":
        form = EditEndpointForm(url=item.url, events=item.event_list, active=item.enabled)
        return _edit_page(shop, item, form)
    form = EditEndpointForm()
    if not form.validate_on_submit():
        return _edit_page(shop, item, form, 400)
    try:
        secret = services.update_endpoint(
            item,
            form.url.data or "",
            form.events.data or [],
            bool(form.active.data),
            _allow_local(),
            rotate_secret=bool(form.rotate_secret.data),
        )
    except (UnsafeUrl, services.NoEvents) as error:
        _show_error(form, error)
        return _edit_page(shop, item, form, 400)
    db.session.commit()
    if secret:  # shown on this answer only, never stored in a flash message or the session
        return _endpoint_page(shop, item, new_secret=secret)
    flash(_("Endpoint saved."), "success")
    return redirect(url_for("webhooks.endpoint", slug=shop.slug, endpoint_id=item.id), 303)


@bp.post("/<int:endpoint_id>/test")
def send_test(slug: str, endpoint_id: int):
    """Send a test event (`ping`) to the endpoint."""
    return _act(slug, endpoint_id, "test")


@bp.post("/<int:endpoint_id>/enable")
def enable(slug: str, endpoint_id: int):
    """Turn a paused endpoint on again."""
    return _act(slug, endpoint_id, "enable")


@bp.post("/<int:endpoint_id>/delete")
def remove(slug: str, endpoint_id: int):
    """Remove the endpoint and its log."""
    return _act(slug, endpoint_id, "delete")


def _act(slug: str, endpoint_id: int, action: str):
    shop = get_owned_shop(slug)
    item = _owned_endpoint(shop, endpoint_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    target = url_for("webhooks.endpoint", slug=shop.slug, endpoint_id=item.id)
    if action == "test":
        services.send_test_event(item)
        message = _("Test event sent: its result appears in the log below.")
    elif action == "enable":
        services.enable_endpoint(item)
        message = _("Endpoint on again: the next events will be sent.")
    else:
        services.remove_endpoint(item)
        target, message = url_for("webhooks.index", slug=shop.slug), _("Endpoint removed.")
    db.session.commit()
    flash(message, "success")
    return redirect(target, 303)


def _allow_local() -> bool:
    return bool(current_app.config.get("WEBHOOK_ALLOW_LOCAL"))
