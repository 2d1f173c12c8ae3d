"""the replicas follow the hub's migrations 0015 and 0016: an expediente's fee exemption and
what it waived, each counter's option on preferential tickets

Revision ID: 0008
Revises: 0007
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('expedientes', sa.Column('exemption', sa.String(length=40),
                                           autoincrement=False, nullable=True))
    op.add_column('expedientes', sa.Column('exempted', sa.String(length=20),
                                           autoincrement=False, nullable=True))
    op.add_column('counters', sa.Column('preferential', sa.String(length=10),
                                        autoincrement=False, nullable=True))


def downgrade() -> None:
    op.drop_column('counters', 'preferential')
    op.drop_column('expedientes', 'exempted')
    op.drop_column('expedientes', 'exemption')
