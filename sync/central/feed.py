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

from kiosk.storage.replication import PRIVATE_COLUMNS, REPLICATED, Policy
from kiosk.storage.tables import Base
from sync.central import event_archive
from sync.central.schema import REPLICAS, SYNC_SEQ, changes, of_office
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
    """A catalogue or national row as the hubs store it (their own office id goes in there;
    their private columns are theirs alone)."""
    source = Base.metadata.tables[table.name]
    private = PRIVATE_COLUMNS.get(table.name, frozenset())
    values = {k: v for k, v in row.items()
              if k in source.columns and k != "office_id" and k not in private}
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


# The office's own facts, as it last pushed them: what a hub restored from an old backup lacks.
RECOVERABLE = tuple(r.table for r in REPLICATED if r.policy in (Policy.OFFICE, Policy.APPEND))


def recovery_page(connection: Connection, office_id: str, after: int, limit: int = PULL_PAGE
                  ) -> tuple[list[dict[str, Any]], int, bool]:
    """(rows, next cursor, more): this office's rows whose last pushed change (`_sync_seq`, the
    hub's own outbox seq) is above `after`, oldest change first, across its tables. One
    outbox seq is one row's change, so the cursor never splits or repeats a row."""
    limit = max(1, min(limit, PULL_PAGE))
    found: list[tuple[int, str, dict[str, Any]]] = []
    for name in RECOVERABLE:
        replica = REPLICAS[name]
        source = Base.metadata.tables[name]
        rows = connection.execute(
            select(replica).where(of_office(replica.c.office_id, office_id),
                                  replica.c[SYNC_SEQ] > after)
            .order_by(replica.c[SYNC_SEQ]).limit(limit + 1)).mappings().all()
        for row in rows:
            values = {k: v for k, v in row.items()
                      if k in source.columns and k != "office_id"}
            found.append((int(row[SYNC_SEQ]), name, encode_row(source, values)))
        if name == "events":  # and those folded into the archive, as they were pushed (a
            # fold committed between the two reads would give an event twice: once is kept)
            seen = {seq for seq, table, _ in found if table == name}
            found.extend((e.seq, name, e.payload)
                         for e in event_archive.recovered(connection, office_id, after, limit + 1)
                         if e.seq not in seen)
    found.sort(key=lambda item: item[0])
    more = len(found) > limit
    found = found[:limit]
    items = [{"s": seq, "t": name, "p": payload} for seq, name, payload in found]
    return items, (found[-1][0] if found else after), more
