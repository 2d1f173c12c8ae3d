"""itse_certificates: the ITSE recorded on a licencia de funcionamiento (result, certificate
number and date, validity), for the supervisor's expiries (kiosk/services/itse.py)

The hub's own index: central receives the «inspected» event that says the same, so the table
is not replicated and central needs no migration.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "itse_certificates",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("office_id", sa.String(length=36), sa.ForeignKey("offices.id"),
                  nullable=False),
        sa.Column("expediente_id", sa.String(length=36), sa.ForeignKey("expedientes.id"),
                  nullable=False),
        sa.Column("result", sa.String(length=12), nullable=False),
        sa.Column("certificate_number", sa.String(length=30), nullable=True),
        sa.Column("certificate_date", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=36), nullable=True),
    )
    op.create_index("ix_itse_certificates_valid", "itse_certificates", ["valid_until"])
    op.create_index("ix_itse_certificates_expediente", "itse_certificates", ["expediente_id"])


def downgrade() -> None:
    op.drop_index("ix_itse_certificates_expediente", table_name="itse_certificates")
    op.drop_index("ix_itse_certificates_valid", table_name="itse_certificates")
    op.drop_table("itse_certificates")
