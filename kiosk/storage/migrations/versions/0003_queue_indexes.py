"""queue indexes that answer "who is next" without sorting the waiting tickets

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_queue")
        batch_op.create_index("ix_tickets_queue", ["status", "service_id", "issued_at", "id"])
        batch_op.create_index(
            "ix_tickets_preferential_queue", ["status", "issued_at", "id"],
            sqlite_where=sa.text("preferential IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_preferential_queue")
        batch_op.drop_index("ix_tickets_queue")
        batch_op.create_index("ix_tickets_queue", ["status", "service_id", "issued_at"])
