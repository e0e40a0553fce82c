"""campaign statements (issue 18): monthly statements per shop and campaign, frozen lines

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 00:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "campaign_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("shop_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("order_count", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("campaign_name", sa.String(length=120), nullable=False),
        sa.Column("town_name", sa.String(length=200), nullable=False),
        sa.Column("town_siret", sa.String(length=14), nullable=False),
        sa.Column("town_address", sa.String(length=300), nullable=False),
        sa.Column("shop_name", sa.String(length=300), nullable=False),
        sa.Column("shop_siret", sa.String(length=14), nullable=False),
        sa.Column("shop_address", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_statements_campaign_id_campaigns"),
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["users.id"],
            name=op.f("fk_campaign_statements_issued_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.id"], name=op.f("fk_campaign_statements_shop_id_shops")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_statements")),
        sa.UniqueConstraint("campaign_id", "shop_id", "month", name="uq_campaign_statements_month"),
        sa.UniqueConstraint("number", name=op.f("uq_campaign_statements_number")),
    )
    with op.batch_alter_table("campaign_statements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_statements_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_campaign_statements_shop_id"), ["shop_id"], unique=False
        )

    op.create_table(
        "campaign_statement_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("redemption_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("collected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("order_total_cents", sa.Integer(), nullable=False),
        sa.Column("town_cents", sa.Integer(), nullable=False),
        sa.Column("returned_cents", sa.Integer(), nullable=False),
        sa.Column("owed_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["redemption_id"],
            ["campaign_redemptions.id"],
            name=op.f("fk_campaign_statement_lines_redemption_id_campaign_redemptions"),
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["campaign_statements.id"],
            name=op.f("fk_campaign_statement_lines_statement_id_campaign_statements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_statement_lines")),
    )
    with op.batch_alter_table("campaign_statement_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_statement_lines_redemption_id"), ["redemption_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_campaign_statement_lines_statement_id"), ["statement_id"], unique=False
        )

    # 0028 left the redemption's statement_id a plain column: its table exists from here on.
    with op.batch_alter_table("campaign_redemptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_redemptions_statement_id"), ["statement_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_campaign_redemptions_statement_id_campaign_statements"),
            "campaign_statements",
            ["statement_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("campaign_redemptions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_campaign_redemptions_statement_id_campaign_statements"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_campaign_redemptions_statement_id"))
    with op.batch_alter_table("campaign_statement_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_statement_lines_statement_id"))
        batch_op.drop_index(batch_op.f("ix_campaign_statement_lines_redemption_id"))
    op.drop_table("campaign_statement_lines")
    with op.batch_alter_table("campaign_statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_statements_shop_id"))
        batch_op.drop_index(batch_op.f("ix_campaign_statements_campaign_id"))
    op.drop_table("campaign_statements")
