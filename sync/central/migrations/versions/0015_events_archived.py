"""events past the retry horizon folded into a compressed archive per office and day

`central_event_archive` holds, per office and UTC day, that day's events in their outbox
order, encoded column by column and compressed (sync/central/event_archive.py). The events
a central already holds stay rows until its maintenance job folds them, a slice at a time:
folding a region's year here would hold every process at the migration lock for hours.

Revision ID: 0015
Revises: 0014
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'central_event_archive',
        sa.Column('office_id', sa.String(length=36), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('first_seq', sa.BigInteger(), nullable=False),
        sa.Column('last_seq', sa.BigInteger(), nullable=False),
        sa.Column('events', sa.Integer(), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('office_id', 'day'),
    )
    op.create_index('ix_central_event_archive_seq', 'central_event_archive',
                    ['office_id', 'last_seq'])


def downgrade() -> None:
    # The archived events exist nowhere else: an older central would lose them.
    if op.get_bind().execute(sa.text('SELECT count(*) FROM central_event_archive')).scalar():
        raise RuntimeError('La central tiene eventos archivados: volver a la versión anterior '
                           'los perdería.')
    op.drop_index('ix_central_event_archive_seq', table_name='central_event_archive')
    op.drop_table('central_event_archive')
