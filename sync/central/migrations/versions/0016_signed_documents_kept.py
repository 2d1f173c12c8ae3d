"""the expedientes' signed documents kept as event rows; archive rows that hold them marked

The public verification page reads a document's `document_signed` event by its expediente
(sync/central/verification.py); revision 0015 folded them into the archive with the other
events. They are kept as rows now (indexed, like the cancellations), and the archive rows
folded before are marked `kept_out` false: central's maintenance gives their signed documents
back as rows (sync/central/event_archive.py `fold`), a slice at a time, and the page reads
them from those archive rows meanwhile. Doing it here would hold every process at the
migration lock while each archived office-day is read (6 ms) and, where a document was signed
that day, decoded and encoded again (0.18 s): hours for a region's year.

Revision ID: 0016
Revises: 0015
"""

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

_SIGNED = "kind = 'document_signed' AND stream = 'expediente'"


def upgrade() -> None:
    # A constant default: PostgreSQL adds the column without rewriting the table.
    op.add_column('central_event_archive',
                  sa.Column('kept_out', sa.Boolean(), nullable=False,
                            server_default=sa.false()))
    op.create_index('ix_events_signed', 'events', ['stream_id'],
                    postgresql_where=sa.text(_SIGNED), sqlite_where=sa.text(_SIGNED))


def downgrade() -> None:
    # The events given back as rows stay rows: revision 0015 reads them as such.
    op.drop_index('ix_events_signed', table_name='events')
    with op.batch_alter_table('central_event_archive') as batch:
        batch.drop_column('kept_out')
