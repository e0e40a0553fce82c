"""The daily shop news: a periodic job claims each follow's news, then one job per email sends it."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.follows.models import Follow
from marketplace.follows.news import claim_digests, new_products_query
from marketplace.follows.tokens import make_stop_token
from marketplace.jobs import DailyAt, job, periodic
from marketplace.mail import send_news_email
from marketplace.urls import external_url
from shops.models import Product

LISTED = 10  # products named in one email; the others are counted ("and 12 more")


def tell_followers(now: datetime) -> int:
    """Claim the news of every follow, commit, then queue one email each; return how many."""
    digests = claim_digests(now, current_app.config["TIMEZONE"])
    db.session.commit()
    for digest in digests:
        email_shop_news.delay(
            digest.follow_id, digest.since.isoformat(), digest.until.isoformat(), digest.reopened
        )
    return len(digests)


@periodic(DailyAt(8, 0))
def send_shop_news() -> int:
    """Each morning, tell followers what their shops added or that they reopened (one email a shop)."""
    return tell_followers(utcnow())


@job()
def email_shop_news(follow_id: int, since: str, until: str, reopened: bool) -> None:
    """Send one follower one shop's news, as it stands now (skipped if they stopped following)."""
    follow = db.session.get(Follow, follow_id)
    if follow is None or follow.user.deleted_at is not None or not follow.shop.is_public:
        return
    user, shop = follow.user, follow.shop
    query = new_products_query(
        shop.id, datetime.fromisoformat(since), datetime.fromisoformat(until)
    )
    products = db.session.scalars(
        query.order_by(Product.created_at, Product.id).limit(LISTED)
    ).all()
    if not products and not reopened:
        return  # the new products were hidden or withdrawn since: nothing left to tell
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    stop_link = external_url("follows.stop", token=make_stop_token(user.id, shop.id))
    if products and reopened:
        subject = _l("%(shop)s is open again, with new products", shop=shop.name)
    elif reopened:
        subject = _l("%(shop)s is open again", shop=shop.name)
    else:
        subject = _l("New at %(shop)s", shop=shop.name)
    send_news_email(
        user.email,
        subject,
        "shop_news",
        user.locale,
        stop_link,
        user=user,
        shop=shop,
        products=products,
        more=total - len(products),
        reopened=reopened,
        product_links={
            p.id: external_url(
                "public.product", slug=shop.slug, product_id=p.id, product_slug=p.slug
            )
            for p in products
        },
        shop_link=external_url("public.shop", slug=shop.slug),
        stop_link=stop_link,
        stop_all_link=external_url("follows.stop", token=make_stop_token(user.id)),
    )
