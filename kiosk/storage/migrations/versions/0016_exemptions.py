"""fee exemptions: chosen at filing, on the expediente; the S/ 0.00 receipt «exonerado»

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

from kiosk.storage.replication import install_capture_triggers

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("expedientes") as batch:
        batch.add_column(sa.Column("exemption", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("exempted", sa.String(length=20), nullable=True))
    with op.batch_alter_table("payments") as batch:
        batch.drop_constraint("ck_payments_method", type_="check")
        batch.create_check_constraint("ck_payments_method",
                                      "method IN ('efectivo', 'banco_nacion', 'exonerado')")
    install_capture_triggers(op.get_bind())  # a rebuilt table lost them; new columns


def downgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.drop_constraint("ck_payments_method", type_="check")
        batch.create_check_constraint("ck_payments_method",
                                      "method IN ('efectivo', 'banco_nacion')")
    with op.batch_alter_table("expedientes") as batch:
        batch.drop_column("exempted")
        batch.drop_column("exemption")
    install_capture_triggers(op.get_bind())
