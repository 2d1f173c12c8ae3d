"""expedientes indexed for the figures central adds up in SQL (issue 21)

Revision ID: 0006
Revises: 0005

The period report's expedientes are counted by PostgreSQL (sync/central/expedientes.py): by
office and filing moment, by office and decision moment, and the open ones (a partial index
on the few that are).
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_OPEN = "status IN ('recibido', 'observado', 'en_area')"


def upgrade() -> None:
    op.create_index('ix_expedientes_office_filed', 'expedientes', ['office_id', 'filed_at'])
    op.create_index('ix_expedientes_office_decided', 'expedientes',
                    ['office_id', 'decided_at'])
    op.create_index('ix_expedientes_open', 'expedientes', ['office_id'],
                    postgresql_where=sa.text(_OPEN), sqlite_where=sa.text(_OPEN))


def downgrade() -> None:
    op.drop_index('ix_expedientes_open', table_name='expedientes')
    op.drop_index('ix_expedientes_office_decided', table_name='expedientes')
    op.drop_index('ix_expedientes_office_filed', table_name='expedientes')
