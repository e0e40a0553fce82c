"""one checkout per checkout form (issue 13, double submit)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    # The one-time token of the checkout form: a second POST of the same form finds the
    # checkout the first one made instead of placing the orders again. NULL for older rows.
    with op.batch_alter_table("checkouts") as batch:
        batch.add_column(sa.Column("form_token", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(batch.f("uq_checkouts_form_token"), ["form_token"])


def downgrade():
    with op.batch_alter_table("checkouts") as batch:
        batch.drop_constraint(batch.f("uq_checkouts_form_token"), type_="unique")
        batch.drop_column("form_token")
