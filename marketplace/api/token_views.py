"""The shop dashboard's API tokens page: create (shown once), list with last use, revoke."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import SHOPKEEPER
from marketplace.api.models import SCOPES, ApiToken
from marketplace.api.tokens import TooManyTokens, issue_token, revoke_token, tokens_of_shop
from marketplace.bounded import Form
from marketplace.db import utcnow
from marketplace.extensions import db
from shops.access import closed_to_agent_mode, get_owned_shop

bp = closed_to_agent_mode(
    Blueprint("api_tokens", __name__, url_prefix="/merchant/shops/<slug>/api-tokens")
)


class TokenForm(Form):
    """A new token's name, to recognise it later (e.g. "Till", "Stock app")."""

    name = StringField(_l("Name of the token"), validators=[DataRequired(), Length(max=80)])
    scopes = SelectMultipleField(
        _l("What it may do"),
        choices=list(SCOPES.items()),
        validators=[InputRequired(_l("Choose at least one permission."))],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    expires_in = SelectField(
        _l("Expires"),
        choices=[
            ("", _l("Never (until revoked)")),
            ("30", _l("In 30 days")),
            ("90", _l("In 90 days")),
            ("365", _l("In one year")),
        ],
        default="",
    )

    def expires_at(self):
        """When the new token stops working, or None."""
        days = self.expires_in.data
        return utcnow() + timedelta(days=int(days)) if days else None


class RevokeForm(Form):
    """Revoking a token (the CSRF token is the whole form)."""


@bp.before_request
@roles_required(SHOPKEEPER)
def require_shopkeeper():
    """Tokens are for the shop's owner."""


def _page(shop, form, secret=None, status=200):
    response = render_template(
        "api/tokens.html",
        shop=shop,
        form=form,
        revoke_form=RevokeForm(),
        tokens=tokens_of_shop(shop),
        secret=secret,
    )
    return response, status, {"Cache-Control": "no-store"}


@bp.get("/")
def index(slug: str):
    """List the shop's tokens, with when each was last used."""
    return _page(get_owned_shop(slug), TokenForm())


@bp.post("/")
def create(slug: str):
    """Create a token and show it this once (it is stored hashed)."""
    shop = get_owned_shop(slug)
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(shop, form, status=400)
    try:
        _token, secret = issue_token(
            shop, current_user, form.name.data, form.scopes.data, form.expires_at()
        )
    except TooManyTokens:
        form.name.errors = [_("Revoke an unused token first: 20 at most.")]
        return _page(shop, form, status=400)
    db.session.commit()
    return _page(shop, TokenForm(formdata=None), secret=secret, status=201)


@bp.post("/<int:token_id>/revoke")
def revoke(slug: str, token_id: int):
    """Revoke a token: the next call with it is refused."""
    shop = get_owned_shop(slug)
    form = RevokeForm()
    token = db.session.get(ApiToken, token_id)
    if token is None or token.shop_id != shop.id:
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    revoke_token(token)
    db.session.commit()
    flash(_("Token “%(name)s” revoked.", name=token.name), "success")
    return redirect(url_for("api_tokens.index", slug=shop.slug), 303)
