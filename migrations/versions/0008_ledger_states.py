"""ledger states planned/sent, refund form tokens, reversal parents (issue 13)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ledger_entries") as batch:
        batch.add_column(sa.Column("request_token", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch.create_unique_constraint(
            batch.f("uq_ledger_entries_request_token"), ["request_token"]
        )
        batch.create_foreign_key(
            batch.f("fk_ledger_entries_parent_id_ledger_entries"),
            "ledger_entries",
            ["parent_id"],
            ["id"],
        )
    # A "pending" row was never sure to have reached Stripe, and a "failed" one may have been a
    # timeout: both are "sent" now, so that they are looked up at Stripe before any retry.
    op.execute("UPDATE ledger_entries SET status = 'sent' WHERE status IN ('pending', 'failed')")


def downgrade():
    op.execute("UPDATE ledger_entries SET status = 'pending' WHERE status IN ('planned', 'sent')")
    with op.batch_alter_table("ledger_entries") as batch:
        batch.drop_constraint(
            batch.f("fk_ledger_entries_parent_id_ledger_entries"), type_="foreignkey"
        )
        batch.drop_constraint(batch.f("uq_ledger_entries_request_token"), type_="unique")
        batch.drop_column("parent_id")
        batch.drop_column("request_token")
