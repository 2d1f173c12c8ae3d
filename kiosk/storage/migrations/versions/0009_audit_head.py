"""The audit chain's head: last event and count, kept by a trigger, so `cac audit verify` also
sees events deleted from the end of the chain

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

from kiosk.storage.audit_head import install_audit_trigger

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_hash", sa.String(length=64), server_default=sa.text("''"),
                  nullable=False),
        sa.Column("events", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_audit_head_one_row"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(head, [{"id": 1, "last_seq": 0, "last_hash": "", "events": 0}])
    # What the store holds now is taken as whole (it was verifiable before, and still is).
    op.execute("UPDATE audit_head SET events = (SELECT count(*) FROM events), "
               "last_seq = coalesce((SELECT max(seq) FROM events), 0), "
               "last_hash = coalesce((SELECT hash FROM events ORDER BY seq DESC LIMIT 1), '')")
    install_audit_trigger(op.get_bind())


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_head_ai")
    op.drop_table("audit_head")
