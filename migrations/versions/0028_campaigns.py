"""town campaigns (issue 18): campaigns, opted-in shops, residents' caps, vouchers, redemptions

Revision ID: 0028
Revises: 0025
Create Date: 2026-12-06 00:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0028"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("budget_cents", sa.Integer(), nullable=False),
        sa.Column("spent_cents", sa.Integer(), nullable=False),
        sa.Column("released_cents", sa.Integer(), nullable=False),
        sa.Column("resident_cap_cents", sa.Integer(), nullable=True),
        sa.Column("voucher_face_cents", sa.Integer(), nullable=True),
        sa.Column("match_bps", sa.Integer(), nullable=True),
        sa.Column("match_order_cap_cents", sa.Integer(), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("postcodes", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("budget_cents > 0", name=op.f("ck_campaigns_budget_positive")),
        sa.CheckConstraint(
            "spent_cents + released_cents <= budget_cents", name=op.f("ck_campaigns_within_budget")
        ),
        sa.CheckConstraint(
            "spent_cents >= 0 AND released_cents >= 0", name=op.f("ck_campaigns_taken_non_negative")
        ),
        sa.CheckConstraint("starts_on <= ends_on", name=op.f("ck_campaigns_starts_before_ends")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_campaigns_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
        sa.UniqueConstraint("slug", name=op.f("uq_campaigns_slug")),
    )
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaigns_status"), ["status"], unique=False)

    op.create_table(
        "campaign_residents",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("spent_cents", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "spent_cents >= 0", name=op.f("ck_campaign_residents_spent_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_residents_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_campaign_residents_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("campaign_id", "user_id", name=op.f("pk_campaign_residents")),
    )
    with op.batch_alter_table("campaign_residents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_residents_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "campaign_shops",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("shop_id", sa.Integer(), nullable=False),
        sa.Column("opted_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_shops_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_campaign_shops_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("campaign_id", "shop_id", name=op.f("pk_campaign_shops")),
    )
    with op.batch_alter_table("campaign_shops", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_shops_shop_id"), ["shop_id"], unique=False)

    op.create_table(
        "voucher_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("face_cents", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_voucher_batches_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_voucher_batches_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voucher_batches")),
    )
    with op.batch_alter_table("voucher_batches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_voucher_batches_campaign_id"), ["campaign_id"], unique=False
        )

    op.create_table(
        "vouchers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("face_cents", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("redeemed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("face_cents > 0", name=op.f("ck_vouchers_face_positive")),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["voucher_batches.id"],
            name=op.f("fk_vouchers_batch_id_voucher_batches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_vouchers_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vouchers")),
        sa.UniqueConstraint("code", name=op.f("uq_vouchers_code")),
    )
    with op.batch_alter_table("vouchers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vouchers_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_vouchers_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_vouchers_status"), ["status"], unique=False)

    op.create_table(
        "campaign_redemptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("shop_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("voucher_id", sa.Integer(), nullable=True),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("returned_cents", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("collected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("statement_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "amount_cents > 0", name=op.f("ck_campaign_redemptions_amount_positive")
        ),
        sa.CheckConstraint(
            "returned_cents >= 0 AND returned_cents <= amount_cents",
            name=op.f("ck_campaign_redemptions_returned_within_amount"),
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_redemptions_campaign_id_campaigns"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_campaign_redemptions_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"], ["shops.id"], name=op.f("fk_campaign_redemptions_shop_id_shops")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_campaign_redemptions_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["voucher_id"],
            ["vouchers.id"],
            name=op.f("fk_campaign_redemptions_voucher_id_vouchers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_redemptions")),
        sa.UniqueConstraint(
            "campaign_id", "order_id", name="uq_campaign_redemptions_campaign_order"
        ),
    )
    with op.batch_alter_table("campaign_redemptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_redemptions_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_campaign_redemptions_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_campaign_redemptions_shop_id"), ["shop_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_campaign_redemptions_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_campaign_redemptions_user_id"), ["user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_campaign_redemptions_voucher_id"), ["voucher_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("campaign_redemptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_redemptions_voucher_id"))
        batch_op.drop_index(batch_op.f("ix_campaign_redemptions_user_id"))
        batch_op.drop_index(batch_op.f("ix_campaign_redemptions_status"))
        batch_op.drop_index(batch_op.f("ix_campaign_redemptions_shop_id"))
        batch_op.drop_index(batch_op.f("ix_campaign_redemptions_order_id"))
        batch_op.drop_index(batch_op.f("ix_campaign_redemptions_campaign_id"))

    op.drop_table("campaign_redemptions")
    with op.batch_alter_table("vouchers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vouchers_status"))
        batch_op.drop_index(batch_op.f("ix_vouchers_campaign_id"))
        batch_op.drop_index(batch_op.f("ix_vouchers_batch_id"))

    op.drop_table("vouchers")
    with op.batch_alter_table("voucher_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voucher_batches_campaign_id"))

    op.drop_table("voucher_batches")
    with op.batch_alter_table("campaign_shops", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_shops_shop_id"))

    op.drop_table("campaign_shops")
    with op.batch_alter_table("campaign_residents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_residents_user_id"))

    op.drop_table("campaign_residents")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaigns_status"))

    op.drop_table("campaigns")
