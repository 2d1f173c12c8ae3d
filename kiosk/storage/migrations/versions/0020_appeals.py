"""appeals: the recursos de reconsideración and apelación filed against an expediente's
decision, with their own due date and outcome (kiosk/services/appeals.py)

The hub's own index, like itse_certificates (0019): central receives the «appeal_filed» and
«appeal_decided» events that say the same, and the expediente's row when an appeal changes
its status, so the table is not replicated and central needs no migration.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appeals",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("office_id", sa.String(length=36), sa.ForeignKey("offices.id"),
                  nullable=False),
        sa.Column("expediente_id", sa.String(length=36), sa.ForeignKey("expedientes.id"),
                  nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("against", sa.String(length=60), nullable=False),
        sa.Column("authority", sa.String(length=120), nullable=False),
        sa.Column("notified_on", sa.Date(), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("filed_by", sa.String(length=36), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=14), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("resolution", sa.String(length=60), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=36), nullable=True),
    )
    op.create_index("ix_appeals_expediente", "appeals", ["expediente_id"])
    op.create_index("ix_appeals_open_due", "appeals", ["outcome", "due_date"])


def downgrade() -> None:
    op.drop_index("ix_appeals_open_due", table_name="appeals")
    op.drop_index("ix_appeals_expediente", table_name="appeals")
    op.drop_table("appeals")
