"""Idempotency keys: each deployment its own prefix; each ledger row one key through one state machine."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.app import create_app
from marketplace.extensions import db
from payments.keys import idempotency_prefix, new_idempotency_key
from payments.ledger_states import InvalidLedgerTransition, move_entry
from payments.models import LedgerEntry
from tests.payments.refund_helpers import bakery_transfer, collected_bread, refunds_at_stripe
from tests.payments.town import refund_at_counter


def prefix_of(tmp_path, instance: str, **settings) -> str:
    """The prefix an app on `instance` (a folder under tmp_path) uses."""
    app = create_app("testing", {"INSTANCE_PATH": str(tmp_path / instance), **settings})
    with app.app_context():
        return idempotency_prefix()


def test_two_environments_never_share_a_key_prefix(tmp_path):
    laptop, staging = prefix_of(tmp_path, "laptop"), prefix_of(tmp_path, "staging")
    assert laptop != staging
    assert laptop.startswith("vitrine-")
    assert prefix_of(tmp_path, "laptop") == laptop  # kept in instance/: stable across restarts
    assert prefix_of(tmp_path, "ci", DEPLOYMENT_ID="ci-42") == "vitrine-ci-42"
    named = prefix_of(tmp_path, "ci", DEPLOYMENT_ID="ci-42", STRIPE_IDEMPOTENCY_PREFIX="town-b")
    assert named == "town-b"


def test_each_new_row_gets_a_key_of_its_own(app):
    app.config["STRIPE_IDEMPOTENCY_PREFIX"] = "town-b"
    keys = {new_idempotency_key("refund", 7) for _ in range(50)}
    assert len(keys) == 50
    assert all(key.startswith("town-b-refund-order-7-") for key in keys)


@pytest.mark.parametrize(
    "town_settings", [{"STRIPE_IDEMPOTENCY_PREFIX": "staging-paris11"}], ids=["staging"]
)
def test_the_keys_sent_to_stripe_carry_the_deployment_prefix(town):
    checkout, bread = collected_bread(town)
    refund_at_counter(town, bread, "2,00", "Une baguette manquait.")
    assert refunds_at_stripe(town, checkout) == [200]

    rows = db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).all()
    assert [(r.kind, r.status) for r in rows] == [
        ("transfer", "succeeded"),
        ("refund", "succeeded"),
        ("reversal", "succeeded"),
    ]
    assert all(r.idempotency_key.startswith("staging-paris11-") for r in rows)
    transfer = bakery_transfer(town, checkout, bread)
    assert transfer.metadata["ledger_key"] == rows[0].idempotency_key
    [refund] = town.stripe.v1.refunds.list({"payment_intent": checkout.stripe_payment_intent_id})
    assert refund.metadata["ledger_key"] == rows[1].idempotency_key

    # A row that Stripe answered never moves again: its key keeps its one set of parameters.
    for row in rows:
        for target in ("planned", "sent", "failed"):
            with pytest.raises(InvalidLedgerTransition):
                move_entry(row, target)
