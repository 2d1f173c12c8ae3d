"""sync bookkeeping pruned, events indexed for what reads them, one public rate limit for
every central process (issue 21)

Revision ID: 0005
Revises: 0004

- `office_links.acked_seq`: the outbox seq below which a hub has settled every entry; the
  `sync_applied` rows below it and older than the retry horizon are pruned
  (sync/central/bookkeeping.py).
- `events`: the indexes by (stream id, hub seq) and (office, hub seq) nothing read are gone;
  a restored hub's recovery reads them by (office, outbox seq), as it does the tickets, and
  the expedientes' figures look up only the cancellations (a partial index).
- `central_rate_limits`: the public page's lookups per citizen's address and minute, shared
  by every central process (unlogged on PostgreSQL: counters, not worth a write-ahead log).
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_CANCELLED = "kind = 'cancelled' AND stream = 'expediente'"


def upgrade() -> None:
    op.add_column('office_links', sa.Column('acked_seq', sa.BigInteger(), nullable=False,
                                            server_default='0'))
    op.drop_index('ix_events_stream', table_name='events')
    op.drop_index('ix_events_office', table_name='events')
    op.create_index('ix_events_recovery', 'events', ['office_id', '_sync_seq'])
    op.create_index('ix_events_cancelled', 'events', ['occurred_at'],
                    postgresql_where=sa.text(_CANCELLED), sqlite_where=sa.text(_CANCELLED))
    op.create_index('ix_tickets_recovery', 'tickets', ['office_id', '_sync_seq'])
    op.create_table(
        'central_rate_limits',
        sa.Column('client', sa.String(length=64), nullable=False),
        sa.Column('minute', sa.BigInteger(), nullable=False),
        sa.Column('hits', sa.Integer(), nullable=False),
        sa.Column('previous', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('client'))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE central_rate_limits SET UNLOGGED")


def downgrade() -> None:
    op.drop_table('central_rate_limits')
    op.drop_index('ix_tickets_recovery', table_name='tickets')
    op.drop_index('ix_events_cancelled', table_name='events')
    op.drop_index('ix_events_recovery', table_name='events')
    op.create_index('ix_events_office', 'events', ['office_id', 'seq'])
    op.create_index('ix_events_stream', 'events', ['stream_id', 'seq'])
    op.drop_column('office_links', 'acked_seq')
