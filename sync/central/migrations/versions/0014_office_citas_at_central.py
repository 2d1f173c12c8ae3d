"""central citas: the office's own bookings too, with the proof of their DNI, not the DNI

`central_citas` also keeps the citas an office booked (counter, kiosk, phone), learned from
its pushed «cita» events, so that the public page can cancel or change them: `proof` is the
slow salted digest of the DNI the office's event carries (kiosk/rules/cita_proof.py), and
such a row has no DNI and no name. `channel` says whose place a booking holds: «central» (a
delegated place, counted against the office's delegations) or «oficina» (one of the office's
own). Rows already here are central's bookings; the office's citas booked before this
version are unknown to central until their next change at the office (decision record 49).

Revision ID: 0014
Revises: 0013
"""

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('central_citas') as batch:
        batch.add_column(sa.Column('channel', sa.String(length=12), nullable=False,
                                   server_default='central'))
        batch.add_column(sa.Column('proof', sa.String(length=80), nullable=True))
        batch.alter_column('document', existing_type=sa.String(length=12), nullable=True)
        batch.alter_column('name', existing_type=sa.String(length=120), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM central_citas WHERE document IS NULL")
    with op.batch_alter_table('central_citas') as batch:
        batch.alter_column('name', existing_type=sa.String(length=120), nullable=False)
        batch.alter_column('document', existing_type=sa.String(length=12), nullable=False)
        batch.drop_column('proof')
        batch.drop_column('channel')
