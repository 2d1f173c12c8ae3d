"""central citas' state: cancelled or moved on the public page, and what the office answered

`central_citas` gains the office's status as central last learned it (its pushed «cita»
events), the request (cancel or move) sent in the feed and not yet answered, its id, and
the place a move left, held until the office confirms (decision record 48).

Revision ID: 0013
Revises: 0012
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('central_citas', sa.Column('status', sa.String(length=12), nullable=False,
                                             server_default='reservada'))
    op.add_column('central_citas', sa.Column('pending', sa.String(length=8), nullable=True))
    op.add_column('central_citas', sa.Column('request_id', sa.String(length=36),
                                             nullable=True))
    op.add_column('central_citas', sa.Column('held_start_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('central_citas') as batch:
        batch.drop_column('held_start_at')
        batch.drop_column('request_id')
        batch.drop_column('pending')
        batch.drop_column('status')
