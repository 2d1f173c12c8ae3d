"""the tickets' ids as PostgreSQL's `uuid` (issue 21, storage)

A ticket's id is a hub-made UUID (kiosk/ids.py), kept as its 37-byte text: 16 bytes as
`uuid`, in the row and in the primary key's every entry (kiosk/storage/tables.py `UuidText`:
the hubs keep text, central reads and writes the same text). Tickets are most of central's
rows: ~10 kB an office-day in the table and ~17 kB in its primary key. The columns that
refer to a ticket take its type (a rating's, an expediente's link), so that they still
compare with it. The change rewrites the
table and its indexes in the migration's transaction: pushes wait for it (~50 s for 2.5
million tickets on the bench's machine). SQLite keeps text.

Revision ID: 0018
Revises: 0017
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

_UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


_COLUMNS = (("tickets", "id"), ("ratings", "ticket_id"), ("expediente_tickets", "ticket_id"))


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table, column in _COLUMNS:
        odd = bind.execute(sa.text(f"SELECT {column} FROM {table} WHERE {column} !~ :form "
                                   "LIMIT 1"), {"form": _UUID}).scalar()
        if odd is not None:  # never made by a hub: a person must look before anything changes
            raise RuntimeError(
                f"La central guarda en {table}.{column} un identificador que no es un UUID "
                f"({odd[:40]!r}): revise esa fila antes de actualizar (la base no se "
                "modificó).")
    for table, column in _COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE uuid USING {column}::uuid")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column in _COLUMNS:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(36) "
                       f"USING {column}::text")
