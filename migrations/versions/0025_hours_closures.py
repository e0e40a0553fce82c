"""opening hours (issue 17): extra OSM rules, closed on public holidays, part-day closures

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 22:15:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("shops") as batch:
        batch.add_column(
            sa.Column("hours_rules", sa.String(300), nullable=False, server_default=sa.text("''"))
        )
        batch.add_column(
            sa.Column("closed_on_holidays", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("closures") as batch:
        batch.add_column(sa.Column("starts_time", sa.Time(), nullable=True))
        batch.add_column(sa.Column("ends_time", sa.Time(), nullable=True))


def downgrade():
    with op.batch_alter_table("closures") as batch:
        batch.drop_column("ends_time")
        batch.drop_column("starts_time")
    with op.batch_alter_table("shops") as batch:
        batch.drop_column("closed_on_holidays")
        batch.drop_column("hours_rules")
