"""production (issue 9) and accessibility (issue 8)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 11:05:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    # Issue 9, load: a counter bumped in the same transaction as any change to a shop, its
    # hours, closures, products or photos; the public page cache is keyed on it.
    with op.batch_alter_table("shops") as batch:
        batch.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    # The cache's per-request check reads a shop's sold-out products: a tiny partial index.
    op.create_index(
        "ix_products_sold_out",
        "products",
        ["shop_id"],
        postgresql_where=sa.text("stock = 0"),
        sqlite_where=sa.text("stock = 0"),
    )


def downgrade():
    op.drop_index("ix_products_sold_out", table_name="products")
    with op.batch_alter_table("shops") as batch:
        batch.drop_column("version")
