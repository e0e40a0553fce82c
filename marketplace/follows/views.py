"""Follow and stop following a shop, the list of shops I follow, and the emails' "stop" links."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.extensions import csrf, db
from marketplace.follows import services
from marketplace.follows.tokens import ALL_SHOPS, BadStopToken, make_stop_token, read_stop_token
from marketplace.i18n import safe_next
from shops.catalogue import public_shops_query
from shops.models import Shop

bp = Blueprint("follows", __name__)


def _public_shop(slug: str) -> Shop:
    shop = db.session.scalar(public_shops_query().where(Shop.slug == slug))
    if shop is None:
        abort(404)
    return shop


def _back(slug: str) -> str:
    return safe_next(request.form.get("next"), url_for("public.shop", slug=slug))


@bp.post("/shops/<slug>/follow")
def follow(slug: str):
    """Follow a shop, then go back to the page the button was on."""
    shop = _public_shop(slug)
    if not current_user.is_authenticated:
        # A POST cannot be replayed after logging in: come back to the page, press again.
        flash(_("Log in to follow %(shop)s.", shop=shop.name), "info")
        return redirect(url_for("accounts.login", next=_back(slug)))
    services.follow_shop(current_user, shop)
    db.session.commit()
    flash(_("You follow %(shop)s: its news will come by email.", shop=shop.name), "success")
    return redirect(_back(slug))


@bp.post("/shops/<slug>/unfollow")
@login_required
def unfollow(slug: str):
    """Stop following a shop (and its emails), then go back to the page the button was on."""
    # Only a shop the public sees: a draft's or a suspended shop's page names nothing here
    # (the emails' stop links still stop those).
    shop = _public_shop(slug)
    services.unfollow_shop(current_user.id, shop.id)
    db.session.commit()
    flash(_("You no longer follow %(shop)s.", shop=shop.name), "success")
    return redirect(_back(slug))


@bp.get("/account/follows")
@login_required
def following():
    """The shops I follow, each with its button to stop; and stopping them all."""
    return render_template(
        "follows/following.html",
        follows=services.followed_shops(current_user.id),
        stop_all_link=url_for("follows.stop", token=make_stop_token(current_user.id)),
    )


@bp.route("/news/stop/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the authority; mail clients POST it with no session (RFC 8058)
def stop(token: str):
    """Stop one shop's news or all of it: GET asks to confirm, POST (a button or a mail client) stops."""
    try:
        user_id, shop_id = read_stop_token(token)
    except BadStopToken:
        return render_template("follows/stop.html", invalid=True), 400
    shop = db.session.get(Shop, shop_id) if shop_id != ALL_SHOPS else None
    if shop_id != ALL_SHOPS and shop is None:
        return render_template("follows/stop.html", invalid=True), 400
    if request.method == "POST":
        if shop is None:
            services.unfollow_all(user_id)
        else:
            services.unfollow_shop(user_id, shop.id)
        db.session.commit()
    # Stopped now, or earlier (a second click, another email's link): say so, ask nothing.
    done = not services.follows_any(user_id, shop.id if shop else None)
    return render_template(
        "follows/stop.html",
        invalid=False,
        done=done,
        shop=shop,
        stop_all_link=url_for("follows.stop", token=make_stop_token(user_id)),
    )


def followed_shop_ids() -> frozenset[int]:
    """The shops the visitor follows, read once a request (a template global: the buttons)."""
    if not current_user.is_authenticated:
        return frozenset()
    if "followed_shop_ids" not in g:
        g.followed_shop_ids = services.followed_ids(current_user.id)
    return g.followed_shop_ids
