"""citas: the replica of the places offices delegate to central (hub migration 0024's
`cita_delegations`) and the citas central books on them (`central_citas`)

Revision ID: 0011
Revises: 0010
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'cita_delegations',
        sa.Column('id', sa.String(length=36), autoincrement=False, nullable=False),
        sa.Column('office_id', sa.String(length=36), autoincrement=False, nullable=True),
        sa.Column('service_id', sa.String(length=36), autoincrement=False, nullable=True),
        sa.Column('start_at', sa.DateTime(), autoincrement=False, nullable=True),
        sa.Column('places', sa.Integer(), autoincrement=False, nullable=True),
        sa.Column('created_at', sa.DateTime(), autoincrement=False, nullable=True),
        sa.Column('_sync_seq', sa.BigInteger(), autoincrement=False, nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_cita_delegations_slot', 'cita_delegations',
                    ['office_id', 'service_id', 'start_at'])
    op.create_table(
        'central_citas',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('office_id', sa.String(length=36), nullable=False),
        sa.Column('code', sa.String(length=12), nullable=False),
        sa.Column('service_id', sa.String(length=36), nullable=False),
        sa.Column('start_at', sa.DateTime(), nullable=False),
        sa.Column('document', sa.String(length=12), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('contact', sa.String(length=120), nullable=True),
        sa.Column('booked_by', sa.String(length=120), nullable=False),
        sa.Column('booked_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code'),
    )
    op.create_index('ix_central_citas_slot', 'central_citas',
                    ['office_id', 'service_id', 'start_at'])


def downgrade() -> None:
    op.drop_index('ix_central_citas_slot', table_name='central_citas')
    op.drop_table('central_citas')
    op.drop_index('ix_cita_delegations_slot', table_name='cita_delegations')
    op.drop_table('cita_delegations')
