"""guest checkout: the contact of a buyer without an account (issue 15)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "guest_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkout_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("locale", sa.String(5), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["checkout_id"],
            ["checkouts.id"],
            name=op.f("fk_guest_contacts_checkout_id_checkouts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guest_contacts")),
        sa.UniqueConstraint("checkout_id", name=op.f("uq_guest_contacts_checkout_id")),
    )
    op.create_index("ix_guest_contacts_email", "guest_contacts", ["email"])


def downgrade():
    op.drop_index("ix_guest_contacts_email", table_name="guest_contacts")
    op.drop_table("guest_contacts")
