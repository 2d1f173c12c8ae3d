"""Supervisor statistics: the clerk of each ticket, citizens' ratings, resolved-by-date index

`tickets.user_id` is the clerk logged in at the counter that last called or served the ticket
(tickets before this revision have none). `ratings` holds one 1-5 score per finished ticket and
is replicated to central like the other office facts.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from kiosk.storage.replication import install_capture_triggers

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch rebuild): the tickets' triggers and rowids stay as they are.
    op.add_column("tickets", sa.Column("user_id", sa.String(length=36), nullable=True))
    op.create_index("ix_expedientes_decided", "expedientes", ["decided_at"])
    op.create_table(
        "ratings",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("counter_number", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="ck_ratings_score"),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"]),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id"),
    )
    op.create_index("ix_ratings_business_date", "ratings", ["business_date"])
    # The outbox triggers of `tickets` must carry the new column, and `ratings` needs its own.
    install_capture_triggers(op.get_bind())


def downgrade() -> None:
    for name in ("sync_ratings_ai", "sync_ratings_au", "sync_ratings_ad"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_ratings_business_date", table_name="ratings")
    op.drop_table("ratings")
    op.drop_index("ix_expedientes_decided", table_name="expedientes")
    with op.batch_alter_table("tickets") as batch:  # rebuilds the table, dropping triggers
        batch.drop_column("user_id")
    install_capture_triggers(op.get_bind())
