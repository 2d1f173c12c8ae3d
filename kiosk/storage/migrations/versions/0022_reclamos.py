"""reclamos and suggestions: the Libro de Reclamaciones (DS 007-2020-PCM) and the kiosk's
anonymous suggestions box (kiosk/rules/reclamos.py), both replicated to central like the other
office facts (central migration 0012)

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

from kiosk.storage.replication import install_capture_triggers

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reclamos",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("doc_type", sa.String(length=4), nullable=False),
        sa.Column("doc_number", sa.String(length=20), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("request", sa.String(length=1000), nullable=True),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("answer_working_days", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("answer", sa.String(length=4000), nullable=True),
        sa.Column("delivery", sa.String(length=24), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("answered_by", sa.String(length=36), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id", "number"),
    )
    op.create_index("ix_reclamos_status_due", "reclamos", ["status", "due_date"])
    op.create_index("ix_reclamos_filed", "reclamos", ["filed_at"])
    op.create_table(
        "suggestions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_suggestions_business_date", "suggestions", ["business_date"])
    install_capture_triggers(op.get_bind())


def downgrade() -> None:
    for table in ("reclamos", "suggestions"):
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS sync_{table}_{suffix}")
    op.drop_index("ix_suggestions_business_date", table_name="suggestions")
    op.drop_table("suggestions")
    op.drop_index("ix_reclamos_filed", table_name="reclamos")
    op.drop_index("ix_reclamos_status_due", table_name="reclamos")
    op.drop_table("reclamos")
