"""Helpers of the follow stories: follow through the real button, read the news emails."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.message import Message
from pathlib import Path

from marketplace.extensions import db
from marketplace.follows.models import Follow
from tests.conftest import post_form
from tests.factories import make_user


def follow_by_button(client, shop, page: str | None = None):
    """Press "Follow" on a page showing the shop (its own page by default), as the form says."""
    page = page or f"/shops/{shop.slug}"
    html = client.get(page).get_data(as_text=True)
    action = f"/shops/{shop.slug}/follow"
    form = re.search(rf'action="{re.escape(action)}">(.*?)</form>', html, re.S)
    assert form, f"no Follow button for {shop.name} on {page}"
    back = re.search(r'name="next" value="([^"]*)"', form.group(1))
    return post_form(client, action, {"next": back.group(1) if back else ""}, token_from=page)


def follower(shop, email: str = "alice@example.org", locale: str = "en", name: str = "Alice"):
    """A resident reading Vitrine in `locale` who follows `shop`, as the service records it."""
    from marketplace.follows.services import follow_shop

    user = make_user(email, name=name)
    user.locale = locale
    follow_shop(user, shop)
    db.session.commit()
    return user


def follows_of(user) -> list[int]:
    """The ids of the shops `user` follows, read fresh from the database."""
    db.session.expire_all()
    return sorted(f.shop_id for f in db.session.query(Follow).filter_by(user_id=user.id))


def raw_mails(app) -> list[Message]:
    """The emails of the outbox, oldest first, as messages (headers included)."""
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    paths = (
        sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if folder.exists() else []
    )
    return [message_from_bytes(p.read_bytes()) for p in paths]


STOP_LINK = re.compile(r"https?://[^/\s]+(/news/stop/[A-Za-z0-9_.-]+)")


def stop_paths(mail: str) -> list[str]:
    """The paths of an email's stop links: this shop's first, then every shop's."""
    return STOP_LINK.findall(mail)
