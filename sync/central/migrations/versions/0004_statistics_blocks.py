"""statistics pre-aggregated as offices push (issue 21)

Revision ID: 0004
Revises: 0003

- `central_stats`: the figures of one office's (or every office's) tickets over a day, a
  month or a year (in four parts, each read only by what needs it); `central_stats_series` their sorted times group by group, read in byte
  ranges (stored apart from the row on PostgreSQL, uncompressed, so a range is read without
  the rest); `central_stats_dirty`, the office-days changed since their figures were built.
- Every office-day central already holds is marked changed: the figures are built by the
  next refresh (`cac central` does it in the background; reads meanwhile use the tickets).
"""

import random

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'central_stats',
        sa.Column('scope', sa.String(length=36), nullable=False),
        sa.Column('period', sa.String(length=8), nullable=False),
        sa.Column('start', sa.Date(), nullable=False),
        sa.Column('end', sa.Date(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('tickets', sa.Integer(), nullable=False),
        sa.Column('header', sa.Text(), nullable=False),
        sa.Column('figures', sa.Text(), nullable=False),
        sa.Column('days', sa.Text(), nullable=False),
        sa.Column('ratings', sa.Text(), nullable=False),
        sa.Column('built_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('scope', 'period', 'start'))
    op.create_table(
        'central_stats_series',
        sa.Column('scope', sa.String(length=36), nullable=False),
        sa.Column('period', sa.String(length=8), nullable=False),
        sa.Column('start', sa.Date(), nullable=False),
        sa.Column('dim', sa.String(length=8), nullable=False),
        sa.Column('key', sa.String(length=60), nullable=False),
        sa.Column('samples', sa.LargeBinary(), nullable=False),
        sa.Column('sketch', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('scope', 'period', 'start', 'dim', 'key'))
    op.create_table(
        'central_stats_dirty',
        sa.Column('office_id', sa.String(length=36), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('mark', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('office_id', 'day'))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE central_stats_series ALTER COLUMN samples SET STORAGE EXTERNAL, "
                   "ALTER COLUMN sketch SET STORAGE EXTERNAL")
    op.execute(
        "INSERT INTO central_stats_dirty (office_id, day, mark) "
        f"SELECT office_id, business_date, {random.getrandbits(62)} FROM "
        "(SELECT office_id, business_date FROM tickets UNION "
        "SELECT office_id, business_date FROM ratings) AS days "
        "WHERE office_id IS NOT NULL AND business_date IS NOT NULL")


def downgrade() -> None:
    op.drop_table('central_stats_dirty')
    op.drop_table('central_stats_series')
    op.drop_table('central_stats')
