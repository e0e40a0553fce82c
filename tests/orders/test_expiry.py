"""Unpaid reservations expire and cancelled orders give their stock back, exactly once."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders import operations
from marketplace.orders.checkout import CheckoutRequest, place_checkout
from marketplace.orders.models import CHECKOUT_EXPIRED, ONLINE, Checkout, Order, OrderEvent
from marketplace.orders.slots import pickup_slots_for
from marketplace.orders.status import CANCELLED, EXPIRED, PENDING_PAYMENT, InvalidTransition
from marketplace.orders.stock import release_stock
from tests.factories import login, make_product, make_shop, make_user
from tests.orders.helpers import TZ, make_order, run_together, set_hours, stock_of

TWO_HOURS_AGO = timedelta(hours=2)


def unpaid_order(quantity: int = 2, stock: int = 5) -> Order:
    """An online checkout placed two hours ago and never paid: its reservation has run out."""
    return make_order(PENDING_PAYMENT, quantity, stock, now=utcnow() - TWO_HOURS_AGO)


def events(to_status: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(OrderEvent).where(OrderEvent.to_status == to_status)
    )


def status_of(order) -> str:
    db.session.expire_all()
    return db.session.scalar(select(Order.status).where(Order.id == order.id))


def test_flask_orders_expire_returns_the_stock_once(app):
    order = unpaid_order(quantity=2, stock=5)
    assert stock_of(order.lines[0].product) == 3
    runner = app.test_cli_runner()

    first = runner.invoke(args=["orders", "expire"])
    second = runner.invoke(args=["orders", "expire"])

    assert first.exit_code == 0 and "1 order(s) expired." in first.output
    assert second.exit_code == 0 and "0 order(s) expired." in second.output
    assert status_of(order) == EXPIRED
    assert stock_of(order.lines[0].product) == 5
    assert events(EXPIRED) == 1


def test_a_reservation_still_running_is_kept(app):
    order = make_order(PENDING_PAYMENT, quantity=2, stock=5)  # placed just now
    assert operations.expire_overdue(utcnow()) == []
    db.session.commit()
    assert status_of(order) == PENDING_PAYMENT
    assert stock_of(order.lines[0].product) == 3


def test_expiring_twice_returns_the_stock_once(app):
    order = unpaid_order()
    assert len(operations.expire_overdue(utcnow())) == 1
    db.session.commit()
    assert operations.expire_overdue(utcnow()) == []
    db.session.commit()
    assert release_stock(order) is False  # already put back
    db.session.commit()
    assert stock_of(order.lines[0].product) == 5


def by_command(checkout: Checkout) -> list[Order]:
    """`flask orders expire` (or a page that expires what is overdue)."""
    return operations.expire_overdue(utcnow())


def by_button(checkout: Checkout) -> list[Order]:
    """The resident gives up the payment."""
    return operations.expire_checkout(checkout, "payment abandoned", checkout.customer_id)


def by_webhook(checkout: Checkout) -> list[Order]:
    """Stripe says the payment session expired."""
    return operations.expire_checkout(checkout, "payment session expired")


@pytest.mark.parametrize(
    "who",
    [(by_command, by_command), (by_button, by_webhook), (by_command, by_webhook)],
    ids=lambda w: "+".join(f.__name__.removeprefix("by_") for f in w),
)
def test_two_expiries_at_once_return_the_stock_once(app, who):
    order = unpaid_order(quantity=2, stock=5)
    checkout_id, product = order.checkout_id, order.lines[0].product
    db.session.commit()

    def expire(i: int) -> int:
        expired = who[i](db.session.get(Checkout, checkout_id))
        db.session.commit()
        return len(expired)

    outcomes = run_together(app, 2, expire)

    assert sorted(outcomes) == [0, 1], outcomes
    assert status_of(order) == EXPIRED
    assert stock_of(product) == 5
    assert events(EXPIRED) == 1


def test_expiring_a_checkout_twice_returns_the_stock_once(app):
    order = make_order(PENDING_PAYMENT, quantity=2, stock=5)
    checkout, product = order.checkout, order.lines[0].product

    first = operations.expire_checkout(checkout, "payment abandoned", order.customer_id)
    db.session.commit()
    second = operations.expire_checkout(checkout, "payment session expired")
    db.session.commit()

    assert first == [order] and second == []
    assert status_of(order) == EXPIRED
    assert db.session.get(Checkout, checkout.id).status == CHECKOUT_EXPIRED
    assert stock_of(product) == 5
    assert events(EXPIRED) == 1


@pytest.mark.parametrize(
    "who",
    [("customer", "customer"), ("customer", "shop"), ("shop", "shop")],
    ids=lambda w: "+".join(w),
)
def test_two_cancellations_at_once_return_the_stock_once(app, who):
    order = make_order("confirmed", quantity=2, stock=5)
    order_id, customer_id, owner_id = order.id, order.customer_id, order.shop.owner_id
    product = order.lines[0].product
    db.session.commit()
    both_loaded = threading.Barrier(2)

    def cancel(i: int) -> str:
        mine = db.session.get(Order, order_id)
        assert mine.status == "confirmed" and mine.lines  # each request saw it confirmed
        both_loaded.wait()
        if who[i] == "customer":
            operations.cancel_by_customer(mine, customer_id)
        else:
            operations.cancel_by_shop(mine, owner_id, "Fermeture exceptionnelle.")
        db.session.commit()
        return "cancelled"

    outcomes = run_together(app, 2, cancel)

    assert sorted(type(o).__name__ for o in outcomes) == ["InvalidTransition", "str"], outcomes
    assert status_of(order) == CANCELLED
    assert stock_of(product) == 5
    assert events(CANCELLED) == 1


def test_cancelling_again_changes_nothing(app):
    order = make_order("confirmed", quantity=2, stock=5)
    operations.cancel_by_customer(order, order.customer_id)
    db.session.commit()
    with pytest.raises(InvalidTransition):
        operations.cancel_by_shop(order, order.shop.owner_id, "Encore ?")
    db.session.rollback()
    assert stock_of(order.lines[0].product) == 5
    assert events(CANCELLED) == 1


def test_an_overdue_reservation_expires_as_soon_as_the_board_is_opened(app, client):
    order = unpaid_order(quantity=2, stock=5)
    login(client, order.shop.owner)
    assert client.get(f"/merchant/shops/{order.shop.slug}/orders/").status_code == 200
    assert status_of(order) == EXPIRED
    assert stock_of(order.lines[0].product) == 5


@pytest.mark.parametrize(("setting", "held"), [(60, 60), (10, 31)])
def test_the_reservation_lasts_as_configured_but_never_less_than_stripe_accepts(app, setting, held):
    shop = make_shop(name="Fromagerie B", category="fromagerie", prep_minutes=0)
    shop.payouts_enabled = True
    set_hours(shop)
    cheese = make_product(shop, "Brie de Meaux", 650, stock=3)
    now = utcnow()
    slot = pickup_slots_for(shop, now, TZ)[0].starts_at
    wish = CheckoutRequest({cheese.id: 1}, {shop.id: slot}, ONLINE)
    checkout = place_checkout(make_user("alice@example.org").id, wish, now, TZ, setting)
    db.session.commit()
    assert checkout.expires_at - now == timedelta(minutes=held)
