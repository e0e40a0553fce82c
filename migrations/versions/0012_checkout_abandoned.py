"""checkouts given up by the resident before paying (issue 15)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 23:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("checkouts") as batch:
        batch.add_column(sa.Column("abandoned_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("checkouts") as batch:
        batch.drop_column("abandoned_at")
