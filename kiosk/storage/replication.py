"""What the office store shares with the central server, and how changes are captured.

Every change that must reach central is written to `sync_outbox` by a trigger in the same
transaction as the change itself (a transactional outbox): every writer — the ORM, raw SQL,
imports, the rollover — is captured, and a power cut can lose neither the row nor its entry.
The sync worker (sync/hub_sync.py) pushes the outbox; the central server applies each entry
once (ARCHITECTURE §7).

The triggers are generated from the live table definitions (`PRAGMA table_info`) and made
again after every migration (kiosk.storage.migrate), so a column added later is never left
out of what central receives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session


class Policy(StrEnum):
    # Rows the office owns (tickets, expedientes, ...): central keeps the newest snapshot.
    OFFICE = "office"
    # Immutable facts (events): central inserts each once, by id.
    APPEND = "append"
    # Authored centrally and pulled by the hub (services, procedures, users). The hub's own rows
    # go up once so that central learns an office that existed before it was connected; after
    # that central's version wins.
    CATALOGUE = "catalogue"
    # National data kept only centrally (UIT, extra non-working days); pulled, never pushed.
    NATIONAL = "national"


@dataclass(frozen=True)
class Replicated:
    table: str
    policy: Policy
    # Columns that are the office's own state and that a pull never overwrites (a clerk's
    # failed logins), nor a change of which is worth a push.
    local_columns: tuple[str, ...] = ()
    # The columns that identify a row across nodes (default: the primary key).
    key: tuple[str, ...] | None = None
    # Local columns that never leave the office at all (a clerk's PIN hash): left out of
    # every outbox payload, push and bundle; central neither stores nor sends them.
    private_columns: tuple[str, ...] = ()


# In dependency order: a row's references are applied before it (central keeps no foreign keys,
# but the hub applies pulled catalogue rows in this order too).
REPLICATED: tuple[Replicated, ...] = (
    Replicated("services", Policy.CATALOGUE),
    Replicated("counters", Policy.OFFICE),
    Replicated("counter_services", Policy.OFFICE),
    Replicated("uit_values", Policy.NATIONAL),
    # Ids differ between nodes for the same day: the day, its scope and place say which it is.
    Replicated("non_working_days", Policy.NATIONAL, key=("date", "scope", "place")),
    Replicated("procedures", Policy.CATALOGUE),
    Replicated("procedure_versions", Policy.CATALOGUE),
    # A clerk's PIN is the office's own: its hash, failed logins and lock never travel (a clerk
    # added centrally arrives without a PIN), and a pull never overwrites them.
    Replicated("users", Policy.CATALOGUE,
               local_columns=("failed_attempts", "locked_until", "secret_hash", "must_change"),
               private_columns=("failed_attempts", "locked_until", "secret_hash")),
    Replicated("tickets", Policy.OFFICE),
    Replicated("persons", Policy.OFFICE),
    Replicated("businesses", Policy.OFFICE),
    Replicated("actas", Policy.OFFICE),
    Replicated("expedientes", Policy.OFFICE),
    Replicated("expediente_tickets", Policy.OFFICE),
    Replicated("payments", Policy.OFFICE),
    Replicated("attachments", Policy.OFFICE),
    Replicated("print_jobs", Policy.OFFICE),
    Replicated("ratings", Policy.OFFICE),
    # The Libro de Reclamaciones and the anonymous suggestions box (kiosk/rules/reclamos.py).
    Replicated("reclamos", Policy.OFFICE),
    Replicated("suggestions", Policy.OFFICE),
    # The places of each cita slot the office gave central to book (kiosk/services/citas.py).
    Replicated("cita_delegations", Policy.OFFICE),
    Replicated("events", Policy.APPEND, key=("id",)),
)
BY_TABLE = {r.table: r for r in REPLICATED}
PUSHED = tuple(r for r in REPLICATED if r.policy is not Policy.NATIONAL)
PRIVATE_COLUMNS = {r.table: frozenset(r.private_columns) for r in REPLICATED if r.private_columns}

KEY_SEPARATOR = "|"
# Sync state written by `cac restore`: the outbox seq the restored copy had reached. The next
# sync round gets back from central what the office pushed above it (sync/recovery.py).
RESTORED_STATE = "restored"


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    declared_type: str
    pk: int  # position in the primary key, 0 when not part of it


def table_columns(connection: Connection, table: str) -> list[ColumnInfo]:
    rows = connection.exec_driver_sql(f"PRAGMA table_info({table})").all()
    return [ColumnInfo(name=r[1], declared_type=(r[2] or "").upper(), pk=int(r[5])) for r in rows]


def key_columns(spec: Replicated, columns: list[ColumnInfo]) -> list[str]:
    if spec.key is not None:
        return list(spec.key)
    return [c.name for c in sorted((c for c in columns if c.pk), key=lambda c: c.pk)]


def _json_object(columns: list[ColumnInfo], row: str) -> str:
    parts = []
    for c in columns:
        value = f"{row}.{c.name}"
        if c.declared_type == "JSON":
            value = f"json({value})"  # nested JSON, not a string holding JSON
        parts.append(f"'{c.name}', {value}")
    return "json_object(" + ", ".join(parts) + ")"


def _row_key(keys: list[str], row: str) -> str:
    return f" || '{KEY_SEPARATOR}' || ".join(f"{row}.{k}" for k in keys)


_CAPTURING = "coalesce((SELECT applying FROM sync_control), 0) = 0"


def _mutation_id() -> str:
    return "lower(hex(randomblob(16)))"


def capture_triggers(spec: Replicated, columns: list[ColumnInfo]) -> list[str]:
    """CREATE TRIGGER statements that write each change of `spec.table` to the outbox."""
    table = spec.table
    keys = key_columns(spec, columns)
    op = "insert" if spec.policy is Policy.APPEND else "upsert"
    shared_out = _travelling(spec, columns)
    statements = []
    for suffix, event in (("ai", "INSERT"), ("au", "UPDATE")):
        if event == "UPDATE" and spec.policy is Policy.APPEND:
            continue  # facts are never edited
        if event == "UPDATE" and spec.local_columns:
            shared = [c.name for c in columns if c.name not in spec.local_columns]
            event = "UPDATE OF " + ", ".join(shared)
        # A newer snapshot replaces one still waiting: only the last state travels.
        supersede = ("" if spec.policy is Policy.APPEND else
                     f"DELETE FROM sync_outbox WHERE tbl = '{table}' AND "
                     f"row_key = {_row_key(keys, 'NEW')} AND state = 'pending'; ")
        statements.append(
            f"CREATE TRIGGER sync_{table}_{suffix} AFTER {event} ON {table} "
            f"WHEN {_CAPTURING} BEGIN {supersede}"
            f"INSERT INTO sync_outbox (mutation_id, tbl, row_key, op, payload) VALUES "
            f"({_mutation_id()}, '{table}', {_row_key(keys, 'NEW')}, '{op}', "
            f"{_json_object(shared_out, 'NEW')}); END"
        )
    if spec.policy is not Policy.APPEND:
        key_object = _json_object([c for c in columns if c.name in keys], "OLD")
        statements.append(
            f"CREATE TRIGGER sync_{table}_ad AFTER DELETE ON {table} WHEN {_CAPTURING} BEGIN "
            f"DELETE FROM sync_outbox WHERE tbl = '{table}' AND row_key = "
            f"{_row_key(keys, 'OLD')} AND state = 'pending'; "
            f"INSERT INTO sync_outbox (mutation_id, tbl, row_key, op, payload) VALUES "
            f"({_mutation_id()}, '{table}', {_row_key(keys, 'OLD')}, 'delete', {key_object}); "
            f"END"
        )
    return statements


def _travelling(spec: Replicated, columns: list[ColumnInfo]) -> list[ColumnInfo]:
    return [c for c in columns if c.name not in spec.private_columns]


def without_private(table: str, payload: str) -> str:
    """An outbox payload (JSON text) without the table's private columns: entries an older
    trigger wrote with them leave the office without them too."""
    private = PRIVATE_COLUMNS.get(table)
    if not private:
        return payload
    row = json.loads(payload)
    if not isinstance(row, dict) or private.isdisjoint(row):
        return payload
    return json.dumps({k: v for k, v in row.items() if k not in private},
                      ensure_ascii=False, separators=(",", ":"))


def trigger_names(table: str) -> tuple[str, ...]:
    return (f"sync_{table}_ai", f"sync_{table}_au", f"sync_{table}_ad")


def install_capture_triggers(connection: Connection) -> None:
    """(Re)create the outbox triggers of every pushed table from its current columns.

    A table a later migration creates (an older revision runs this too) is skipped: that
    migration installs its triggers when it makes the table."""
    for spec in PUSHED:
        for name in trigger_names(spec.table):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        columns = table_columns(connection, spec.table)
        if not columns:
            continue
        for statement in capture_triggers(spec, columns):
            connection.exec_driver_sql(statement)


def enqueue_existing_rows(connection: Connection) -> int:
    """Put every row already in the store into the outbox (an office connected late)."""
    total = 0
    for spec in PUSHED:
        columns = table_columns(connection, spec.table)
        if not columns:
            continue  # not created yet at this revision
        keys = key_columns(spec, columns)
        op = "insert" if spec.policy is Policy.APPEND else "upsert"
        order = "seq" if spec.table == "events" else "rowid"
        result = connection.exec_driver_sql(
            f"INSERT INTO sync_outbox (mutation_id, tbl, row_key, op, payload) "
            f"SELECT {_mutation_id()}, '{spec.table}', {_row_key(keys, spec.table)}, '{op}', "
            f"{_json_object(_travelling(spec, columns), spec.table)} FROM {spec.table} "
            f"ORDER BY {order}"
        )
        total += result.rowcount or 0
    return total


def outbox_last_seq(session: Session) -> int:
    """The highest outbox seq this store ever gave (AUTOINCREMENT remembers deleted ones)."""
    value = session.execute(text(
        "SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'")).scalar()
    return int(value or 0)
