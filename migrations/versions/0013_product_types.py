"""product types and shop specialities (issue 14)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("product_type", sa.String(40), nullable=True))
    op.create_index("ix_products_product_type", "products", ["product_type"])
    with op.batch_alter_table("shops") as batch:
        batch.add_column(
            sa.Column("specialities", sa.String(300), nullable=False, server_default=sa.text("''"))
        )


def downgrade():
    with op.batch_alter_table("shops") as batch:
        batch.drop_column("specialities")
    op.drop_index("ix_products_product_type", table_name="products")
    with op.batch_alter_table("products") as batch:
        batch.drop_column("product_type")
