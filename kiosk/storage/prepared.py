"""INSERTs for the hottest writes, run on the unit of work's own DBAPI connection.

Issuing a ticket is the kiosk's one write and the office's most frequent one. Through the ORM
most of its time went to SQLAlchemy's unit of work (building, flushing and tracking objects),
not to SQLite (bench/README.md, queue_latency.py). A `PreparedInsert` writes the same row in the
same transaction, with every value converted by its column's own SQLAlchemy type (UTC datetimes
as naive text, dates, JSON) and the column's Python-side default applied when a value is not
given, exactly as the ORM would: the triggers (outbox, audit head) fire as for any insert.
tests/integration/test_issue_path.py compares the stored rows with rows the ORM wrote.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import ColumnDefault, Table
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

# The office store's dialect (kiosk.storage.store: `sqlite:///`, the standard library driver).
_DIALECT = SQLiteDialect_pysqlite()


class PreparedInsert:
    def __init__(self, table: Table) -> None:
        self.table = table.name
        self._processors: dict[str, Callable[[Any], Any] | None] = {
            c.name: c.type.dialect_impl(_DIALECT).bind_processor(_DIALECT) for c in table.columns}
        self._defaults: dict[str, Any] = {
            c.name: c.default.arg for c in table.columns
            if isinstance(c.default, ColumnDefault) and c.default.is_scalar}
        self._sql: dict[tuple[str, ...], str] = {}

    def sql(self, columns: tuple[str, ...]) -> str:
        statement = self._sql.get(columns)
        if statement is None:
            unknown = set(columns) - set(self._processors)
            if unknown:
                raise KeyError(f"{self.table} has no column {sorted(unknown)}")
            statement = (f"INSERT INTO {self.table} ({', '.join(columns)}) "
                         f"VALUES ({', '.join('?' * len(columns))})")
            self._sql[columns] = statement
        return statement

    def bound(self, column: str, value: Any) -> Any:
        """`value` as the column stores it (for a raw statement's parameter)."""
        process = self._processors[column]
        return value if value is None or process is None else process(value)

    def __call__(self, db: sqlite3.Connection, values: Mapping[str, Any]) -> int:
        """Insert one row; returns its rowid (an INTEGER PRIMARY KEY such as `events.seq`).

        Columns left out get their Python-side default, or else SQL's (NULL, a server default).
        """
        row = {**self._defaults, **values} if self._defaults else dict(values)
        columns = tuple(row)
        statement = self.sql(columns)
        params = []
        for name in columns:
            value, process = row[name], self._processors[name]
            params.append(value if value is None or process is None else process(value))
        cursor = db.execute(statement, params)
        return int(cursor.lastrowid or 0)
