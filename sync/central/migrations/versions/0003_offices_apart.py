"""offices apart: mutation ids and refusals per office, one office per tracking code, and no
clerk's secret kept (issue 14)

Revision ID: 0003
Revises: 0002

- `sync_applied` and `sync_rejections` are keyed by (office_id, mutation_id): an office can no
  longer pre-claim the id of another office's pending change.
- `expedientes.tracking_code` becomes unique. Where two offices already hold the same code,
  the expediente filed first keeps it and the others lose it at central (their office still
  has it; its next push of that expediente is refused and shown in its attention list).
- The clerks' PIN hashes, failed logins and locks central held are forgotten: in `users`, in
  the feed it publishes (`sync_changes`) and in the refusals it kept (`sync_rejections`).
"""

import json
import logging

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)
PRIVATE = ("secret_hash", "failed_attempts", "locked_until")


def _applied_columns() -> list[sa.Column]:
    return [sa.Column('office_id', sa.String(length=36), nullable=False),
            sa.Column('mutation_id', sa.String(length=32), nullable=False),
            sa.Column('seq', sa.BigInteger(), nullable=False),
            sa.Column('applied_at', sa.DateTime(), nullable=False)]


def _rejection_columns() -> list[sa.Column]:
    return [sa.Column('office_id', sa.String(length=36), nullable=False),
            sa.Column('mutation_id', sa.String(length=32), nullable=False),
            sa.Column('tbl', sa.String(length=40), nullable=False),
            sa.Column('row_key', sa.String(length=80), nullable=False),
            sa.Column('reason', sa.String(length=500), nullable=False),
            sa.Column('payload', sa.Text(), nullable=False),
            sa.Column('at', sa.DateTime(), nullable=False)]


def _primary_key(table: str, columns: list[sa.Column], key: tuple[str, ...]) -> None:
    """`key` as the primary key of `table`, its rows kept: in place on PostgreSQL; SQLite
    cannot alter a primary key, so the table is made again and its rows copied."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey, "
                   f"ADD PRIMARY KEY ({', '.join(key)})")
        return
    names = ", ".join(c.name for c in columns)
    op.create_table(f"{table}_new", *columns, sa.PrimaryKeyConstraint(*key))
    op.execute(f"INSERT INTO {table}_new ({names}) SELECT {names} FROM {table}")
    op.drop_table(table)
    op.rename_table(f"{table}_new", table)


def _forget_secrets() -> None:
    bind = op.get_bind()
    users = sa.table('users', *(sa.column(name) for name in PRIVATE))
    op.execute(users.update().values({name: None for name in PRIVATE}))
    changes = sa.table('sync_changes', sa.column('seq', sa.BigInteger()),
                       sa.column('tbl', sa.String()), sa.column('payload', sa.JSON()))
    for seq, payload in bind.execute(sa.select(changes.c.seq, changes.c.payload).where(
            changes.c.tbl == 'users')).all():
        if isinstance(payload, dict) and not set(PRIVATE).isdisjoint(payload):
            bind.execute(changes.update().where(changes.c.seq == seq).values(
                payload={k: v for k, v in payload.items() if k not in PRIVATE}))
    rejections = sa.table('sync_rejections', sa.column('office_id'), sa.column('mutation_id'),
                          sa.column('tbl'), sa.column('payload'))
    for office_id, mutation_id, text in bind.execute(sa.select(
            rejections.c.office_id, rejections.c.mutation_id, rejections.c.payload).where(
            rejections.c.tbl == 'users')).all():
        try:
            payload = json.loads(text)
        except ValueError:
            continue
        if not isinstance(payload, dict) or set(PRIVATE).isdisjoint(payload):
            continue
        kept = {k: v for k, v in payload.items() if k not in PRIVATE}
        bind.execute(rejections.update().where(
            rejections.c.office_id == office_id, rejections.c.mutation_id == mutation_id
        ).values(payload=json.dumps(kept)))


def _one_office_per_tracking_code() -> None:
    bind = op.get_bind()
    exp = sa.table('expedientes', sa.column('id'), sa.column('number'),
                   sa.column('tracking_code'), sa.column('filed_at'))
    shared = bind.execute(sa.select(exp.c.tracking_code).where(
        exp.c.tracking_code.is_not(None)).group_by(exp.c.tracking_code).having(
        sa.func.count() > 1)).scalars().all()
    for code in shared:
        holders = bind.execute(sa.select(exp.c.id, exp.c.number).where(
            exp.c.tracking_code == code).order_by(
            exp.c.filed_at.is_(None), exp.c.filed_at, exp.c.id)).all()
        for holder in holders[1:]:
            bind.execute(exp.update().where(exp.c.id == holder.id).values(tracking_code=None))
            log.warning("el código de seguimiento %s queda con %s; %s lo pierde en la central",
                        code, holders[0].number, holder.number)
    op.drop_index('ix_expedientes_tracking', table_name='expedientes')
    op.create_index('ux_expedientes_tracking', 'expedientes', ['tracking_code'], unique=True)


def upgrade() -> None:
    _primary_key('sync_applied', _applied_columns(), ('office_id', 'mutation_id'))
    _primary_key('sync_rejections', _rejection_columns(), ('office_id', 'mutation_id'))
    _forget_secrets()
    _one_office_per_tracking_code()


def downgrade() -> None:
    op.drop_index('ux_expedientes_tracking', table_name='expedientes')
    op.create_index('ix_expedientes_tracking', 'expedientes', ['tracking_code'], unique=False)
    # Fails if two offices have used the same mutation id since: they are then both needed.
    _primary_key('sync_rejections', _rejection_columns(), ('mutation_id',))
    _primary_key('sync_applied', _applied_columns(), ('mutation_id',))
