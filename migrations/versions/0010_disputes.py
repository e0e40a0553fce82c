"""disputes and trusted account state (issue 13)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 22:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "disputes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("stripe_dispute_id", sa.String(255), nullable=False, unique=True),
        sa.Column("checkout_id", sa.Integer(), sa.ForeignKey("checkouts.id"), nullable=True),
        sa.Column("charge_id", sa.String(255), nullable=True),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(100), nullable=True),
        sa.Column("stripe_status", sa.String(40), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("funds_withdrawn", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_disputes_checkout_id", "disputes", ["checkout_id"])
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("dispute_status", sa.String(10), nullable=True))
        batch.add_column(
            sa.Column("disputed_cents", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    with op.batch_alter_table("shops") as batch:
        batch.add_column(
            sa.Column("stripe_account_synced_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("shops") as batch:
        batch.drop_column("stripe_account_synced_at")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("disputed_cents")
        batch.drop_column("dispute_status")
    op.drop_index("ix_disputes_checkout_id", table_name="disputes")
    op.drop_table("disputes")
