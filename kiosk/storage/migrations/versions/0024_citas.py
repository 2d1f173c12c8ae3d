"""citas: the services that take appointments (slot length, walk-in share) and the bookings
(kiosk/rules/citas.py, kiosk/services/citas.py)

The hub's own tables: central receives the «cita» events that say the same, so they are not
replicated and central needs no migration for them.

Revision ID: 0024
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cita_services",
        sa.Column("service_id", sa.String(length=36), sa.ForeignKey("services.id"),
                  primary_key=True),
        sa.Column("takes_citas", sa.Boolean(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("walkin_percent", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "citas",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("office_id", sa.String(length=36), sa.ForeignKey("offices.id"),
                  nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("service_id", sa.String(length=36), sa.ForeignKey("services.id"),
                  nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("document", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("contact", sa.String(length=120), nullable=True),
        sa.Column("ticket_id", sa.String(length=36), sa.ForeignKey("tickets.id"),
                  nullable=True),
        sa.Column("booked_at", sa.DateTime(), nullable=False),
        sa.Column("booked_by", sa.String(length=36), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_citas_slot", "citas", ["service_id", "day", "start_at"])
    op.create_index("ix_citas_day_status", "citas", ["day", "status"])
    op.create_index("ix_citas_document", "citas", ["document", "day"])
    op.create_index("ix_citas_ticket", "citas", ["ticket_id"])


def downgrade() -> None:
    for index in ("ix_citas_ticket", "ix_citas_document", "ix_citas_day_status",
                  "ix_citas_slot"):
        op.drop_index(index, table_name="citas")
    op.drop_table("citas")
    op.drop_table("cita_services")
