"""Redemption at checkout: matched spending and vouchers taken with the order, released once, redeemed
at collection; the ledger identity holds after every step."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.campaigns import services
from marketplace.campaigns.models import (
    HELD,
    MATCHED,
    PAUSED,
    REDEEMED,
    RELEASED,
    VOUCHER_HELD,
    VOUCHER_ISSUED,
    VOUCHER_REDEEMED,
    Campaign,
)
from marketplace.campaigns.order_hooks import charged_cents
from marketplace.extensions import db
from marketplace.orders.checkout import CheckoutError
from marketplace.orders.models import CHECKOUT_COMPLETED, ONLINE, Order
from marketplace.orders.operations import cancel_by_customer, expire_checkout
from marketplace.orders.status import COLLECTED, READY, InvalidTransition, transition_order
from payments.refunds import refund_collected_order
from tests.campaigns.helpers import make_campaign, make_curator
from tests.campaigns.redeem_helpers import (
    balanced,
    check_out,
    join,
    one_voucher,
    redemptions,
    town_shop,
)
from tests.factories import make_user
from tests.orders.helpers import run_together


@pytest.fixture
def office(app):
    return make_curator()


@pytest.fixture
def camille(app):
    return make_user("camille@example.org", name="Camille")


def test_matched_spending_on_a_mixed_cart_pays_only_at_the_shop_that_takes_part(office, camille):
    matched = make_campaign(office, MATCHED, match_bps=2000, match_order_cap_cents=1000)
    bakery, bread = town_shop("Boulangerie Moreau", 1250)
    florist, tulips = town_shop("Fleurs de Léa", 1800, category="fleuriste")
    join(matched, bakery)  # the florist did not opt in

    checkout = check_out(camille, {bread: 2, tulips: 1})

    by_shop = {o.shop_id: o for o in checkout.orders}
    (part,) = redemptions(by_shop[bakery.id])
    assert (part.amount_cents, part.status, part.user_id) == (500, HELD, camille.id)  # 20 % of 25 €
    assert redemptions(by_shop[florist.id]) == []
    assert checkout.total_cents == 2500 + 1800 - 500  # what Camille pays at the counters
    assert charged_cents(by_shop[bakery.id]) == 2000
    ledger = balanced(matched)
    assert (ledger.held, ledger.remaining) == (500, 100_000 - 500)


def test_matched_spending_is_capped_per_order_and_per_resident(office, camille):
    matched = make_campaign(
        office, MATCHED, match_bps=5000, match_order_cap_cents=1000, resident_cap_cents=1500
    )
    bakery, bread = town_shop("Boulangerie Moreau", 4000)
    join(matched, bakery)

    first = check_out(camille, {bread: 1}).orders[0]
    second = check_out(camille, {bread: 1}).orders[0]
    third = check_out(camille, {bread: 1}).orders[0]

    assert [r.amount_cents for r in redemptions(first)] == [1000]  # 50 % of 40 €, capped at 10 €
    assert [r.amount_cents for r in redemptions(second)] == [500]  # what is left of the 15 € cap
    assert redemptions(third) == []
    balanced(matched)


def test_matched_spending_needs_a_verified_email(office):
    matched = make_campaign(office, MATCHED)
    bakery, bread = town_shop("Boulangerie Moreau", 2000)
    join(matched, bakery)
    unverified = make_user("new@example.org")
    unverified.email_confirmed_at = None
    db.session.commit()

    order = check_out(db.session.get(User, unverified.id), {bread: 1}).orders[0]

    assert redemptions(order) == []
    balanced(matched)


def test_a_voucher_pays_its_face_value_at_the_first_shop_that_takes_part(office, camille):
    noel = make_campaign(office)  # vouchers of 10 €
    bakery, bread = town_shop("Boulangerie Moreau", 450)
    florist, tulips = town_shop("Fleurs de Léa", 1800, category="fleuriste")
    join(noel, florist)
    voucher = one_voucher(noel, office)

    checkout = check_out(camille, {bread: 2, tulips: 1}, voucher=voucher.display_code.lower())

    by_shop = {o.shop_id: o for o in checkout.orders}
    (part,) = redemptions(by_shop[florist.id])
    assert (part.amount_cents, part.voucher_id) == (1000, voucher.id)
    assert redemptions(by_shop[bakery.id]) == []
    assert db.session.get(type(voucher), voucher.id).status == VOUCHER_HELD
    assert checkout.total_cents == 900 + 1800 - 1000
    balanced(noel)


def _rows() -> dict[str, int]:
    return {
        "orders": db.session.scalar(select(func.count()).select_from(Order)),
    }


@pytest.mark.parametrize("case", ["unknown", "used", "paused", "not_eligible", "exhausted"])
def test_a_refused_voucher_places_nothing_and_says_why(office, camille, case):
    noel = make_campaign(office, budget_cents=5000 if case != "exhausted" else 1000)
    bakery, bread = town_shop("Boulangerie Moreau", 2000)
    join(noel, bakery)
    voucher = one_voucher(noel, office)
    code = voucher.code
    if case == "unknown":
        code = "ZZZZ-ZZZZ-ZZZZ"
    elif case == "used":
        check_out(make_user("lea@example.org"), {bread: 1}, voucher=code)
    elif case == "paused":
        services.transition_campaign(noel, PAUSED, office)
        db.session.commit()
    elif case == "not_eligible":
        _, (other) = town_shop("Fleurs de Léa", 2000, category="fleuriste")
        bread = other
    else:  # another voucher took 5 € of the 10 € budget
        second = one_voucher(noel, office)
        check_out(make_user("lea@example.org"), {bread: 1}, voucher=second.code)
        assert db.session.get(Campaign, noel.id).remaining_cents == 0
    before = _rows()

    with pytest.raises(CheckoutError) as refused:
        check_out(camille, {bread: 1}, voucher=code)

    db.session.rollback()
    expected = {
        "unknown": "voucher_unknown",
        "used": "voucher_used",
        "paused": "voucher_expired",
        "not_eligible": "voucher_not_eligible",
        "exhausted": "voucher_exhausted",
    }
    assert refused.value.code == expected[case]
    assert _rows() == before  # nothing half-written
    balanced(noel)


def test_cancelling_gives_the_town_part_back_once_and_the_voucher_can_be_used_again(
    office, camille
):
    noel = make_campaign(office, resident_cap_cents=1000)
    bakery, bread = town_shop("Boulangerie Moreau", 2500)
    join(noel, bakery)
    voucher = one_voucher(noel, office)
    order = check_out(camille, {bread: 1}, voucher=voucher.code).orders[0]
    assert balanced(noel).held == 1000

    cancel_by_customer(order, camille.id)
    db.session.commit()
    with pytest.raises(InvalidTransition):
        cancel_by_customer(order, camille.id)  # a second click gives nothing back again
    db.session.rollback()

    (part,) = redemptions(order)
    assert part.status == RELEASED and part.released_at is not None
    ledger = balanced(noel)
    assert (ledger.held, ledger.remaining, ledger.spent) == (0, 100_000, 0)
    assert db.session.get(type(voucher), voucher.id).status == VOUCHER_ISSUED
    again = check_out(camille, {bread: 1}, voucher=voucher.code).orders[0]  # cap given back too
    assert [r.amount_cents for r in redemptions(again)] == [1000]
    balanced(noel)


def test_an_unpaid_online_checkout_that_expires_gives_the_town_part_back(office, camille):
    matched = make_campaign(office, MATCHED)
    bakery, bread = town_shop("Boulangerie Moreau", 2000, online=True)
    join(matched, bakery)
    checkout = check_out(camille, {bread: 1}, method=ONLINE)
    assert checkout.total_cents == 1600  # Stripe is asked for the rest only

    expire_checkout(checkout, "not paid in time")
    db.session.commit()
    expire_checkout(checkout, "not paid in time")  # the expiry command after the webhook

    assert [r.status for r in redemptions(checkout.orders[0])] == [RELEASED]
    assert balanced(matched).spent == 0


def test_collection_marks_the_town_part_redeemed(office, camille):
    noel = make_campaign(office)
    bakery, bread = town_shop("Boulangerie Moreau", 2500)
    join(noel, bakery)
    voucher = one_voucher(noel, office)
    order = check_out(camille, {bread: 1}, voucher=voucher.code).orders[0]

    transition_order(order, READY, bakery.owner_id)
    transition_order(order, COLLECTED, bakery.owner_id)
    db.session.commit()

    (part,) = redemptions(order)
    assert part.status == REDEEMED and part.collected_at is not None
    assert db.session.get(type(voucher), voucher.id).status == VOUCHER_REDEEMED
    ledger = balanced(noel)
    assert (ledger.redeemed, ledger.held) == (1000, 0)


def test_an_order_the_town_pays_in_full_online_is_confirmed_without_a_card(office, camille):
    noel = make_campaign(office)
    bakery, bread = town_shop("Boulangerie Moreau", 800, online=True)
    join(noel, bakery)
    voucher = one_voucher(noel, office)

    checkout = check_out(camille, {bread: 1}, method=ONLINE, voucher=voucher.code)

    assert (checkout.total_cents, checkout.status) == (0, CHECKOUT_COMPLETED)
    assert [o.status for o in checkout.orders] == ["confirmed"]
    assert [r.amount_cents for r in redemptions(checkout.orders[0])] == [800]  # no change given
    balanced(noel)


def test_a_town_part_other_than_the_one_shown_refuses_the_checkout(office, camille):
    matched = make_campaign(office, MATCHED, budget_cents=300)
    bakery, bread = town_shop("Boulangerie Moreau", 2000)
    join(matched, bakery)

    with pytest.raises(CheckoutError) as refused:
        check_out(camille, {bread: 1}, shown={bakery.id: 400})  # the page showed 4 €, 3 € left
    db.session.rollback()

    assert refused.value.code == "town_part_changed"
    assert _rows() == {"orders": 0}
    placed = check_out(camille, {bread: 1}, shown={bakery.id: 300})
    assert placed.total_cents == 1700
    assert balanced(matched).remaining == 0


def test_residents_racing_for_the_last_budget_and_one_voucher_never_overspend(app, office):
    matched = make_campaign(office, MATCHED, budget_cents=1000, match_bps=2000)
    noel = make_campaign(office, budget_cents=5000)
    bakery, bread = town_shop("Boulangerie Moreau", 2500)
    join(matched, bakery)
    join(noel, bakery)
    voucher = one_voucher(noel, office)
    people = [make_user(f"resident{i}@example.org").id for i in range(6)]

    def race(i: int):
        user = db.session.get(User, people[i])
        code = voucher.code if i < 2 else ""  # two of them type the same voucher
        shown = {bakery.id: 500 + (1000 if i < 2 else 0)}
        product = db.session.get(type(bread), bread.id)
        return check_out(user, {product: 1}, voucher=code, shown=shown)

    outcomes = run_together(app, len(people), race)

    placed = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(placed) == 2  # 2 x 5 € of matched spending: exactly the budget
    assert {getattr(e, "code", e) for e in refused} <= {"town_part_changed", "voucher_used"}
    ledger = balanced(matched)
    assert (ledger.held, ledger.remaining) == (1000, 0)
    assert balanced(noel).held in (0, 1000)  # the voucher once at most


def test_a_refund_at_the_counter_gives_the_resident_part_first_then_the_town_part(office, camille):
    noel = make_campaign(office)
    bakery, bread = town_shop("Boulangerie Moreau", 2500)
    join(noel, bakery)
    voucher = one_voucher(noel, office)
    order = check_out(camille, {bread: 1}, voucher=voucher.code).orders[0]
    transition_order(order, READY, bakery.owner_id)
    transition_order(order, COLLECTED, bakery.owner_id)
    db.session.commit()

    (first,) = refund_collected_order(order, 2000, "Pain brûlé.", bakery.owner_id)
    db.session.commit()
    (second,) = refund_collected_order(order, 500, "Le reste.", bakery.owner_id)
    db.session.commit()

    assert (first.amount_cents, second.amount_cents) == (1500, 0)  # given back at the counter
    (part,) = redemptions(order)
    assert (part.status, part.returned_cents) == (REDEEMED, 1000)
    assert db.session.get(Order, order.id).refunded_cents == 2500
    ledger = balanced(noel)
    assert (ledger.redeemed, ledger.spent, ledger.remaining) == (0, 0, 100_000)
