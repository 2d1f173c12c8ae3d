"""a counter device bound to one counter

The admin binds a counter PC or a citizen-facing rating screen to its counter: its clerks log
in there only, and as a rating screen it rates only the ticket that counter just finished.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("devices", "pairing_codes"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("counter_number", sa.Integer(), nullable=True))


def downgrade() -> None:
    for table in ("devices", "pairing_codes"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("counter_number")
