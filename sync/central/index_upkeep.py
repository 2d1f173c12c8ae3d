"""The recovery indexes rebuilt when they have become mostly empty pages.

A restored hub's recovery reads its office's rows by outbox seq along
`(office_key(office_id), _sync_seq)` (sync/central/feed.py). Every office appends at the end
of its own range of that index, in the middle of the index, and PostgreSQL splits such a full
page in two halves that the office's later entries never fill: offices pushing in turn leave
it ~51 % full, ~120 bytes an entry where a fresh build took ~68 (measured, issue 21, when the
key was the office id's text; ~32 with its hash since revision 0017). Tickets are never
deleted, so what a rebuild packs stays packed; only the entries written after it are sparse
again.

Central's maintenance rebuilds an index with `REINDEX … CONCURRENTLY` (no lock that stops
pushes or reads; it reads the table twice and needs the index's size again on disk meanwhile)
once it takes SPARSE times what a fresh build would: a region's year is rebuilt a few times
(each time its new entries have grown it by about a third), never while it stays packed.
PostgreSQL only; SQLite's indexes are not concerned.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)

RECOVERY_INDEXES = ("ix_tickets_recovery", "ix_events_recovery")
SPARSE = 1.3  # rebuilt when it holds this many times what a fresh build would
MIN_BYTES = 64 << 20  # smaller ones cost nothing worth a rebuild
_PAGE = 8192
_LOCK = 7_470_032  # pg_try_advisory_lock: one rebuild at a time over the database
_PAGE_USABLE = (_PAGE - 24 - 16) * 0.9  # page and B-tree headers; a build fills leaves to 90 %


def fresh_bytes(entries: float) -> float:
    """What `(office_key(office_id), _sync_seq)` holding `entries` takes built afresh: an index
    tuple (8 bytes of header, the office's 8-byte hash, the seq) and its line pointer (4)."""
    entry = 4 + 8 + 8 + 8
    return entries * entry / _PAGE_USABLE * _PAGE * 1.01  # the inner pages: ~1 %


def sparse_indexes(connection: Connection, minimum: int = MIN_BYTES
                   ) -> list[tuple[str, int, int]]:
    """(index, bytes, bytes built afresh) for each recovery index past SPARSE."""
    found = []
    for name in RECOVERY_INDEXES:
        row = connection.execute(text(
            "SELECT pg_relation_size(i.oid), t.reltuples FROM pg_class i JOIN pg_index x "
            "ON x.indexrelid = i.oid JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE i.oid = to_regclass(:name)"), {"name": name}).first()
        if row is None or row[1] <= 0:  # absent, or never analysed: nothing known
            continue
        size, fresh = int(row[0]), int(fresh_bytes(float(row[1])))
        if size >= minimum and size > SPARSE * fresh:
            found.append((name, size, fresh))
    return found


def rebuild_sparse(engine: Engine, minimum: int | None = None) -> list[str]:
    """Rebuild the recovery indexes past SPARSE; their names. One central process at a time
    (the others find the lock taken and leave it)."""
    if engine.dialect.name != "postgresql":
        return []
    rebuilt = []
    with engine.connect() as connection:  # REINDEX CONCURRENTLY: outside a transaction
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        if not autocommit.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": _LOCK}):
            return []
        try:
            for name, size, fresh in sparse_indexes(
                    autocommit, MIN_BYTES if minimum is None else minimum):
                # One left invalid by a rebuild that was stopped (a process killed) goes first.
                for (leftover,) in autocommit.execute(text(
                        "SELECT c.relname FROM pg_class c JOIN pg_index x ON x.indexrelid = "
                        "c.oid WHERE NOT x.indisvalid AND c.relname LIKE :like"),
                        {"like": f"{name}_ccnew%"}).all():
                    autocommit.exec_driver_sql(f'DROP INDEX CONCURRENTLY IF EXISTS "{leftover}"')
                autocommit.exec_driver_sql(f'REINDEX INDEX CONCURRENTLY "{name}"')
                log.info("índice %s reconstruido: %s MB (%s MB nuevo)", name, size >> 20,
                         fresh >> 20)
                rebuilt.append(name)
        finally:
            autocommit.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK})
    return rebuilt
