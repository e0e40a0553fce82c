"""Camille clicks "Place my order" several times at once: one checkout, one set of orders.

The clicks are simultaneous POSTs of the same checkout form (same one-time token, same browser
cookies) to the live server, paying online or at the counter. Every click is answered with the
one checkout: its orders, or its single Stripe session.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.models import Checkout, Order
from tests.orders.helpers import stock_of
from tests.payments.conftest import pay
from tests.payments.live_http import HttpBrowser, alerts_of, path_of
from tests.payments.town import VISA, resident, statuses, subjects_to


def click_together(tabs: list[HttpBrowser], form: dict) -> list:
    """POST `form` from every tab at the same instant; return the answers."""
    start = threading.Barrier(len(tabs))
    answers: list = [None] * len(tabs)

    def click(i: int) -> None:
        start.wait()
        answers[i] = tabs[i].post("/checkout", form)

    threads = [threading.Thread(target=click, args=(i,)) for i in range(len(tabs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def counts() -> tuple[int, int]:
    """(checkouts, orders) in the database."""
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count()).select_from(Checkout)),
        db.session.scalar(select(func.count()).select_from(Order)),
    )


@pytest.mark.parametrize("clicks", [2, 5])
@pytest.mark.parametrize("method", ["at_pickup", "online"])
def test_simultaneous_submissions_of_one_checkout_form_place_it_once(town, method, clicks):
    _, (bread,) = town.connected_shop(
        "Boulangerie Moreau", {"Pain au levain": (450, 10)}, pay_at_pickup=True
    )
    _, (brie,) = town.connected_shop(
        "Fromagerie Oberkampf", {"Brie de Meaux": (1290, 5)}, pay_at_pickup=True
    )
    camille = HttpBrowser(town.url).log_in(resident())
    camille.add_to_cart({bread: 2, brie: 1})
    form = camille.checkout_form(method)
    assert form.get("checkout_token"), "the form carries its one-time token"

    answers = click_together([camille.tab() for _ in range(clicks)], form)

    assert [a.status_code for a in answers] == [303] * clicks, [alerts_of(a) for a in answers]
    assert counts() == (1, 2)
    assert (stock_of(bread), stock_of(brie)) == (8, 4)
    checkout = db.session.scalars(select(Checkout)).one()
    if method == "at_pickup":
        assert {path_of(a) for a in answers} == {f"/orders?placed={checkout.id}"}
        assert statuses(checkout) == ["confirmed"] * 2
        assert subjects_to(town.app, "camille@example.org") == [
            "Your order at Boulangerie Moreau is confirmed",
            "Your order at Fromagerie Oberkampf is confirmed",
        ]  # one email per order, not one per click
        return
    # Every click leads to the one Stripe session: the first directly, the others through
    # the checkout's payment page, which finds the same session again.
    payment_page = f"/checkout/{checkout.id}/pay"
    assert {path_of(a) for a in answers if not a.headers["Location"].startswith("http")} <= {
        payment_page
    }
    to_stripe = {
        camille.get(payment_page).headers["Location"]
        if path_of(a) == payment_page
        else a.headers["Location"]
        for a in answers
    }
    assert len(to_stripe) == 1
    sessions = town.stripe.v1.checkout.sessions.list().data
    assert [s.id for s in sessions] == [db.session.get(Checkout, checkout.id).stripe_session_id]
    assert pay(to_stripe.pop(), VISA).status_code == 303
    town.wait_for("checkout.session.completed", sessions[0].id)
    assert statuses(checkout) == ["confirmed"] * 2
    assert [(c.status, c.amount) for c in town.stripe.v1.charges.list().data] == [
        ("succeeded", 2190)
    ]
