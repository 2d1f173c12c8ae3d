"""daily pre-aggregated ticket statistics and ticket-data retention

`daily_ticket_stats` holds the supervisor's figures of each closed day and month
(kiosk/services/daily_stats.py): derived data, rebuilt from the tickets when missing, never
replicated. Once the retention purge (`ticket_retention_days`) has removed a day's tickets its
rows are `frozen`: they are then the only record of that day's figures.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_ticket_stats",
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.Column("header", sa.Text(), nullable=False),
        sa.Column("samples", sa.LargeBinary(), nullable=False),
        sa.Column("frozen", sa.Boolean(), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"]),
        sa.PrimaryKeyConstraint("office_id", "period", "start"),
    )


def downgrade() -> None:
    op.drop_table("daily_ticket_stats")
