"""Clerks and their sessions, citizens and businesses, the civil registry index, expedientes
with payments, attachments and ticket links; the procedures' variant

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actas",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("acta_number", sa.String(length=20), nullable=False),
        sa.Column("book", sa.String(length=20), nullable=False),
        sa.Column("folio", sa.String(length=20), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("titular_given", sa.String(length=80), nullable=False),
        sa.Column("titular_paternal", sa.String(length=60), nullable=False),
        sa.Column("titular_maternal", sa.String(length=60), nullable=True),
        sa.Column("titular_search", sa.String(length=210), nullable=False),
        sa.Column("spouse_given", sa.String(length=80), nullable=True),
        sa.Column("spouse_paternal", sa.String(length=60), nullable=True),
        sa.Column("spouse_maternal", sa.String(length=60), nullable=True),
        sa.Column("spouse_search", sa.String(length=210), nullable=True),
        sa.Column("father_name", sa.String(length=200), nullable=True),
        sa.Column("mother_name", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('nacimiento', 'matrimonio', 'defuncion')", name="ck_actas_kind"
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["offices.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id", "kind", "acta_number"),
    )
    with op.batch_alter_table("actas", schema=None) as batch_op:
        batch_op.create_index("ix_actas_spouse", ["spouse_search"], unique=False)
        batch_op.create_index("ix_actas_titular", ["titular_search"], unique=False)

    op.create_table(
        "persons",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("doc_type", sa.String(length=3), nullable=False),
        sa.Column("doc_number", sa.String(length=12), nullable=False),
        sa.Column("given_names", sa.String(length=80), nullable=False),
        sa.Column("paternal_surname", sa.String(length=60), nullable=False),
        sa.Column("maternal_surname", sa.String(length=60), nullable=True),
        sa.Column("search_name", sa.String(length=210), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("doc_type IN ('DNI', 'CE', 'PAS')", name="ck_persons_doc_type"),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["offices.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id", "doc_type", "doc_number"),
    )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index("ix_persons_doc_number", ["doc_number"], unique=False)
        batch_op.create_index("ix_persons_search_name", ["search_name"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("secret_hash", sa.String(length=200), nullable=False),
        sa.Column("must_change", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("role IN ('counter', 'supervisor', 'admin')", name="ck_users_role"),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["offices.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id", "username"),
    )
    op.create_table(
        "year_sequences",
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("series", sa.String(length=4), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["offices.id"],
        ),
        sa.PrimaryKeyConstraint("office_id", "year", "series"),
    )
    op.create_table(
        "businesses",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("ruc", sa.String(length=11), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("search_name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("representative_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["offices.id"],
        ),
        sa.ForeignKeyConstraint(
            ["representative_id"],
            ["persons.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id", "ruc"),
    )
    with op.batch_alter_table("businesses", schema=None) as batch_op:
        batch_op.create_index("ix_businesses_search_name", ["search_name"], unique=False)

    op.create_table(
        "user_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("counter_number", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_user_sessions_user", ["user_id", "started_at"], unique=False)

    op.create_table(
        "expedientes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("tracking_code", sa.String(length=20), nullable=False),
        sa.Column("procedure_id", sa.String(length=36), nullable=False),
        sa.Column("procedure_version_id", sa.String(length=36), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("business_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("area", sa.String(length=120), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=False),
        sa.Column("deadline_working_days", sa.Integer(), nullable=False),
        sa.Column("calificacion", sa.String(length=40), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("observed_at", sa.DateTime(), nullable=True),
        sa.Column("observation_due", sa.Date(), nullable=True),
        sa.Column("stopped_working_days", sa.Integer(), nullable=False),
        sa.Column("fee", sa.String(length=20), nullable=False),
        sa.Column("fee_basis", sa.String(length=120), nullable=False),
        sa.Column("paid", sa.String(length=20), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("requirements_presented", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("acta_id", sa.String(length=36), nullable=True),
        sa.Column("itse_done", sa.Boolean(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["acta_id"],
            ["actas.id"],
        ),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["offices.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
        ),
        sa.ForeignKeyConstraint(
            ["procedure_id"],
            ["procedures.id"],
        ),
        sa.ForeignKeyConstraint(
            ["procedure_version_id"],
            ["procedure_versions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id", "number"),
        sa.UniqueConstraint("tracking_code"),
    )
    with op.batch_alter_table("expedientes", schema=None) as batch_op:
        batch_op.create_index("ix_expedientes_business", ["business_id", "filed_at"], unique=False)
        batch_op.create_index("ix_expedientes_filed", ["filed_at"], unique=False)
        batch_op.create_index("ix_expedientes_person", ["person_id", "filed_at"], unique=False)
        batch_op.create_index("ix_expedientes_status_due", ["status", "due_date"], unique=False)

    op.create_table(
        "attachments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("expediente_id", sa.String(length=36), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_path", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["expediente_id"],
            ["expedientes.id"],
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["offices.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index("ix_attachments_expediente", ["expediente_id"], unique=False)

    op.create_table(
        "expediente_tickets",
        sa.Column("expediente_id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["expediente_id"],
            ["expedientes.id"],
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
        ),
        sa.PrimaryKeyConstraint("expediente_id", "ticket_id"),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("expediente_id", sa.String(length=36), nullable=False),
        sa.Column("receipt_number", sa.String(length=24), nullable=False),
        sa.Column("amount", sa.String(length=20), nullable=False),
        sa.Column("method", sa.String(length=14), nullable=False),
        sa.Column("voucher_number", sa.String(length=30), nullable=True),
        sa.Column("cash_received", sa.String(length=20), nullable=True),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("counter_number", sa.Integer(), nullable=True),
        sa.Column("paid_at", sa.DateTime(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.CheckConstraint("method IN ('efectivo', 'banco_nacion')", name="ck_payments_method"),
        sa.ForeignKeyConstraint(
            ["expediente_id"],
            ["expedientes.id"],
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["offices.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id", "receipt_number"),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index("ix_payments_day_clerk", ["business_date", "user_id"], unique=False)
        batch_op.create_index("ix_payments_expediente", ["expediente_id"], unique=False)

    with op.batch_alter_table("procedures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("variant", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("procedures", schema=None) as batch_op:
        batch_op.drop_column("variant")

    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index("ix_payments_expediente")
        batch_op.drop_index("ix_payments_day_clerk")

    op.drop_table("payments")
    op.drop_table("expediente_tickets")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index("ix_attachments_expediente")

    op.drop_table("attachments")
    with op.batch_alter_table("expedientes", schema=None) as batch_op:
        batch_op.drop_index("ix_expedientes_status_due")
        batch_op.drop_index("ix_expedientes_person")
        batch_op.drop_index("ix_expedientes_filed")
        batch_op.drop_index("ix_expedientes_business")

    op.drop_table("expedientes")
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_user_sessions_user")

    op.drop_table("user_sessions")
    with op.batch_alter_table("businesses", schema=None) as batch_op:
        batch_op.drop_index("ix_businesses_search_name")

    op.drop_table("businesses")
    op.drop_table("year_sequences")
    op.drop_table("users")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index("ix_persons_search_name")
        batch_op.drop_index("ix_persons_doc_number")

    op.drop_table("persons")
    with op.batch_alter_table("actas", schema=None) as batch_op:
        batch_op.drop_index("ix_actas_titular")
        batch_op.drop_index("ix_actas_spouse")

    op.drop_table("actas")
