"""The order state machine: only the table's transitions happen, each one leaves its event."""

import itertools

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders import operations
from marketplace.orders.models import Order, OrderEvent
from marketplace.orders.status import (
    CANCELLED,
    CONFIRMED,
    RELEASES_STOCK,
    TRANSITIONS,
    InvalidTransition,
    transition_order,
)
from tests.orders.helpers import PATH_TO_STATUS, make_order, stock_of

STATUSES = list(PATH_TO_STATUS)
REFUSED = [pair for pair in itertools.product(STATUSES, STATUSES) if pair not in TRANSITIONS]


def events_of(order) -> list[tuple]:
    """The order's history as stored: (from, to, actor, reason)."""
    db.session.expire_all()
    rows = db.session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id)
    )
    return [(e.from_status, e.to_status, e.actor_id, e.reason) for e in rows]


def status_in_db(order) -> str:
    db.session.expire_all()
    return db.session.scalar(select(Order.status).where(Order.id == order.id))


def test_the_table_covers_every_status():
    assert set(STATUSES) == {s for pair in TRANSITIONS for s in pair}
    assert len(REFUSED) == len(STATUSES) ** 2 - len(TRANSITIONS) == 56


@pytest.mark.parametrize(("current", "target"), REFUSED, ids=lambda s: s)
def test_a_transition_not_in_the_table_is_refused_and_changes_nothing(app, current, target):
    order = make_order(current)
    history, stock = events_of(order), stock_of(order.lines[0].product)

    with pytest.raises(InvalidTransition) as refused:
        transition_order(order, target, order.shop.owner_id, "why not")
    db.session.rollback()

    assert (refused.value.current, refused.value.target) == (current, target)
    assert status_in_db(order) == current
    assert events_of(order) == history
    assert stock_of(order.lines[0].product) == stock


@pytest.mark.parametrize(("current", "target"), sorted(TRANSITIONS), ids=lambda s: s)
def test_an_allowed_transition_writes_its_event(app, current, target):
    order = make_order(current, quantity=2, stock=5)
    history = events_of(order)
    actor = order.shop.owner_id

    transition_order(order, target, actor, "  Rupture de stock chez le fournisseur.  ")
    db.session.commit()

    assert status_in_db(order) == target
    assert events_of(order) == [
        *history,
        (current, target, actor, "Rupture de stock chez le fournisseur."),
    ]
    # The two units go back to the shelf when the order is given up, and only then.
    assert stock_of(order.lines[0].product) == (5 if target in RELEASES_STOCK else 3)


@pytest.mark.parametrize("current", [s for s in STATUSES if s != CONFIRMED])
def test_the_resident_can_cancel_only_a_confirmed_order(app, current):
    order = make_order(current)
    with pytest.raises(InvalidTransition):
        operations.cancel_by_customer(order, order.customer_id)
    db.session.rollback()
    assert status_in_db(order) == current


def test_the_resident_cancels_a_confirmed_order(app):
    order = make_order(CONFIRMED, quantity=2, stock=5)
    operations.cancel_by_customer(order, order.customer_id)
    db.session.commit()
    assert events_of(order)[-1] == (
        CONFIRMED,
        CANCELLED,
        order.customer_id,
        "cancelled by the customer",
    )
    assert stock_of(order.lines[0].product) == 5


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_the_shop_must_say_why_it_cancels(app, reason):
    order = make_order(CONFIRMED)
    with pytest.raises(operations.ReasonRequired):
        operations.cancel_by_shop(order, order.shop.owner_id, reason)
    db.session.rollback()
    assert status_in_db(order) == CONFIRMED


def test_a_collection_needs_the_order_s_code(app):
    order = make_order("ready")
    history = events_of(order)
    with pytest.raises(operations.WrongPickupCode):
        operations.confirm_collection(order, "AAA-AAA", order.shop.owner_id)
    db.session.rollback()
    assert status_in_db(order) == "ready" and events_of(order) == history

    operations.confirm_collection(order, f" {order.display_code.lower()} ", order.shop.owner_id)
    db.session.commit()
    assert status_in_db(order) == "collected"


def test_a_confirmed_order_cannot_be_collected_before_it_is_ready(app):
    order = make_order(CONFIRMED)
    with pytest.raises(InvalidTransition):
        operations.confirm_collection(order, order.pickup_code, order.shop.owner_id)
    db.session.rollback()
    assert status_in_db(order) == CONFIRMED
