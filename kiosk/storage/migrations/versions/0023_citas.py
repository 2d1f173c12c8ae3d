"""citas: the services that take appointments (slot length, walk-in share), the bookings
(kiosk/rules/citas.py, kiosk/services/citas.py) and the places delegated to central

`cita_services` and `citas` are the hub's own (central receives the «cita» events, without
personal data); `cita_delegations` is replicated: central's migration 0014 makes its replica.

Revision ID: 0023
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

from kiosk.storage.replication import install_capture_triggers

revision = "0023"
down_revision = "0022"
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
    op.create_table(
        "cita_delegations",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("office_id", sa.String(length=36), sa.ForeignKey("offices.id"),
                  nullable=False),
        sa.Column("service_id", sa.String(length=36), sa.ForeignKey("services.id"),
                  nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_cita_delegations_slot", "cita_delegations", ["service_id", "start_at"])
    install_capture_triggers(op.get_bind())  # the delegations reach central


def downgrade() -> None:
    op.drop_index("ix_cita_delegations_slot", table_name="cita_delegations")
    op.drop_table("cita_delegations")
    install_capture_triggers(op.get_bind())
    for index in ("ix_citas_ticket", "ix_citas_document", "ix_citas_day_status",
                  "ix_citas_slot"):
        op.drop_index(index, table_name="citas")
    op.drop_table("citas")
    op.drop_table("cita_services")
