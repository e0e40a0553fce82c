"""retention (issue 17, privacy): account activity for the inactivity rule, daily search counts

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 00:40:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("deletion_warned_at", sa.DateTime(timezone=True), nullable=True))
    # Logins were not recorded before: the inactivity period of existing accounts starts now,
    # so nobody who logged in yesterday is warned on the day the policy starts.
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # UTCDateTime stores naive UTC on SQLite
    users = sa.table("users", sa.column("last_seen_at", sa.DateTime(timezone=True)))
    op.execute(users.update().values(last_seen_at=now))
    op.create_table(
        "search_log_daily",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("query", sa.String(200), nullable=False),
        sa.Column("searches", sa.Integer(), nullable=False),
        sa.Column("without_result", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_log_daily")),
        sa.UniqueConstraint("day", "query", name="uq_search_log_daily_day_query"),
    )
    op.create_index(op.f("ix_search_log_daily_day"), "search_log_daily", ["day"])


def downgrade():
    op.drop_index(op.f("ix_search_log_daily_day"), table_name="search_log_daily")
    op.drop_table("search_log_daily")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("deletion_warned_at")
        batch.drop_column("last_seen_at")
