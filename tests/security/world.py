"""A small town for the attack tests: two shops of two shopkeepers, two residents with orders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from marketplace.accounts.models import CURATOR, RESIDENT, SHOPKEEPER
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.models import AT_PICKUP
from marketplace.orders.slots import pickup_slots_for
from shops.import_models import DONE, CatalogueImport
from shops.models import Closure, ProductImage
from tests.factories import make_product, make_product_image, make_shop, make_user
from tests.orders.helpers import TZ, place, set_hours


@dataclass
class World:
    """Everyone and everything an attacker could aim at, by role."""

    owner_a: object
    owner_b: object
    resident_r: object
    resident_s: object
    curator: object
    shop_a: object
    shop_b: object
    draft_a: object
    product_a: object
    product_b: object
    hidden_a: object
    closure_a: object
    closure_b: object
    image_a: object
    image_b: object
    order_a: object  # resident R's order at shop A
    order_b: object  # resident S's order at shop B
    checkout_a: object
    checkout_b: object
    tokens: dict = field(default_factory=dict)  # shop slug -> API token secret
    extra: dict = field(default_factory=dict)


def _closure(shop) -> Closure:
    start = date.today() + timedelta(days=30)
    closure = Closure(shop_id=shop.id, starts_on=start, ends_on=start, reason="Inventaire")
    db.session.add(closure)
    db.session.commit()
    return closure


def _order(customer, shop, product):
    now = utcnow()
    slot = pickup_slots_for(shop, now, TZ)[0].starts_at
    checkout = place(customer, {product: 1}, {shop: slot}, now, method=AT_PICKUP)
    return checkout, checkout.orders[0]


def build_world(app) -> World:
    """Create and commit the town; every object of A and R is a target for the others."""
    owner_a = make_user("owner-a@example.org", SHOPKEEPER, "Anne")
    owner_b = make_user("owner-b@example.org", SHOPKEEPER, "Bruno")
    resident_r = make_user("resident-r@example.org", RESIDENT, "Rose")
    resident_s = make_user("resident-s@example.org", RESIDENT, "Simon")
    curator = make_user("curator@example.org", CURATOR, "Claire")
    shop_a = make_shop(owner_a, name="Fromagerie Anne", pay_at_pickup=True, prep_minutes=0)
    shop_b = make_shop(owner_b, name="Boucherie Bruno", pay_at_pickup=True, prep_minutes=0)
    draft_a = make_shop(owner_a, name="Atelier Anne", published=False)
    for shop in (shop_a, shop_b):
        set_hours(shop)
    product_a = make_product(shop_a, "Comté secret", 1250, stock=10)
    product_b = make_product(shop_b, "Bavette", 990, stock=10)
    hidden_a = make_product(shop_a, "Tomme retirée", 800)
    hidden_a.hidden_reason = "Étiquetage"
    db.session.commit()
    closure_a, closure_b = _closure(shop_a), _closure(shop_b)
    make_product_image(product_a, app.config["UPLOAD_DIR"])
    make_product_image(product_b, app.config["UPLOAD_DIR"])
    image_a = db.session.scalar(select(ProductImage).where(ProductImage.product_id == product_a.id))
    image_b = db.session.scalar(select(ProductImage).where(ProductImage.product_id == product_b.id))
    checkout_a, order_a = _order(resident_r, shop_a, product_a)
    checkout_b, order_b = _order(resident_s, shop_b, product_b)
    world = World(
        owner_a, owner_b, resident_r, resident_s, curator, shop_a, shop_b, draft_a, product_a,
        product_b, hidden_a, closure_a, closure_b, image_a, image_b, order_a, order_b,
        checkout_a, checkout_b,
    )  # fmt: skip
    _api_tokens(world)
    _collection(world)
    _catalogue_import(world)
    _campaigns(world)
    return world


def _campaigns(world: World) -> None:
    """A running voucher campaign shop A joined, a printed batch, and A's issued statement."""
    try:
        from marketplace.campaigns.settlement import issue_statements
        from marketplace.campaigns.vouchers import issue_vouchers
    except ImportError:  # campaigns are not in this tree
        return
    from tests.campaigns.helpers import make_campaign
    from tests.campaigns.settle_helpers import join, order_with_part

    today = utcnow().astimezone(ZoneInfo(TZ)).date()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    campaign = make_campaign(
        world.curator, starts_on=last_month, ends_on=today + timedelta(days=60)
    )
    join(campaign, world.shop_a, world.curator)
    placed = datetime.combine(last_month, time(10), ZoneInfo(TZ)) + timedelta(days=2)
    order_with_part(campaign, world.shop_a, world.resident_r, placed, 3000, 1000)
    batch = issue_vouchers(campaign, 2, world.curator)
    (statement,) = issue_statements(campaign, last_month, world.curator, today, TZ)
    db.session.commit()
    world.extra.update(campaign_id=campaign.id, batch_id=batch.id, statement_id=statement.id)


def _catalogue_import(world: World) -> None:
    record = CatalogueImport(
        shop_id=world.shop_a.id, started_by_id=world.owner_a.id, filename="a.csv", phase=DONE
    )
    db.session.add(record)
    db.session.commit()
    world.extra["import_id"] = record.id


def _api_tokens(world: World) -> None:
    try:
        from marketplace.api.tokens import issue_token
    except ImportError:  # the API is not in this tree
        return
    for shop, owner in ((world.shop_a, world.owner_a), (world.shop_b, world.owner_b)):
        token, secret = issue_token(shop, owner, "caisse")
        db.session.commit()
        world.tokens[shop.slug] = secret
        world.extra.setdefault("token_ids", {})[shop.slug] = token.id


def _collection(world: World) -> None:
    try:
        from marketplace.curation.models import Collection, CollectionItem
    except ImportError:  # curation is not in this tree
        return
    collection = Collection(slug="selection-secrete", title="Sélection secrète", published=False)
    db.session.add(collection)
    db.session.flush()
    item = CollectionItem(collection_id=collection.id, position=0, shop_id=world.shop_a.id)
    db.session.add(item)
    db.session.commit()
    world.extra["collection_id"], world.extra["item_id"] = collection.id, item.id
