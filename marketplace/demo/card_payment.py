"""Most demo shops take card payment online: accounts onboarded on the offline Stripe emulator."""

from __future__ import annotations

import random

from sqlalchemy import select

from marketplace.demo.accounts import SHOPKEEPER_EMAIL
from marketplace.extensions import db
from payments.demo_accounts import forget_lost_account, onboard_on_emulator
from shops.models import PUBLISHED, Shop

# The share of the town's shops that take card payment; the others are paid at the counter.
CARD_SHARE = 0.8


def takes_card(slug: str, share: float = CARD_SHARE) -> bool:
    """Whether a demo shop takes card payment: the same shops at every run (seeded on the slug)."""
    return random.Random(f"card:{slug}").random() < share  # noqa: S311 - a demo choice, not a secret


def connect_demo_shops(share: float = CARD_SHARE) -> tuple[int, int]:
    """Onboard most published shops on the emulator; return (connected, published).

    A shop that was paid online before keeps being so (the emulator forgot its account: it gets
    a new one); the demo shopkeeper's shop is left for Julien to connect, unless he did. Accounts
    the emulator no longer knows are forgotten, so that "Connect" starts afresh.
    """
    connected = published = 0
    for shop in db.session.scalars(select(Shop).order_by(Shop.id)):
        is_public = shop.status == PUBLISHED
        chosen = is_public and takes_card(shop.slug, share) and shop.owner.email != SHOPKEEPER_EMAIL
        if shop.payouts_enabled or chosen:
            paid = onboard_on_emulator(shop)
            connected += 1 if paid and is_public else 0
        else:
            forget_lost_account(shop)
        published += 1 if is_public else 0
        db.session.commit()  # shop by shop: no lock held across the next shop's calls
    return connected, published
