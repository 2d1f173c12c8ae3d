"""non-working days with a place: a regional day counts only where it applies (issue 20)

`non_working_days` gains `place` (ubigeo prefix or office code, "" for the whole country) and
is unique by (date, scope, place). Days stored before keep their scope ("regional", "local"
without a place): they counted for the office and still do (kiosk.rules.calendar), so no
deadline moves by this migration.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

COLUMNS = "id, date, name, scope"


def _table(name: str, with_place: bool) -> None:
    columns = [sa.Column("id", sa.String(length=36), nullable=False),
               sa.Column("date", sa.Date(), nullable=False),
               sa.Column("name", sa.String(length=120), nullable=False),
               sa.Column("scope", sa.String(length=20), nullable=False)]
    if with_place:
        columns.append(sa.Column("place", sa.String(length=10), nullable=False,
                                 server_default=""))
        unique = sa.UniqueConstraint("date", "scope", "place",
                                     name="uq_non_working_days_date_scope_place")
    else:
        unique = sa.UniqueConstraint("date", "scope")
    op.create_table(name, *columns, sa.PrimaryKeyConstraint("id"), unique)


def upgrade() -> None:
    # SQLite cannot change a constraint in place: the table is made again, its rows copied.
    _table("non_working_days_new", with_place=True)
    op.execute(f"INSERT INTO non_working_days_new ({COLUMNS}, place) "
               f"SELECT {COLUMNS}, '' FROM non_working_days")
    op.drop_table("non_working_days")
    op.rename_table("non_working_days_new", "non_working_days")


def downgrade() -> None:
    # Days of a place (kept once per date and scope) lose where they count.
    _table("non_working_days_old", with_place=False)
    op.execute(f"INSERT INTO non_working_days_old ({COLUMNS}) SELECT {COLUMNS} FROM "
               "non_working_days WHERE rowid IN (SELECT min(rowid) FROM non_working_days "
               "GROUP BY date, scope)")
    op.drop_table("non_working_days")
    op.rename_table("non_working_days_old", "non_working_days")
