"""each counter's option on preferential tickets: tambien (default) | solo | nunca

An office serves preferential citizens (Ley 28683) at a dedicated counter: «solo» calls only
them, «nunca» leaves them to it (kiosk/rules/calling.py).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

from kiosk.storage.replication import install_capture_triggers

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("counters") as batch:
        batch.add_column(sa.Column("preferential", sa.String(length=10), nullable=False,
                                   server_default="tambien"))
    install_capture_triggers(op.get_bind())  # a rebuilt table lost them; new columns


def downgrade() -> None:
    with op.batch_alter_table("counters") as batch:
        batch.drop_column("preferential")
    install_capture_triggers(op.get_bind())
