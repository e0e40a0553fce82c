"""Matched spending on a mixed cart in a real browser: the town pays part of the bakery's order only
(the florist does not take part), the card pays the rest on the emulator; the order is cancelled and
the town's part comes back to the budget once, as the office's campaign page shows."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from marketplace.campaigns.models import MATCHED
from marketplace.campaigns.participation import town_today
from marketplace.extensions import db
from marketplace.orders.models import Order
from tests.campaigns.helpers import make_campaign, make_curator
from tests.campaigns.redeem_helpers import balanced, join
from tests.e2e.steps import VISA, email_for, log_in, pay_by_card, press_add, unique
from tests.factories import make_product, make_shop, make_user
from tests.orders.helpers import set_hours


def ledger_shows(page, campaign_id: int, held: str, remaining: str) -> None:
    """The office's campaign page shows these figures (held, remaining; budget €1,000.00)."""
    page.goto(f"/curation/campaigns/{campaign_id}")
    expect(page.locator("#ledger-held")).to_have_text(held)
    expect(page.locator("#ledger-remaining")).to_have_text(remaining)
    expect(page.locator("#ledger-budget")).to_have_text("€1,000.00")


def test_matched_spending_on_a_mixed_cart_then_cancelled_gives_back_once(open_page, live_town):
    office = make_curator(email_for(unique("Office Coup de pouce")))
    today = town_today()
    matched = make_campaign(
        office, MATCHED, name=unique("Coup de pouce"), budget_cents=100_000, match_bps=2000,
        match_order_cap_cents=1000, starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=30),
    )  # fmt: skip
    bakery, (bread,) = live_town.connected_shop(
        unique("Boulangerie Pouce"), {"Pain de campagne": (2500, 10)}
    )
    florist = make_shop(name=unique("Fleurs Pouce"), category="fleuriste", pay_at_pickup=True)
    set_hours(florist)
    tulips = make_product(florist, "Bouquet de tulipes", 1800, stock=4)
    join(matched, bakery)  # the florist does not take part
    name = unique("Camille Pouce")
    make_user(email_for(name), name=name).locale = "en"
    db.session.commit()  # the test's own transaction must not hold SQLite's lock
    page = open_page("desktop", "en")
    log_in(page, email_for(name))
    for shop, product in ((bakery, bread), (florist, tulips)):
        page.goto(f"/shops/{shop.slug}/products/{product.id}-{product.slug}")
        press_add(page, page.get_by_role("button", name="Add to cart"))

    page.goto("/checkout")
    part = page.locator(".town-part")
    expect(part).to_have_count(1)  # the bakery's order only
    expect(part).to_contain_text("The town pays €5.00")
    expect(part).to_contain_text("You pay €20.00.")
    flowers = page.get_by_role("group", name=florist.name)
    expect(flowers).not_to_contain_text("The town pays")
    page.get_by_role("button", name="Place my order").click()
    expect(page.locator("body")).to_contain_text("less €5.00 paid by the town")
    pay_by_card(page, VISA)
    expect(page.get_by_role("status")).to_contain_text("Payment received: €20.00")

    office_page = open_page("desktop", "en")
    log_in(office_page, office.email)
    ledger_shows(office_page, matched.id, "€5.00", "€995.00")

    # The resident cancels the bread: the card is refunded what it paid, the town's part is back.
    db.session.expire_all()
    order = db.session.scalars(select(Order).where(Order.shop_id == bakery.id)).one()
    stale = page.context.new_page()  # a second tab on the order, opened before the cancellation
    stale.goto(f"/orders/{order.id}")
    page.goto(f"/orders/{order.id}")
    page.get_by_role("button", name="Cancel this order").click()
    expect(page.locator("body")).to_contain_text("Cancelled")
    stale.get_by_role("button", name="Cancel this order").click()  # sent again from the old tab
    expect(stale.locator("h1")).not_to_contain_text("Error")
    expect(stale.get_by_role("button", name="Cancel this order")).to_have_count(0)

    ledger_shows(office_page, matched.id, "€0.00", "€1,000.00")
    ledger = balanced(matched)
    assert (ledger.held, ledger.redeemed, ledger.remaining) == (0, 0, 100_000)
