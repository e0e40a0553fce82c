"""Stored and reflected XSS: script in every text field, rendered escaped on every page and email;
spreadsheet formulas in every CSV export neutralised.

Every GET route of the url_map is fetched as each role (anonymous, the shopkeeper, the resident,
a curator), with the objects that hold the payloads; no HTML answer may contain the payload raw.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

from marketplace.accounts.models import CURATOR, RESIDENT, SHOPKEEPER
from marketplace.extensions import db
from marketplace.orders import emails
from shops.csv_io import FORMULA_START, PLAIN_NUMBER
from shops.models import Closure
from shops.status import transition_shop
from tests.conftest import csrf_token
from tests.factories import login, make_product, make_shop, make_user
from tests.orders.helpers import set_hours
from tests.security.world import _order

SCRIPT = "<script>alert('xss')</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = SCRIPT + IMG
RAW = (SCRIPT, "<img src=x onerror=alert(1)>")
FORMULA = '=HYPERLINK("http://evil.example","x")'


def stored_payloads(app):
    """Put the payload in every text field people type, through the services."""
    owner = make_user("owner@example.org", SHOPKEEPER, "Bob " + PAYLOAD)
    resident = make_user("rose@example.org", RESIDENT, "Rose " + PAYLOAD)
    curator = make_user("curator@example.org", CURATOR, "Claire")
    shop = make_shop(
        owner,
        name="Cave " + SCRIPT,
        description=PAYLOAD,
        address="1 rue " + PAYLOAD,
        city="Paris " + SCRIPT,
        website="https://example.org/" + IMG,
        pay_at_pickup=True,
        prep_minutes=0,
    )
    set_hours(shop)
    wine = make_product(shop, "Vin " + SCRIPT, 900, description=PAYLOAD, category=PAYLOAD, stock=5)
    make_product(shop, FORMULA, 500, description="@SUM(A1:A9)", sku="-2+3")
    make_shop(owner, name="+33 Cave =cmd", description="-", website="")  # open data CSV
    rejected = make_shop(owner, name="Épicerie " + IMG, published=False)
    transition_shop(rejected, "pending_review", None, None)
    transition_shop(rejected, "rejected", curator.id, PAYLOAD)
    start = date.today() + timedelta(days=40)
    db.session.add(Closure(shop_id=shop.id, starts_on=start, ends_on=start, reason=PAYLOAD))
    db.session.commit()
    _checkout, order = _order(resident, shop, wine)
    emails.send_order_confirmed(order)
    return owner, resident, curator, shop, wine, order


def url_values(rule, shop, wine, order) -> dict | None:
    known = {
        "slug": shop.slug,
        "product_id": wine.id,
        "product_slug": wine.slug,
        "order_id": order.id,
        "checkout_id": order.checkout_id,
        "shop_id": shop.id,
    }
    if rule.endpoint in ("static", "media.photo") or not set(rule.arguments) <= set(known):
        return None
    return {name: known[name] for name in rule.arguments}


def assert_escaped(label: str, body: str) -> None:
    for raw in RAW:
        assert raw not in body, f"{label}: unescaped {raw!r}"


def csv_cells(text: str) -> list[str]:
    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def test_payloads_are_escaped_on_every_page_email_and_export(app, client):
    owner, resident, curator, shop, wine, order = stored_payloads(app)
    clients = {"anonymous": client}
    for label, user in (("shopkeeper", owner), ("resident", resident), ("curator", curator)):
        clients[label] = app.test_client()
        login(clients[label], user)
    # The shop cancels the order with a reason: stored in the history, emailed to the resident.
    board = clients["shopkeeper"]
    token = csrf_token(board, f"/merchant/shops/{shop.slug}/orders/{order.id}")
    cancel = board.post(
        f"/merchant/shops/{shop.slug}/orders/{order.id}/cancel",
        data={"csrf_token": token, "reason": PAYLOAD},
    )
    assert cancel.status_code in (302, 303)

    pages = shown = 0
    csv_urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        values = url_values(rule, shop, wine, order)
        if values is None:
            continue
        url = app.url_map.bind("localhost").build(rule.endpoint, values)
        for label, browser in clients.items():
            response = browser.get(url)
            if response.mimetype not in ("text/csv", "text/html"):
                continue  # JSON, images, PDF statements: no page a browser renders as HTML
            body = response.get_data(as_text=True)
            if response.mimetype == "text/csv":
                csv_urls.add(url)
                for cell in csv_cells(body):
                    dangerous = cell.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(cell)
                    assert not dangerous, f"{label} {url}: formula cell {cell!r}"
            elif response.mimetype == "text/html":
                pages += 1
                shown += "&lt;script&gt;alert(" in body
                assert_escaped(f"{label} {url}", body)
    assert pages > 40 and shown > 10  # the payloads are there, escaped
    assert f"/merchant/shops/{shop.slug}/products/export.csv" in csv_urls, csv_urls

    # The product export keeps the formula as text, with its quote.
    export = board.get(f"/merchant/shops/{shop.slug}/products/export.csv").get_data(as_text=True)
    assert "'" + FORMULA.replace('"', '""') in export and "'@SUM(A1:A9)" in export
    assert "'-2+3" in export

    mails = sorted(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
    assert len(mails) >= 2  # confirmation, cancellation
    for path in mails:
        from email import message_from_bytes

        message = message_from_bytes(path.read_bytes())
        for part in message.walk():
            if part.get_content_type() == "text/html":
                assert_escaped(path.name, part.get_payload(decode=True).decode())


def test_reflected_input_is_escaped(app, client):
    make_product(make_shop(), "Baguette", 130)
    for url in (
        f"/search?q={PAYLOAD}",
        f"/search?q=pain&category={PAYLOAD}&sort={PAYLOAD}&shop={PAYLOAD}",
        f"/shops?category={PAYLOAD}&q={PAYLOAD}",
        f"/account/login?next={PAYLOAD}",
        f"/shops/{PAYLOAD}",
        f"/cart/?x={PAYLOAD}",
    ):
        response = client.get(url)
        assert response.status_code < 500, url
        assert_escaped(url, response.get_data(as_text=True))
    suggest = client.get("/search/suggest", query_string={"q": PAYLOAD})
    assert suggest.mimetype == "application/json"
