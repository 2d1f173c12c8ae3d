"""office keys: the offices' public Ed25519 keys for the QR statements on signed documents

Revision ID: 0012
Revises: 0011
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'office_keys',
        sa.Column('key_id', sa.String(length=16), nullable=False),
        sa.Column('office_id', sa.String(length=36), nullable=False),
        sa.Column('public_key', sa.String(length=64), nullable=False),
        sa.Column('valid_from', sa.DateTime(), nullable=False),
        sa.Column('retired_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id']),
        sa.PrimaryKeyConstraint('key_id'),
    )


def downgrade() -> None:
    op.drop_table('office_keys')
