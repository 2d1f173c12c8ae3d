"""TUPA procedures with versions, UIT per year (seeded), extra non-working days, print jobs

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# UIT per year (PERU-RULES.md): data, so a new year is a new row, never new code.
UIT_SEED = [
    {"year": 2025, "amount": "5350.00", "source": None},
    {"year": 2026, "amount": "5500.00", "source": "DS 301-2025-EF"},
]


def upgrade() -> None:
    uit = op.create_table(
        "uit_values",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("amount", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("year"),
    )
    op.bulk_insert(uit, UIT_SEED)

    op.create_table(
        "non_working_days",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("date", "scope"),
    )

    op.create_table(
        "procedures",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("area", sa.String(length=120), nullable=False),
        sa.Column("service_code", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "category IN ('partida', 'licencia_funcionamiento', 'licencia_edificacion', "
            "'otro')", name="ck_procedures_category"),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id", "code"),
    )

    op.create_table(
        "procedure_versions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("procedure_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("fee_kind", sa.String(length=10), nullable=False),
        sa.Column("fee_value", sa.String(length=20), nullable=False),
        sa.Column("deadline_working_days", sa.Integer(), nullable=False),
        sa.Column("calificacion", sa.String(length=40), nullable=False),
        sa.Column("requirements", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("fee_kind IN ('uit_pct', 'fixed')",
                           name="ck_procedure_versions_fee"),
        sa.CheckConstraint("deadline_working_days >= 0",
                           name="ck_procedure_versions_deadline"),
        sa.ForeignKeyConstraint(["procedure_id"], ["procedures.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("procedure_id", "effective_from"),
        sa.UniqueConstraint("procedure_id", "version"),
    )

    op.create_table(
        "print_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("error_code", sa.String(length=60), nullable=True),
        sa.Column("error_message", sa.String(length=500), nullable=True),
        sa.Column("reprint", sa.Boolean(), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("state IN ('printed', 'failed')", name="ck_print_jobs_state"),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.create_index("ix_print_jobs_reported", ["reported_at"], unique=False)
        batch_op.create_index("ix_print_jobs_device_reported", ["device_id", "reported_at"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("print_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_print_jobs_device_reported")
        batch_op.drop_index("ix_print_jobs_reported")
    op.drop_table("print_jobs")
    op.drop_table("procedure_versions")
    op.drop_table("procedures")
    op.drop_table("non_working_days")
    op.drop_table("uit_values")
