"""Transactional outbox for the central server: sync_outbox, sync_control, sync_state, triggers

Every change of a replicated table (kiosk/storage/replication.py) is written to sync_outbox by
a trigger in the same transaction. Rows that exist already are queued once here, so an office
that worked alone for months sends its whole history the first time it connects.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from kiosk.storage.replication import enqueue_existing_rows, install_capture_triggers

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("mutation_id", sa.String(length=32), nullable=False),
        sa.Column("tbl", sa.String(length=40), nullable=False),
        sa.Column("row_key", sa.String(length=80), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=30),
                  server_default=sa.text("(strftime('%Y-%m-%d %H:%M:%f', 'now'))"),
                  nullable=False),
        sa.Column("state", sa.String(length=10), server_default=sa.text("'pending'"),
                  nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint("state IN ('pending', 'inflight', 'rejected')",
                           name="ck_sync_outbox_state"),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("mutation_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_sync_outbox_state", "sync_outbox", ["state", "seq"])
    op.create_index("ix_sync_outbox_row", "sync_outbox", ["tbl", "row_key", "state"])
    control = op.create_table(
        "sync_control",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("applying", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_sync_control_one_row"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(control, [{"id": 1, "applying": 0}])
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    connection = op.get_bind()
    install_capture_triggers(connection)
    enqueue_existing_rows(connection)


def downgrade() -> None:
    from kiosk.storage.replication import PUSHED, trigger_names

    for spec in PUSHED:
        for name in trigger_names(spec.table):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("sync_state")
    op.drop_table("sync_control")
    op.drop_index("ix_sync_outbox_row", table_name="sync_outbox")
    op.drop_index("ix_sync_outbox_state", table_name="sync_outbox")
    op.drop_table("sync_outbox")
