"""Full-text name index (FTS5) over persons, businesses and actas, kept in sync by triggers

The B-tree indexes of 0005 answer surname-first searches («Quispe Mamani Juan») by prefix. Names
typed in another order («Juan Quispe Mamani», «Juan Carlos Quispe», a maternal surname alone) need
every word looked up wherever it is: an FTS5 index per table, external content (no copy of the
names), tokenizer unicode61 with diacritics removed (so «Núñez» and «NUNEZ» are the same word).

The triggers keep the index in step with every writer (ORM, raw SQL, imports). FTS rows are keyed
by the tables' implicit rowid: anything that renumbers rowids (VACUUM, a table rebuilt by a
batch migration) must be followed by `INSERT INTO fts_x(fts_x) VALUES ('rebuild')`; a batch
migration of these tables also drops their triggers, which must then be created again
(kiosk/services/search.py: SEARCH_INDEXES, rebuild_search_index).

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TOKENIZE = "unicode61 remove_diacritics 2"

# FTS table -> (content table, indexed columns). Kept in step with kiosk/services/search.py.
INDEXES = {
    "fts_persons": ("persons", ("paternal_surname", "maternal_surname", "given_names")),
    "fts_businesses": ("businesses", ("name",)),
    "fts_actas": ("actas", ("titular_paternal", "titular_maternal", "titular_given",
                            "spouse_paternal", "spouse_maternal", "spouse_given")),
}


def _create(fts: str, table: str, columns: tuple[str, ...]) -> None:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', "
               f"content_rowid='rowid', tokenize='{TOKENIZE}')")
    op.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
               f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.rowid, {new}); END")
    op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
               f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); "
               f"END")
    op.execute(f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
               f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); "
               f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.rowid, {new}); END")
    # Rows written before this migration.
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def upgrade() -> None:
    for fts, (table, columns) in INDEXES.items():
        _create(fts, table, columns)


def downgrade() -> None:
    for fts in INDEXES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {fts}")
