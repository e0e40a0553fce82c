"""mixed carts: the online checkout points at the counter part placed with it (issue 15)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    # One checkout form may place two checkouts: the shops paid online (one Stripe payment) and
    # the shops paid at the counter (confirmed at once). NULL when the cart was paid one way.
    with op.batch_alter_table("checkouts") as batch:
        batch.add_column(sa.Column("counter_part_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_checkouts_counter_part_id_checkouts"),
            "checkouts",
            ["counter_part_id"],
            ["id"],
        )
        batch.create_unique_constraint(batch.f("uq_checkouts_counter_part_id"), ["counter_part_id"])


def downgrade():
    with op.batch_alter_table("checkouts") as batch:
        batch.drop_constraint(batch.f("uq_checkouts_counter_part_id"), type_="unique")
        batch.drop_constraint(batch.f("fk_checkouts_counter_part_id_checkouts"), type_="foreignkey")
        batch.drop_column("counter_part_id")
