"""Following a shop and stopping: the verbs, and what a person or a shopkeeper may read of follows."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.follows.models import Follow
from shops.models import PUBLISHED, Shop


class NotFollowable(Exception):
    """This shop cannot be followed now (it is not published)."""


def follow_shop(user: User, shop: Shop) -> Follow:
    """Follow a published shop (following it again changes nothing); its news starts now."""
    existing = _follow_of(user.id, shop.id)
    if existing is not None:
        return existing
    if not shop.is_public:
        raise NotFollowable(shop.slug)
    follow = Follow(user_id=user.id, shop_id=shop.id)
    try:
        with db.session.begin_nested():  # a double click: the other request's row stands
            db.session.add(follow)
    except IntegrityError:
        return _follow_of(user.id, shop.id) or follow
    return follow


def unfollow_shop(user_id: int, shop_id: int) -> bool:
    """Stop following a shop (and its emails); return False if it was not followed."""
    result = db.session.execute(
        delete(Follow).where(Follow.user_id == user_id, Follow.shop_id == shop_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]  # a DELETE returns a CursorResult


def unfollow_all(user_id: int) -> int:
    """Stop following every shop (no shop news at all); return how many follows went."""
    result = db.session.execute(delete(Follow).where(Follow.user_id == user_id))
    return result.rowcount or 0  # type: ignore[attr-defined]


def followed_shops(user_id: int) -> list[tuple[Shop, Follow]]:
    """The published shops a person follows, by name, with their follow."""
    rows = db.session.execute(
        select(Shop, Follow)
        .join(Follow, Follow.shop_id == Shop.id)
        .where(Follow.user_id == user_id, Shop.status == PUBLISHED)
        .order_by(Shop.name, Shop.id)
    )
    return [(shop, follow) for shop, follow in rows]


def follower_count(shop: Shop) -> int:
    """How many people follow the shop: all its shopkeeper may know of them."""
    return db.session.scalar(select(func.count()).where(Follow.shop_id == shop.id)) or 0


def follows_any(user_id: int, shop_id: int | None = None) -> bool:
    """Whether a person follows this shop (or, with no shop, any shop)."""
    query = select(Follow.id).where(Follow.user_id == user_id)
    if shop_id is not None:
        query = query.where(Follow.shop_id == shop_id)
    return db.session.scalar(query.limit(1)) is not None


def followed_ids(user_id: int) -> frozenset[int]:
    """The ids of the shops a person follows."""
    return frozenset(db.session.scalars(select(Follow.shop_id).where(Follow.user_id == user_id)))


def _follow_of(user_id: int, shop_id: int) -> Follow | None:
    return db.session.scalar(
        select(Follow).where(Follow.user_id == user_id, Follow.shop_id == shop_id)
    )
