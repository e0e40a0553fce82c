"""A shopkeeper joins or leaves a town campaign from the shop's dashboard."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.auth import roles_required
from marketplace.accounts.models import SHOPKEEPER
from marketplace.campaigns.models import Campaign
from marketplace.campaigns.participation import (
    NotEligible,
    opt_in_shop,
    opt_out_shop,
    town_today,
)
from marketplace.extensions import db
from shops.access import closed_to_agent_mode, get_owned_shop

# Joining commits the shop to the town's rule (it is paid later by the town): its owner decides.
bp = closed_to_agent_mode(
    Blueprint("shop_campaigns", __name__, url_prefix="/merchant/shops/<slug>/campaigns")
)


@bp.before_request
@roles_required(SHOPKEEPER)
def require_shopkeeper():
    """Shopkeepers only (and admins); the shop's ownership is checked on each object."""


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


@bp.post("/<int:campaign_id>/join")
def join(slug: str, campaign_id: int):
    """Opt the shop in to a campaign it is eligible for."""
    shop = get_owned_shop(slug)
    campaign = _campaign(campaign_id)
    try:
        opt_in_shop(campaign, shop, current_user, town_today())
    except NotEligible:
        db.session.rollback()
        flash(_("Your shop cannot join this campaign."), "error")
    else:
        db.session.commit()
        flash(
            _("%(shop)s takes part in %(campaign)s.", shop=shop.name, campaign=campaign.name),
            "success",
        )
    return redirect(url_for("merchant.dashboard"), 303)


@bp.post("/<int:campaign_id>/leave")
def leave(slug: str, campaign_id: int):
    """Opt the shop out (orders already placed keep the town's part)."""
    shop = get_owned_shop(slug)
    campaign = _campaign(campaign_id)
    opt_out_shop(campaign, shop, current_user)
    db.session.commit()
    flash(
        _("%(shop)s no longer takes part in %(campaign)s.", shop=shop.name, campaign=campaign.name),
        "success",
    )
    return redirect(url_for("merchant.dashboard"), 303)
