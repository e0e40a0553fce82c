"""Order emails reach each person in their language, as plain text and HTML, with the pickup code."""

from email import message_from_bytes
from pathlib import Path

from babel.dates import format_datetime
from flask_babel import force_locale

from marketplace.extensions import db
from marketplace.money import format_money
from marketplace.orders import emails, operations
from marketplace.templating import local_datetime
from tests.conftest import outbox
from tests.orders.helpers import PARIS, make_order


def send_every_email(order) -> None:
    """Walk an order through the emails of its life: confirmed, ready, reminder, cancelled."""
    emails.send_order_confirmed(order)
    operations.mark_ready(order, order.shop.owner_id)  # a job skips an email the order outgrew
    db.session.commit()
    emails.send_order_ready(order)
    emails.send_pickup_reminder(order)
    operations.cancel_by_shop(order, order.shop.owner_id, "Four en panne.")
    db.session.commit()
    emails.send_order_cancelled(order, "Four en panne.", by_shop=True)
    emails.send_order_cancelled(order, None, by_shop=False)


def subjects(app) -> list[tuple[str, str]]:
    return [tuple(m.split("\n")[:2]) for m in outbox(app)]


def with_locale(order, locale: str | None):
    order.customer.locale = locale
    order.shop.owner.locale = locale
    db.session.commit()
    return order


def test_a_resident_who_reads_english_gets_english_emails(app):
    order = with_locale(make_order("confirmed"), "en")
    n, shop = order.id, "Fromagerie B"

    send_every_email(order)

    alice, owner = "To: alice@example.org", f"To: {order.shop.owner.email}"
    assert subjects(app) == [
        (alice, f"Subject: Your order at {shop} is confirmed"),
        (owner, f"Subject: New order #{n}"),
        (alice, f"Subject: Your order at {shop} is ready"),
        (alice, f"Subject: Today: collect your order at {shop}"),
        (alice, f"Subject: Your order at {shop} is cancelled"),
        (alice, f"Subject: Your order at {shop} is cancelled"),
        (owner, f"Subject: Order #{n} was cancelled"),
    ]
    confirmed, new, ready, reminder, cancelled, *_ = outbox(app)
    code = order.display_code
    assert "Hello Alice," in confirmed
    assert f"Show this pickup code at the counter: {code}" in confirmed
    assert f"Pickup code: {code}" in ready and f"Pickup code: {code}" in reminder
    assert "Reason: Four en panne." in cancelled
    assert f"2 × Brie de Meaux: {format_money(1300, 'en')}" in new
    when = format_datetime(order.pickup_starts_at, "EEEE d MMMM, HH:mm", tzinfo=PARIS, locale="en")
    assert f"Pickup: {when}" in confirmed


def test_each_email_has_a_plain_text_and_an_html_part_with_the_qr_code(app):
    order = with_locale(make_order("confirmed"), "en")
    emails.send_order_confirmed(order)
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    for path in folder.glob("*.eml"):
        message = message_from_bytes(path.read_bytes())
        types = {part.get_content_type() for part in message.walk()}
        assert {"text/plain", "text/html"} <= types
    to_alice = next(folder.glob("*alice@example.org.eml"))
    html = next(
        p.get_payload(decode=True).decode()
        for p in message_from_bytes(to_alice.read_bytes()).walk()
        if p.get_content_type() == "text/html"
    )
    assert 'src="data:image/png;base64,' in html and order.display_code in html


def test_a_resident_with_no_language_set_gets_french_dates_and_amounts(app):
    order = with_locale(make_order("confirmed"), None)
    emails.send_order_confirmed(order)
    [to_alice] = [m for m in outbox(app) if m.startswith("To: alice@")]
    with app.test_request_context(), force_locale("fr"):
        when = local_datetime(order.pickup_starts_at)  # tests/test_dates.py checks the format
    assert when in to_alice  # e.g. "samedi 28 novembre à 10:00"
    assert format_money(1300, "fr") in to_alice  # "13,00 €" (narrow no-break space)


def test_a_resident_with_no_language_set_gets_french_emails(app):
    order = with_locale(make_order("confirmed"), None)
    n, shop = order.id, "Fromagerie B"

    send_every_email(order)

    assert [s for _, s in subjects(app)] == [
        f"Subject: Votre commande chez {shop} est confirmée",
        f"Subject: Nouvelle commande n° {n}",
        f"Subject: Votre commande chez {shop} est prête",
        f"Subject: Aujourd'hui\u202f: retirez votre commande chez {shop}",
        f"Subject: Votre commande chez {shop} est annulée",
        f"Subject: Votre commande chez {shop} est annulée",
        f"Subject: La commande n° {n} a été annulée",
    ]
    confirmed = outbox(app)[0]
    assert "Bonjour Alice," in confirmed
    assert f"Montrez ce code de retrait au comptoir\u202f: {order.display_code}" in confirmed
