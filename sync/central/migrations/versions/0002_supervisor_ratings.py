"""the offices' ratings and the clerk of each ticket (hub migration 0008)

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('tickets', sa.Column('user_id', sa.String(length=36), autoincrement=False,
                                       nullable=True))
    op.create_table('ratings',
    sa.Column('id', sa.String(length=36), autoincrement=False, nullable=False),
    sa.Column('office_id', sa.String(length=36), autoincrement=False, nullable=True),
    sa.Column('ticket_id', sa.String(length=36), autoincrement=False, nullable=True),
    sa.Column('business_date', sa.Date(), autoincrement=False, nullable=True),
    sa.Column('score', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('service_id', sa.String(length=36), autoincrement=False, nullable=True),
    sa.Column('counter_number', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('user_id', sa.String(length=36), autoincrement=False, nullable=True),
    sa.Column('device_id', sa.String(length=36), autoincrement=False, nullable=True),
    sa.Column('created_at', sa.DateTime(), autoincrement=False, nullable=True),
    sa.Column('_sync_seq', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_ratings_office_day', 'ratings', ['office_id', 'business_date'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_ratings_office_day', table_name='ratings')
    op.drop_table('ratings')
    with op.batch_alter_table('tickets') as batch:
        batch.drop_column('user_id')
