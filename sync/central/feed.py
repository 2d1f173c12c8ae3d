"""What central publishes for hubs to pull: one ordered feed of changes, per office or for all.

A hub reads pages after its cursor and stores the page and the cursor in one transaction
(sync/hub_sync.py). Writers of the feed are serialised (an advisory lock on PostgreSQL;
SQLite has one writer anyway), so a change can never commit below a cursor a hub already
passed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, or_, select, text

from kiosk.storage.tables import Base
from sync.central.schema import changes
from sync.wire import PULL_PAGE, encode_row

_FEED_LOCK = 7_470_001  # pg_advisory_xact_lock key of the feed's writers


def lock_feed(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _FEED_LOCK})


def publish(connection: Connection, office_id: str | None, table: str, op: str,
            payload: dict[str, Any], now: datetime) -> None:
    lock_feed(connection)
    connection.execute(changes.insert().values(office_id=office_id, tbl=table, op=op,
                                               payload=payload, created_at=now))


def publish_row(connection: Connection, office_id: str | None, table: Table,
                row: dict[str, Any], now: datetime) -> None:
    """A catalogue or national row as the hubs store it (their own office id goes in there)."""
    source = Base.metadata.tables[table.name]
    values = {k: v for k, v in row.items() if k in source.columns and k != "office_id"}
    publish(connection, office_id, table.name, "upsert", encode_row(source, values), now)


def page(connection: Connection, office_id: str, after: int, limit: int = PULL_PAGE
         ) -> tuple[list[dict[str, Any]], int, bool]:
    """(changes, next cursor, more) for one office's hub."""
    limit = max(1, min(limit, PULL_PAGE))
    rows = connection.execute(
        select(changes.c.seq, changes.c.tbl, changes.c.op, changes.c.payload)
        .where(changes.c.seq > after,
               or_(changes.c.office_id == office_id, changes.c.office_id.is_(None)))
        .order_by(changes.c.seq).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [{"c": r.seq, "t": r.tbl, "o": r.op, "p": r.payload} for r in rows]
    return items, (rows[-1].seq if rows else after), more
