"""the recovery indexes keyed by the office id's hash on PostgreSQL (issue 21, storage)

`ix_tickets_recovery` and `ix_events_recovery` were `(office_id, _sync_seq)`: the office id's
text (37 bytes, 40 aligned) in every entry, 60 bytes an entry built afresh. Keyed by
`hashtextextended(office_id, 0)` (sync/central/schema.py `office_key`) an entry takes 28; a
restored hub's recovery reads by the hash alone (`of_office`), which a unique index on the
offices' keys keeps to one office (`ux_offices_key`; on SQLite the key is the id itself). The new index is built
before the old one is dropped, in the migration's transaction: pushes wait for the build
(~4 s a million tickets on the bench's machine). SQLite's indexes stay as they are.

Revision ID: 0017
Revises: 0016
"""

from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_TABLES = ("tickets", "events")


def _rebuild(key: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES:
        name = f"ix_{table}_recovery"
        op.execute(f"CREATE INDEX {name}_new ON {table} ({key}, _sync_seq)")
        op.execute(f"DROP INDEX {name}")
        op.execute(f"ALTER INDEX {name}_new RENAME TO {name}")


def _key() -> str:
    return ("hashtextextended(id, 0)" if op.get_bind().dialect.name == "postgresql" else "id")


def upgrade() -> None:
    op.execute(f"CREATE UNIQUE INDEX ux_offices_key ON offices ({_key()})")
    _rebuild("hashtextextended(office_id, 0)")


def downgrade() -> None:
    _rebuild("office_id")
    op.drop_index("ux_offices_key", table_name="offices")
