"""The resident's checkout page (voucher field, the town's part per shop) and the counter's voucher form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.campaigns.models import MATCHED, VOUCHER_HELD, VOUCHER_ISSUED, Voucher
from marketplace.campaigns.participation import town_today
from marketplace.cart.services import stored_items
from marketplace.extensions import db
from marketplace.orders.models import Order
from tests.campaigns.helpers import make_campaign, make_curator
from tests.campaigns.redeem_helpers import balanced, join, one_voucher, redemptions, town_shop
from tests.conftest import alerts, drain_jobs, outbox, page_text, post_form
from tests.factories import login, make_user
from tests.orders.helpers import form_as_shown, in_english
from tests.payments.town import fill_cart


def this_month(office, kind, **fields):
    """A campaign running around today's town date (the HTTP tests read the real clock)."""
    today = town_today()
    return make_campaign(
        office,
        kind,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=30),
        **fields,
    )


@pytest.fixture
def office(app):
    return make_curator()


@pytest.fixture
def camille(app, client):
    user = make_user("camille@example.org", name="Camille")
    user.locale = "en"  # her emails in English
    db.session.commit()
    in_english(client)
    login(client, user)
    return user


def words(response) -> str:
    """The page's text without its tags, spaces collapsed (what a reader reads)."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_text(response)).split()).replace(" .", ".")


def orders_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Order))


def test_a_voucher_is_applied_shown_per_shop_then_placed(app, client, office, camille):
    noel = this_month(office, "voucher", name="Noël dans nos rues")
    _bakery, bread = town_shop("Boulangerie Moreau", 450)
    florist, tulips = town_shop("Fleurs de Léa", 1800, category="fleuriste")
    join(noel, florist)
    voucher = one_voucher(noel, office)
    fill_cart(client, {bread: 2, tulips: 1})
    form = form_as_shown(client.get("/checkout").get_data(as_text=True))

    applied = client.post(
        "/checkout", data={**form, "voucher": voucher.display_code, "apply_voucher": "1"}
    )

    page = words(applied)
    assert applied.status_code == 200 and orders_count() == 0
    assert "The town pays €10.00 (Noël dans nos rues). You pay €8.00." in page
    assert "The town pays: €10.00 · You pay: €17.00" in page
    assert (
        "info",
        "Voucher applied: check what the town pays and what you pay, then confirm.",
    ) in alerts(applied)
    placed = client.post(
        "/checkout",
        data={**form_as_shown(applied.get_data(as_text=True)), "voucher": voucher.display_code},
    )
    assert placed.status_code == 303, alerts(placed)
    florist_order = db.session.scalars(select(Order).where(Order.shop_id == florist.id)).one()
    assert [r.amount_cents for r in redemptions(florist_order)] == [1000]
    detail = words(client.get(f"/orders/{florist_order.id}"))
    assert "The town pays €10.00 (Noël dans nos rues). You pay €8.00." in detail
    assert db.session.get(Voucher, voucher.id).status == VOUCHER_HELD
    drain_jobs(app)
    (mail,) = [
        m
        for m in outbox(app)
        if m.startswith("To: camille@") and "Order #" in m and "Fleurs de Léa" in m
    ]
    assert "The town pays €10.00 (Noël dans nos rues). You pay €8.00." in " ".join(mail.split())
    balanced(noel)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ABCD-EFGH-JKMN", "This voucher code is unknown: check it and type it again."),
        ("used", "This voucher has already been used."),
        ("other_shop", "Boulangerie Moreau does not take part in this voucher's campaign."),
    ],
)
def test_a_refused_voucher_keeps_the_cart_and_says_why(client, office, camille, code, message):
    noel = this_month(office, "voucher")
    bakery, bread = town_shop("Boulangerie Moreau", 450)
    voucher = one_voucher(noel, office)
    if code == "used":
        join(noel, bakery)
        voucher.status = "redeemed"
        db.session.commit()
    if code in ("used", "other_shop"):
        code = voucher.code
    fill_cart(client, {bread: 2})
    form = form_as_shown(client.get("/checkout").get_data(as_text=True))

    refused = client.post("/checkout", data={**form, "voucher": code})  # "Place my order"

    assert refused.status_code == 400
    assert ("error", message) in alerts(refused)
    assert 'aria-invalid="true"' in refused.get_data(as_text=True)
    assert orders_count() == 0
    assert list(stored_items(camille.id).values()) == [2]
    balanced(noel)


def test_matched_spending_shows_on_the_shop_that_takes_part_only(client, office, camille):
    matched = this_month(
        office, MATCHED, name="Coup de pouce", match_bps=2000, match_order_cap_cents=1000
    )
    bakery, bread = town_shop("Boulangerie Moreau", 1250)
    _florist, tulips = town_shop("Fleurs de Léa", 1800, category="fleuriste")
    join(matched, bakery)
    fill_cart(client, {bread: 2, tulips: 1})

    shown = client.get("/checkout").get_data(as_text=True)

    assert "The town pays €5.00 (Coup de pouce). You pay €20.00." in words(client.get("/checkout"))
    assert words(client.get("/checkout")).count("The town pays €") == 1
    placed = client.post("/checkout", data=form_as_shown(shown))
    assert placed.status_code == 303, alerts(placed)
    assert balanced(matched).held == 500


def test_a_budget_spent_meanwhile_shows_the_page_again_with_the_new_amounts(
    client, office, camille
):
    matched = this_month(
        office, MATCHED, budget_cents=500, match_bps=2000, match_order_cap_cents=1000
    )
    bakery, bread = town_shop("Boulangerie Moreau", 2500)
    join(matched, bakery)
    fill_cart(client, {bread: 1})
    form = form_as_shown(client.get("/checkout").get_data(as_text=True))
    assert form[f"town-{bakery.id}"] == "500"
    matched.budget_cents = 300  # the office lowered it (or other residents took it)
    db.session.commit()

    refused = client.post("/checkout", data=form)

    assert refused.status_code == 400 and orders_count() == 0
    assert any("What the town pays has changed" in text for _, text in alerts(refused))
    assert "The town pays €3.00" in words(refused)
    balanced(matched)


def test_the_counter_redeems_a_voucher_on_a_pay_at_pickup_order(app, client, office, camille):
    noel = this_month(office, "voucher", name="Noël dans nos rues")
    bakery, bread = town_shop("Boulangerie Moreau", 1500)
    join(noel, bakery)
    voucher = one_voucher(noel, office)
    fill_cart(client, {bread: 1})
    assert (
        client.post(
            "/checkout", data=form_as_shown(client.get("/checkout").get_data(as_text=True))
        ).status_code
        == 303
    )
    order = db.session.scalars(select(Order)).one()
    counter = in_english(app.test_client())
    login(counter, bakery.owner)
    page = f"/merchant/shops/{bakery.slug}/orders/{order.id}"

    wrong = post_form(
        counter, f"{page}/voucher", {"voucher": "ABCD-EFGH-JKMN"}, page, follow_redirects=True
    )
    scanned = post_form(
        counter, f"{page}/voucher", {"voucher": voucher.display_code}, page, follow_redirects=True
    )
    again = post_form(
        counter, f"{page}/voucher", {"voucher": voucher.display_code}, page, follow_redirects=True
    )

    assert ("error", "This voucher code is unknown: check it and type it again.") in alerts(wrong)
    assert ("success", "Voucher accepted: the town pays €10.00. Collect €5.00.") in alerts(scanned)
    assert "To collect at the counter: €5.00." in words(scanned)
    assert ("error", "This voucher has already been used.") in alerts(again)
    board = words(counter.get(f"/merchant/shops/{bakery.slug}/orders/"))
    assert "town pays €10.00, collect €5.00" in board
    assert [r.amount_cents for r in redemptions(order)] == [1000]
    balanced(noel)
    # The resident cancels: the voucher can be used again, the budget is whole.
    cancelled = post_form(client, f"/orders/{order.id}/cancel", token_from=f"/orders/{order.id}")
    assert cancelled.status_code == 303
    assert db.session.get(Voucher, voucher.id).status == VOUCHER_ISSUED
    assert balanced(noel).remaining == noel.budget_cents
