"""Around Stripe's page (issue 15): in the four modes of tests/e2e/modes.py, the return page turns
to "paid" by itself when the webhook comes late (bug 3), and cancelling on Stripe's page gives the
cart back with no order left behind (bug 4); an order waiting for payment says so (bug 2)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from marketplace.extensions import db
from marketplace.money import format_money
from tests.e2e.modes import MODES, STRIPE, Person
from tests.e2e.steps import DECLINED, VISA, email_for, fits_the_screen, tab_to, unique
from tests.factories import make_user
from tests.orders.helpers import stock_of
from tests.payments.town import last_checkout


def stock(product) -> int | None:
    """The product's stock now; the read transaction ends, so the live server can write."""
    value = stock_of(product)
    db.session.rollback()
    return value


def a_resident_and_a_cheese(live_town, locale: str):
    """A shop paid online selling a cheese (5 in stock), and a resident speaking `locale`."""
    _, (cheese,) = live_town.connected_shop(
        unique("Fromagerie Retour"), {"Beaufort d'été": (1890, 5)}, category="fromagerie"
    )
    name = unique("Lou Retour")
    make_user(email_for(name), name=name).locale = locale
    db.session.commit()  # the test's transaction must not hold SQLite's lock
    return email_for(name), cheese


@pytest.mark.parametrize("mode", MODES)
def test_the_return_page_turns_to_paid_by_itself_when_the_webhook_is_late(
    open_page, live_town, mode
):
    email, cheese = a_resident_and_a_cheese(live_town, MODES[mode].locale)
    person = Person(open_page, live_town.app, MODES[mode])
    page = person.page
    person.log_in(email)
    person.add_to_cart(cheese)
    person.place_the_order()

    live_town.emulator.set_delivery(hold=True)  # Stripe's webhooks wait: the browser is faster
    # ... and the return page does not read the payment from Stripe, as when Stripe has not
    # settled it yet or does not answer (tests/payments/test_return_settles.py reads it).
    reads, live_town.app.config["PAYMENT_RETURN_STRIPE_READS"] = (
        live_town.app.config["PAYMENT_RETURN_STRIPE_READS"],
        "",
    )
    try:
        person.pay_by_card(VISA)
        status = page.get_by_role("main").get_by_role("status")
        waiting = (
            "We have not received the payment yet. This page updates itself every few seconds."
        )
        expect(status).to_have_text(person.say(waiting))
        if person.mode.javascript:
            page.evaluate("() => { window.notReloaded = true; }")
        if person.mode.keyboard:  # the page asking again leaves the focus where it was
            give_up = person.say("Cancel the payment and go back to my cart")
            tab_to(page, page.get_by_role("button", name=give_up))
            for _ in range(2):  # once the second answer is in, the first one has been read
                with page.expect_response(lambda r: r.request.resource_type == "fetch"):
                    pass
            expect(page.get_by_role("button", name=give_up)).to_be_focused()
        live_town.emulator.release_events()
    finally:
        live_town.emulator.set_delivery()
        live_town.app.config["PAYMENT_RETURN_STRIPE_READS"] = reads

    total = format_money(1890, person.mode.locale)
    paid = person.say(
        "Payment received: %(total)s. Thank you! Your orders are confirmed.", total=total
    )
    expect(status).to_have_text(paid)  # no reload from the test: the page asked again itself
    expect(page.get_by_role("button", name=re.compile("Cancel|Annuler"))).to_have_count(0)
    if person.mode.javascript:  # only the state was fetched again, the page stayed where it was
        assert page.evaluate("() => window.notReloaded === true")
    assert last_checkout().paid_at is not None
    db.session.rollback()


@pytest.mark.parametrize("mode", MODES)
def test_cancelling_on_the_payment_page_gives_the_cart_back(open_page, live_town, mode):
    email, cheese = a_resident_and_a_cheese(live_town, MODES[mode].locale)
    person = Person(open_page, live_town.app, MODES[mode])
    page = person.page
    person.log_in(email)
    person.add_to_cart(cheese)
    person.add_to_cart(cheese)  # two
    person.place_the_order()
    assert stock(cheese) == 3  # reserved while the resident pays

    person.press(page.get_by_role("link", name=STRIPE[person.mode.locale]["cancel"]))

    expect(page).to_have_url(re.compile(r"/cart/$"))
    back = person.say("The payment is cancelled; your products are back in your cart.")
    expect(page.get_by_role("status")).to_contain_text(back)
    expect(page.get_by_role("alert")).to_have_count(0)  # no "if you just paid…" warning
    line = page.get_by_label(person.say("Quantity of %(name)s", name=cheese.name))
    expect(line).to_have_value("2")
    fits_the_screen(page)  # the 375 px phone too: no line sticks out (bug 8)
    assert stock(cheese) == 5
    menu = page.get_by_role("navigation", name=person.say("Main menu"))
    person.press(menu.get_by_role("link", name=person.say("My orders")))
    main = page.get_by_role("main")
    expect(main).not_to_contain_text(cheese.shop.name)  # no lingering expired order
    expect(main).not_to_contain_text(person.say("Expired"))

    # The cart is whole again: one go at checkout leads straight back to Stripe's page.
    person.place_the_order()
    assert stock(cheese) == 3


def test_a_waiting_order_says_so_and_pay_now_resumes_the_same_payment(open_page, live_town):
    """Bug 2: after a declined card the order waits for payment, never "Paid online."."""
    email, cheese = a_resident_and_a_cheese(live_town, "fr")
    person = Person(open_page, live_town.app, MODES["phone-fr"])
    page, say = person.page, person.say
    person.log_in(email)
    person.add_to_cart(cheese)
    person.place_the_order()
    stripe_page = page.url
    person.pay_by_card(DECLINED)
    expect(page.get_by_role("alert")).to_contain_text(STRIPE["fr"]["declined"])

    page.goto("/orders")  # the resident leaves Stripe's page without paying
    main = page.get_by_role("main")
    expect(main).to_contain_text(
        say("Waiting for payment: the products are reserved until you pay.")
    )
    expect(main).not_to_contain_text(say("Paid online."))
    person.press(main.get_by_role("link", name=say("Pay now")))
    expect(page).to_have_url(stripe_page)  # the same payment, not a second one

    checkout = last_checkout()
    order_id, session_id = checkout.orders[0].id, checkout.stripe_session_id
    db.session.rollback()
    live_town.stripe.v1.checkout.sessions.expire(session_id)  # Stripe gives the session up
    live_town.wait_for("checkout.session.expired", session_id)
    db.session.rollback()
    page.goto(f"/orders/{order_id}")
    expect(main).to_contain_text(say("Not paid: the reservation expired; nothing was charged."))
    expect(main).not_to_contain_text(say("Paid online."))
    expect(main.get_by_role("link", name=say("Pay now"))).to_have_count(0)
