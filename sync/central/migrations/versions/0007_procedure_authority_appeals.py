"""a TUPA procedure's deciding authority and its appeals (issue 20; hub migration 0014)

Revision ID: 0007
Revises: 0006
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('procedures', sa.Column('authority', sa.String(length=120),
                                          autoincrement=False, nullable=True))
    op.add_column('procedures', sa.Column('appeals', sa.JSON(), autoincrement=False,
                                          nullable=True))


def downgrade() -> None:
    op.drop_column('procedures', 'appeals')
    op.drop_column('procedures', 'authority')
