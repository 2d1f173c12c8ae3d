"""non-working days with a place, and central's log of the days it distributes (issue 20;
hub migration 0018)

Revision ID: 0009
Revises: 0008

Days stored before keep their scope and an empty place: they counted for every office and
still do (kiosk.rules.calendar.applies).
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('non_working_days', sa.Column('place', sa.String(length=10),
                                                autoincrement=False, nullable=True))
    op.execute("UPDATE non_working_days SET place = ''")
    op.create_table('calendar_log',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('place', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('previous_name', sa.String(length=120), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_calendar_log_date', 'calendar_log', ['date'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_calendar_log_date', table_name='calendar_log')
    op.drop_table('calendar_log')
    op.drop_column('non_working_days', 'place')
