"""the carné de permiso temporal de permanencia (CPP/PTP) as a person's document

SQLite changes a CHECK constraint only by rebuilding the table, which drops its triggers: the
full-text index's (0006: created again, the index re-read as rowids may change) and the sync
outbox's (0007: `install_capture_triggers`).

Revision ID: 0015
Revises: 0014
"""

from alembic import op

from kiosk.storage.replication import install_capture_triggers

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# As 0006 made them (kiosk/services/search.py SEARCH_INDEXES).
FTS, TABLE = "fts_persons", "persons"
COLUMNS = ("paternal_surname", "maternal_surname", "given_names")


def _search_triggers() -> None:
    cols = ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    for suffix in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}")
    op.execute(f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN "
               f"INSERT INTO {FTS}(rowid, {cols}) VALUES (new.rowid, {new}); END")
    op.execute(f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN "
               f"INSERT INTO {FTS}({FTS}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); "
               f"END")
    op.execute(f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF {cols} ON {TABLE} BEGIN "
               f"INSERT INTO {FTS}({FTS}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); "
               f"INSERT INTO {FTS}(rowid, {cols}) VALUES (new.rowid, {new}); END")
    op.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")


def _doc_types(allowed: str) -> None:
    with op.batch_alter_table("persons") as batch:
        batch.drop_constraint("ck_persons_doc_type", type_="check")
        batch.create_check_constraint("ck_persons_doc_type", f"doc_type IN ({allowed})")
    _search_triggers()
    install_capture_triggers(op.get_bind())


def upgrade() -> None:
    _doc_types("'DNI', 'CE', 'CPP', 'PAS'")


def downgrade() -> None:
    _doc_types("'DNI', 'CE', 'PAS'")
