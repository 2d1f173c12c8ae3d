"""the offices' reclamos (Libro de Reclamaciones) and anonymous suggestions (hub migration 0022)

Revision ID: 0010
Revises: 0009
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reclamos',
    sa.Column('id', sa.String(length=36), autoincrement=False, nullable=False),
    sa.Column('office_id', sa.String(length=36), autoincrement=False, nullable=True),
    sa.Column('number', sa.String(length=24), autoincrement=False, nullable=True),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('channel', sa.String(length=12), autoincrement=False, nullable=True),
    sa.Column('category', sa.String(length=24), autoincrement=False, nullable=True),
    sa.Column('doc_type', sa.String(length=4), autoincrement=False, nullable=True),
    sa.Column('doc_number', sa.String(length=20), autoincrement=False, nullable=True),
    sa.Column('full_name', sa.String(length=200), autoincrement=False, nullable=True),
    sa.Column('address', sa.String(length=200), autoincrement=False, nullable=True),
    sa.Column('phone', sa.String(length=20), autoincrement=False, nullable=True),
    sa.Column('email', sa.String(length=120), autoincrement=False, nullable=True),
    sa.Column('description', sa.String(length=2000), autoincrement=False, nullable=True),
    sa.Column('request', sa.String(length=1000), autoincrement=False, nullable=True),
    sa.Column('filed_at', sa.DateTime(), autoincrement=False, nullable=True),
    sa.Column('answer_working_days', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('due_date', sa.Date(), autoincrement=False, nullable=True),
    sa.Column('status', sa.String(length=12), autoincrement=False, nullable=True),
    sa.Column('answer', sa.String(length=4000), autoincrement=False, nullable=True),
    sa.Column('delivery', sa.String(length=24), autoincrement=False, nullable=True),
    sa.Column('answered_at', sa.DateTime(), autoincrement=False, nullable=True),
    sa.Column('answered_by', sa.String(length=36), autoincrement=False, nullable=True),
    sa.Column('device_id', sa.String(length=36), autoincrement=False, nullable=True),
    sa.Column('created_by', sa.String(length=36), autoincrement=False, nullable=True),
    sa.Column('updated_at', sa.DateTime(), autoincrement=False, nullable=True),
    sa.Column('_sync_seq', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_reclamos_office_number', 'reclamos', ['office_id', 'number'],
                    unique=False)
    op.create_table('suggestions',
    sa.Column('id', sa.String(length=36), autoincrement=False, nullable=False),
    sa.Column('office_id', sa.String(length=36), autoincrement=False, nullable=True),
    sa.Column('business_date', sa.Date(), autoincrement=False, nullable=True),
    sa.Column('category', sa.String(length=16), autoincrement=False, nullable=True),
    sa.Column('text', sa.String(length=1000), autoincrement=False, nullable=True),
    sa.Column('device_id', sa.String(length=36), autoincrement=False, nullable=True),
    sa.Column('created_at', sa.DateTime(), autoincrement=False, nullable=True),
    sa.Column('_sync_seq', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_suggestions_office_day', 'suggestions', ['office_id', 'business_date'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_suggestions_office_day', table_name='suggestions')
    op.drop_table('suggestions')
    op.drop_index('ix_reclamos_office_number', table_name='reclamos')
    op.drop_table('reclamos')
