"""The shopkeeper's Payments page and monthly statement (CSV, PDF): per order what was paid,
kept as fees, refunded, transferred and taken back, with totals equal to the ledger's."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from marketplace.accounts.models import SHOPKEEPER
from marketplace.extensions import db
from marketplace.orders.models import AT_PICKUP, ONLINE, Checkout, Order, OrderEvent
from marketplace.orders.status import COLLECTED, READY, REFUNDED
from payments.ledger import order_share
from payments.models import REFUND, REVERSAL, SUCCEEDED, TRANSFER, LedgerEntry
from payments.statement import monthly_statement
from payments.statement_files import statement_pdf
from tests.conftest import english_client, page_text
from tests.factories import login, make_shop, make_user
from tests.payments.conftest import pay
from tests.payments.test_disputes import send_dispute_event, stripe_net
from tests.payments.town import (
    VISA,
    check_out,
    fill_cart,
    hand_over,
    last_checkout,
    refund_at_counter,
    resident,
)

_keys = itertools.count(1)
MARCH = datetime(2025, 3, 12, 10, 30, tzinfo=UTC)


def _checkout(total: int, method: str, paid_at, fee: int | None) -> Checkout:
    """A completed checkout; online, its charge is known when Stripe's `fee` is."""
    online = method == ONLINE
    checkout = Checkout(
        total_cents=total,
        method=method,
        status="completed",
        paid_at=paid_at if online else None,
        stripe_payment_intent_id=f"pi_{next(_keys)}" if online else None,
        stripe_charge_id=f"ch_{next(_keys)}" if fee is not None else None,
        stripe_fee_cents=fee,
    )
    db.session.add(checkout)
    db.session.flush()
    return checkout


def make_orders(checkout: Checkout, shops_totals, status: str = COLLECTED) -> list[Order]:
    """One order per (shop, total) in `checkout`, pickup one day after it was paid."""
    orders = []
    for shop, total in shops_totals:
        start = (checkout.paid_at or MARCH) + timedelta(days=1)
        order = Order(
            checkout_id=checkout.id,
            shop_id=shop.id,
            status=status,
            pickup_starts_at=start,
            pickup_ends_at=start + timedelta(minutes=30),
            pickup_code="ABC123",
            total_cents=total,
        )
        db.session.add(order)
        orders.append(order)
    db.session.flush()
    return orders


def ledger(order: Order, kind: str, amount: int, status: str = SUCCEEDED, **values) -> None:
    """A ledger row of the order, as the money path writes it."""
    db.session.add(
        LedgerEntry(
            order_id=order.id,
            kind=kind,
            amount_cents=amount,
            status=status,
            idempotency_key=f"test-{kind}-{next(_keys)}",
            **values,
        )
    )
    db.session.flush()


def counter_order(shop, total: int, collected_at: datetime) -> Order:
    """An order paid at the counter, collected at `collected_at`."""
    (order,) = make_orders(_checkout(total, AT_PICKUP, None, None), [(shop, total)])
    db.session.add(
        OrderEvent(
            order_id=order.id, from_status=READY, to_status=COLLECTED, created_at=collected_at
        )
    )
    db.session.flush()
    return order


@pytest.fixture
def march(app):
    """Two shops sharing a card payment in March 2025, a refund, a dispute, a counter sale."""
    app.config.update(PLATFORM_FEE_BPS=500, STRIPE_FEES_PAID_BY="shop")
    bakery = make_shop(name="Boulangerie Moreau", siret="73282932000074")
    cheese = make_shop(name="Fromagerie Oberkampf")
    # 31,80 € for both shops; Stripe took 73 cents, shared 900:2280 -> 21 + 52.
    bread, _ = make_orders(_checkout(3180, ONLINE, MARCH, 73), [(bakery, 900), (cheese, 2280)])
    ledger(bread, TRANSFER, 900 - 45 - 21, updated_at=MARCH + timedelta(days=1))
    ledger(bread, REFUND, 300)
    ledger(bread, REVERSAL, 300)
    # 4,50 €, its dispute lost: the whole share taken back.
    (bun,) = make_orders(_checkout(450, ONLINE, MARCH + timedelta(days=2), 32), [(bakery, 450)])
    bun.dispute_status, bun.disputed_cents = "lost", 450
    ledger(bun, TRANSFER, 450 - 23 - 32)
    ledger(bun, REVERSAL, 450 - 23 - 32)
    # Stripe's fee not known yet (counted 0: the page never asks Stripe), a transfer that
    # failed (retried later): not counted.
    (cake,) = make_orders(
        _checkout(1200, ONLINE, MARCH + timedelta(days=3), None), [(bakery, 1200)]
    )
    ledger(cake, TRANSFER, 1200 - 60, status="failed")
    counter_order(bakery, 650, MARCH + timedelta(days=4))
    db.session.commit()
    return bakery, (bread, bun, cake)


def owner_browser(app, shop):
    """The shop owner's English-speaking browser, logged in."""
    browser = english_client(app)
    login(browser, shop.owner)
    return browser


def test_the_payments_page_lists_each_order_s_money_and_the_totals(app, march):
    bakery, (bread, bun, cake) = march
    page = owner_browser(app, bakery).get(
        f"/merchant/shops/{bakery.slug}/payments/orders?month=2025-03"
    )
    text = page_text(page)
    assert page.status_code == 200
    assert "March 2025" in text
    for order in (bread, bun, cake):
        assert f'/merchant/shops/{bakery.slug}/orders/{order.id}">Order #{order.id}</a>' in text
    assert "€0.52" not in text  # the other shop's share of Stripe's fee is not ours
    assert "€0.21" in text and "€0.45" in text  # bread: Stripe fee share, platform fee 5 %
    assert "Lost (€4.50)" in text
    assert "Not sent: the town's office follows it up" in text
    # Totals: paid 25,50 €; transferred 8,34 + 3,95; reversed 3,00 + 3,95; net 5,34 €.
    footer = text.split("<tfoot>")[1].split("</tfoot>")[0]
    for amount in ("€25.50", "€12.29", "€6.95", "€5.34", "€3.00"):
        assert amount in footer
    counter = text.split('id="counter-title"')[1]
    assert "€6.50" in counter
    assert ">Payments</a>" in text  # in the shop's menu


def test_the_statement_totals_equal_the_ledger_and_the_fees_match_the_payout_split(app, march):
    bakery, orders = march
    statement = monthly_statement(bakery, date(2025, 3, 1))
    assert [r.order.id for r in statement.online] == [o.id for o in orders]
    assert len(statement.counter) == 1
    t = statement.online_totals
    assert (t["transfers"], t["reversals"], t["net"]) == (834 + 395, 300 + 395, 534)
    assert (t["refunds"], t["disputed"], t["amount"]) == (300, 450, 2550)
    for row in statement.online[:2]:  # the two whose fee Stripe told us
        share = order_share(row.order)
        assert (row.stripe_fee, row.platform_fee) == (share["stripe_fee"], share["platform_fee"])


def test_an_order_paid_late_at_night_belongs_to_the_town_s_month(app):
    shop = make_shop()
    # 31 March 22:30 UTC is 1 April 00:30 in Paris.
    late = datetime(2025, 3, 31, 22, 30, tzinfo=UTC)
    make_orders(_checkout(500, ONLINE, late, 0), [(shop, 500)])
    counter_order(shop, 700, late)
    db.session.commit()
    assert monthly_statement(shop, date(2025, 3, 1)).is_empty
    april = monthly_statement(shop, date(2025, 4, 1))
    assert (len(april.online), len(april.counter)) == (1, 1)


def test_an_empty_month_says_so_in_the_page_and_the_pdf(app):
    shop = make_shop(name="Librairie Vide")
    browser = owner_browser(app, shop)
    page = browser.get(f"/merchant/shops/{shop.slug}/payments/orders?month=2024-11")
    assert "No order was paid this month." in page_text(page)
    assert "<table" not in page_text(page)
    pdf = browser.get(f"/merchant/shops/{shop.slug}/payments/statement.pdf?month=2024-11")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")


def test_the_page_opens_on_the_current_month_with_a_link_to_the_previous_one(app):
    shop = make_shop()
    text = page_text(owner_browser(app, shop).get(f"/merchant/shops/{shop.slug}/payments/orders"))
    today = datetime.now(ZoneInfo(app.config["TIMEZONE"])).date().replace(day=1)
    before = (today - timedelta(days=1)).strftime("%Y-%m")
    assert f"payments/orders?month={before}" in text
    assert "Next month" not in text  # the future has no statement


@pytest.mark.parametrize("month", ["2025-13", "march", "2025-3", "99999-01", "2025-03-01"])
def test_a_month_written_wrong_is_a_400_with_the_expected_form(app, month):
    shop = make_shop()
    page = owner_browser(app, shop).get(
        f"/merchant/shops/{shop.slug}/payments/orders?month={month}"
    )
    assert page.status_code == 400
    assert "YYYY-MM" in page_text(page)


@pytest.mark.parametrize(
    "path", ["orders", "statement.csv", "statement.pdf"], ids=["page", "csv", "pdf"]
)
def test_another_shopkeeper_or_a_resident_cannot_read_a_shop_s_payments(app, march, path):
    bakery, _ = march
    url = f"/merchant/shops/{bakery.slug}/payments/{path}?month=2025-03"
    rival = english_client(app)
    login(rival, make_user("rival@example.org", SHOPKEEPER, "Rival"))
    assert rival.get(url).status_code == 404
    neighbour = english_client(app)
    login(neighbour, make_user("neighbour@example.org"))
    assert neighbour.get(url).status_code == 403
    assert english_client(app).get(url).status_code == 302  # to the login page


def test_the_csv_statement_is_french_excel_friendly_with_the_page_s_totals(app, march):
    bakery, (bread, _, _) = march
    browser = owner_browser(app, bakery)
    url = f"/merchant/shops/{bakery.slug}/payments/statement.csv?month=2025-03"
    french = browser.get(url + "&format=fr")
    assert french.headers["Content-Disposition"] == (
        f'attachment; filename="{bakery.slug}-payments-2025-03.csv"'
    )
    assert french.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(french.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == str(bread.id) and rows[1][3] == "9,00"
    totals = next(r for r in rows if r[0] == "Total paid online")
    # amount, Stripe fee, platform fee, refunds ... transferred, reversed ... disputed, net
    assert totals[3:7] == ["25,50", "0,53", "1,28", "3,00"]
    assert (totals[9], totals[10], totals[12], totals[13]) == ("12,29", "6,95", "4,50", "5,34")
    counter = next(r for r in rows if r[0] == "Total paid at the counter")
    assert counter[3] == "6,50"
    english = browser.get(url + "&format=en").data.decode("utf-8-sig")
    assert english.splitlines()[0].startswith("Order,Payment,Date,Amount paid")
    assert ",25.50," in english


def test_the_pdf_statement_names_the_shop_and_shows_the_totals(app, march):
    bakery, _ = march
    browser = owner_browser(app, bakery)
    sent = browser.get(f"/merchant/shops/{bakery.slug}/payments/statement.pdf?month=2025-03")
    assert sent.status_code == 200 and sent.mimetype == "application/pdf"
    assert sent.data.startswith(b"%PDF-") and len(sent.data) > 1500
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        plain = statement_pdf(monthly_statement(bakery, date(2025, 3, 1)), compress=False)
    for text in (
        "Boulangerie Moreau",
        "SIRET : 73282932000074",
        "12 rue Oberkampf",
        "75011 Paris",
        "mars 2025",
        "25,50 \u20ac",  # paid online
        "5,34 \u20ac",  # net paid to the shop
        "6,50 \u20ac",  # at the counter
    ):
        assert text.encode("cp1252") in plain, text


# The whole money path over the Stripe emulator: the statement adds up to the ledger and Stripe.


def _pay(town, browser, product, quantity: int) -> Checkout:
    fill_cart(browser, {product: quantity})
    sent = check_out(browser)
    checkout = last_checkout()
    assert pay(sent.headers["Location"], VISA).status_code == 303
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)
    return db.session.get(Checkout, checkout.id)


@pytest.mark.parametrize("town_settings", [{"PLATFORM_FEE_BPS": 500}], ids=["town-takes-5%"])
def test_a_month_of_collections_refunds_and_a_lost_dispute_adds_up_to_the_ledger(town):
    shop, (bread,) = town.connected_shop("Boulangerie Moreau", {"Pain au levain": (450, 20)})
    browser = town.browser(resident())
    collected = _pay(town, browser, bread, 2)
    refunded = _pay(town, browser, bread, 2)
    disputed = _pay(town, browser, bread, 1)
    for checkout in (collected, refunded, disputed):
        hand_over(town, checkout.orders[0])
    refund_at_counter(town, refunded.orders[0], "3,00", "Pain trop cuit")
    for event, status in (
        ("charge.dispute.created", "needs_response"),
        ("charge.dispute.funds_withdrawn", "needs_response"),
        ("charge.dispute.closed", "lost"),
    ):
        send_dispute_event(town, disputed, event, status)
    fill_cart(browser, {bread: 1})
    assert check_out(browser, "at_pickup").status_code == 303
    at_counter = last_checkout().orders[0]
    hand_over(town, at_counter)
    refund_at_counter(town, at_counter, "1,00", "Oubli")

    month = collected.paid_at.astimezone(ZoneInfo("Europe/Paris")).strftime("%Y-%m")
    statement = monthly_statement(shop, date.fromisoformat(f"{month}-01"))
    rows = db.session.scalars(
        select(LedgerEntry)
        .join(Order)
        .where(Order.shop_id == shop.id, LedgerEntry.status == SUCCEEDED)
    ).all()

    def ledger_sum(kind: str) -> int:
        return sum(r.amount_cents for r in rows if r.kind == kind)

    t, c = statement.online_totals, statement.counter_totals
    assert len(statement.online) == 3 and len(statement.counter) == 1
    assert t["transfers"] == ledger_sum(TRANSFER) > 0
    assert t["reversals"] == ledger_sum(REVERSAL) > 300
    assert t["refunds"] + c["refunds"] == ledger_sum(REFUND) == 400
    assert t["net"] == sum(stripe_net(town, x) for x in (collected, refunded, disputed))
    assert [r.dispute_status for r in statement.online] == [None, None, "lost"]
    assert db.session.get(Order, refunded.orders[0].id).status == REFUNDED

    owner = town.browser(shop.owner)
    for fmt, sep in (("fr", ";"), ("en", ",")):
        data = owner.get(
            f"/merchant/shops/{shop.slug}/payments/statement.csv?month={month}&format={fmt}"
        )
        table = list(csv.reader(io.StringIO(data.data.decode("utf-8-sig")), delimiter=sep))
        totals = next(r for r in table if r[0] == "Total paid online")
        decimal = "," if fmt == "fr" else "."
        expected = [t["transfers"], t["reversals"], t["net"]]
        assert [totals[9], totals[10], totals[13]] == [
            f"{v // 100}{decimal}{v % 100:02d}" for v in expected
        ]
    pdf = owner.get(f"/merchant/shops/{shop.slug}/payments/statement.pdf?month={month}")
    assert pdf.data.startswith(b"%PDF-")
    with town.app.test_request_context(headers={"Accept-Language": "en"}):
        plain = statement_pdf(statement, compress=False)
    assert f"\u20ac{t['net'] // 100}.{t['net'] % 100:02d}".encode("cp1252") in plain


def test_a_long_month_spreads_over_pages_and_any_shop_name_prints(app):
    shop = make_shop(name="Café ☕ Œuvre — “Chez Zoë”", address="3 place de l’Église")
    for day in range(60):
        paid = MARCH + timedelta(hours=day)
        (order,) = make_orders(_checkout(1234, ONLINE, paid, 44), [(shop, 1234)])
        ledger(order, TRANSFER, 1234 - 44)
    db.session.commit()
    pdf = owner_browser(app, shop).get(
        f"/merchant/shops/{shop.slug}/payments/statement.pdf?month=2025-03"
    )
    assert pdf.status_code == 200 and pdf.data.count(b"/Type /Page\n") >= 2
    with app.test_request_context():
        plain = statement_pdf(monthly_statement(shop, date(2025, 3, 1)), compress=False)
    assert "Café ? Œuvre — “Chez Zoë”".encode("cp1252") in plain  # no glyph for ☕: "?"
    assert "3 place de l’Église".encode("cp1252") in plain


def test_the_page_speaks_french_to_a_french_shopkeeper(app, march):
    bakery, _ = march
    browser = app.test_client()  # French is the default language
    login(browser, bakery.owner)
    text = page_text(browser.get(f"/merchant/shops/{bakery.slug}/payments/orders?month=2025-03"))
    assert ">Paiements</a>" in text and "mars 2025" in text
    assert "Commandes payées en ligne" in text and "Perdu (4,50\u202f€)" in text
    empty = browser.get(f"/merchant/shops/{bakery.slug}/payments/orders?month=2025-02")
    assert "Aucune commande n'a été payée ce mois-ci." in page_text(empty)
