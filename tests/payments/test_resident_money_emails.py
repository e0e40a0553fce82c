"""The resident hears of their money: each refund with its amount and reason, in their language."""

from __future__ import annotations

from tests.conftest import outbox
from tests.payments.town import hand_over, paid_cart, refund_at_counter, subjects_to


def test_a_refund_email_gives_the_amount_and_the_reason(town):
    _, checkout = paid_cart(town)
    bread = checkout.orders[0]
    hand_over(town, bread)
    refund_at_counter(town, bread, "1,50", "Pain trop cuit")
    subjects = subjects_to(town.app, "camille@example.org")
    assert f"Boulangerie Moreau refunds part of order #{bread.id}" in subjects
    mail = next(m for m in outbox(town.app) if "refunds part of order" in m)
    assert "€1.50" in mail and "Pain trop cuit" in mail
    assert "card you paid with" in mail


def test_collection_sends_an_itemised_receipt_with_the_shop_s_legal_details(town):
    _, checkout = paid_cart(town)
    bread = checkout.orders[0]
    bread.shop.siret = "73282932000074"
    from marketplace.extensions import db

    db.session.commit()
    hand_over(town, bread)
    subjects = subjects_to(town.app, "camille@example.org")
    assert f"Your receipt from Boulangerie Moreau, order #{bread.id}" in subjects
    mail = next(m for m in outbox(town.app) if "Your receipt from" in m)
    line = bread.lines[0]
    assert f"{line.quantity} × {line.name}" in mail
    assert "SIRET: 73282932000074" in mail and bread.shop.address in mail
    assert "card, online" in mail
