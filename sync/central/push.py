"""Applying a hub's push: each entry once, each answered, a bad one never blocking the rest.

The fast path writes a batch as one multi-row upsert per table. If the database refuses it,
the batch is applied again entry by entry, each in its own savepoint, and only the entries
that fail are rejected.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    Connection,
    Table,
    and_,
    any_,
    bindparam,
    delete,
    func,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError

from kiosk.errors import InvalidInput
from kiosk.storage.replication import BY_TABLE, KEY_SEPARATOR, REPLICATED, Policy
from kiosk.storage.tables import Base
from sync.central import event_archive
from sync.central.schema import REPLICAS, SYNC_SEQ, applied, rejections
from sync.wire import MAX_BATCH_ENTRIES, decode_row, dumps, has_control, printable, stored_row

log = logging.getLogger(__name__)

APPLIED, DUPLICATE, REJECTED = "applied", "duplicate", "rejected"
_ORDER = {spec.table: i for i, spec in enumerate(REPLICATED)}
_CHUNK = 400  # ids per IN (...) list


class Entry(NamedTuple):
    """One change of a batch (a named tuple: built three times faster than a frozen
    dataclass, 500 a batch)."""

    mutation_id: str
    seq: int
    table: str
    op: str
    row_key: str
    payload: dict[str, Any]


# Tables whose rows the statistics count: the office-days they change are marked for the
# pre-aggregated figures to be built again (sync/central/stats_refresh.py).
COUNTED = ("tickets", "ratings")


@dataclass
class Outcome:
    results: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    max_seq: int = 0
    days: set[tuple[str, Any]] = field(default_factory=set)  # (office id, business date)
    # The «cita» events written: central's copies of its citas follow them (citas.follow).
    cita_events: list[dict[str, Any]] = field(default_factory=list)

    def set(self, entry: Entry, result: str, reason: str | None = None) -> None:
        self.results[entry.mutation_id] = (result, reason and printable(reason))
        self.max_seq = max(self.max_seq, entry.seq)


def parse_entries(document: Any) -> list[Entry]:
    """The entries of a push body; a malformed batch is refused whole (the hub's bug)."""
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise InvalidInput("bad_batch", "El envío no tiene la forma de un lote de cambios.")
    raw = document["entries"]
    if len(raw) > MAX_BATCH_ENTRIES:
        raise InvalidInput("batch_too_large",
                           f"Un lote puede tener como máximo {MAX_BATCH_ENTRIES} cambios.")
    entries = []
    for item in raw:
        try:
            entry = Entry(item["m"], item["s"], item["t"], item["o"], item["k"], item["p"])
        except (KeyError, TypeError):
            raise InvalidInput("bad_batch", "Un cambio del lote está incompleto.") from None
        if not (isinstance(entry.mutation_id, str) and 8 <= len(entry.mutation_id) <= 32
                and not has_control(entry.mutation_id)
                and isinstance(entry.seq, int) and not isinstance(entry.seq, bool)
                and entry.seq > 0 and isinstance(entry.table, str)
                and isinstance(entry.op, str) and isinstance(entry.row_key, str)
                and isinstance(entry.payload, dict)):
            raise InvalidInput("bad_batch", "Un cambio del lote tiene datos de tipo incorrecto.")
        entries.append(entry)
    if len({e.mutation_id for e in entries}) != len(entries):
        raise InvalidInput("bad_batch", "El lote repite un identificador de cambio.")
    return entries


def _among(connection: Connection, column: Any, values: list[Any]) -> Any:
    """`column IN values`; on PostgreSQL `= ANY(array)`, one parameter however many values
    (cheaper to build and to plan than hundreds of them)."""
    if connection.dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=postgresql.ARRAY(column.type)))
    return column.in_(values)


def _insert(connection: Connection, table: Table) -> Any:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


@functools.cache
def _key_columns(table: Table) -> tuple[str, ...]:
    return tuple(c.name for c in table.primary_key.columns)


@functools.cache
def _office_owned(name: str) -> bool:
    """The office's own table has an office column (central's copy always does)."""
    return "office_id" in Base.metadata.tables[name].columns


@functools.cache
def _column_names(table: Table) -> tuple[str, ...]:
    return tuple(c.name for c in table.columns)


def _row_key(row: dict[str, Any], keys: Sequence[str]) -> str | None:
    """The row's key as a hub writes it; None when a key column is missing."""
    if len(keys) == 1:  # most tables: no generator per row
        value = row.get(keys[0])
        return None if value is None else str(value)
    values = [row.get(k) for k in keys]
    return None if None in values else KEY_SEPARATOR.join([str(v) for v in values])


@dataclass
class _Prepared:
    entry: Entry
    table: Table
    row: dict[str, Any]
    texts_clean: bool


def _prepare(entry: Entry, office_id: str, hub_office_id: str | None, texts_clean: bool,
             as_text: bool = False) -> _Prepared | str:
    """The row to write, or why the entry is refused (Spanish). `as_text`: its values in the
    form PostgreSQL reads from JSON (`stored_row`, for `_upsert_json`), else Python's."""
    spec = BY_TABLE.get(entry.table)
    if spec is None or spec.policy is Policy.NATIONAL:
        return f"La tabla «{printable(entry.table)[:40]}» no se sincroniza desde las oficinas."
    expected_ops = ("insert",) if spec.policy is Policy.APPEND else ("upsert", "delete")
    if entry.op not in expected_ops:
        return f"Operación «{printable(entry.op)[:20]}» no admitida para «{entry.table}»."
    table = REPLICAS[entry.table]
    try:
        row = (stored_row if as_text else decode_row)(table, entry.payload, texts_clean)
    except ValueError as exc:
        return f"Dato no válido en «{entry.table}»: {exc}."
    if (_office_owned(entry.table) and entry.op != "delete"
            and row.get("office_id") != hub_office_id):
        return "El cambio es de otra oficina: un hub solo envía los datos de la suya."
    keys = _key_columns(table)
    found = _row_key(row, keys)
    if found is None or found != entry.row_key:
        return "La clave del registro no coincide con sus datos."
    _complete(row, entry, office_id, table, spec.private_columns, missing=not as_text)
    return _Prepared(entry, table, row, texts_clean)


def _complete(row: dict[str, Any], entry: Entry, office_id: str, table: Table,
              private: Iterable[str], missing: bool = True) -> None:
    """The columns central sets itself; `missing`: a column the row lacks is set to None
    (`_upsert_json` reads a missing key as NULL already)."""
    if entry.op != "delete":
        if missing:
            for name in _column_names(table):
                row.setdefault(name, None)  # an older hub: columns it does not know
        for name in private:  # an older hub sends them: never kept here
            row[name] = None
    row["office_id"] = office_id
    row[SYNC_SEQ] = entry.seq


def _python_row(p: _Prepared, office_id: str) -> dict[str, Any]:
    """The entry's row with Python values (`decode_row`), whichever form `p.row` holds."""
    row = decode_row(p.table, p.entry.payload, p.texts_clean)
    _complete(row, p.entry, office_id, p.table, BY_TABLE[p.table.name].private_columns)
    return row


def _foreign_keys(connection: Connection, table: Table, rows: Sequence[dict[str, Any]],
                  office_id: str, plain: bool = False) -> set[str]:
    """Keys among `rows` that central already holds for another office (`plain`: their
    values came from a plain body, `sync.wire.dumps`)."""
    keys = _key_columns(table)
    found: set[str] = set()
    if connection.dialect.name == "postgresql" and len(keys) == 1:
        # The keys as one JSON text (psycopg dumps a list's elements one by one in Python);
        # `= ANY(array)` finds them by the primary key's index.
        quote = connection.dialect.identifier_preparer.quote
        key = quote(keys[0])
        result = connection.exec_driver_sql(
            f"SELECT {key} FROM {quote(table.name)} WHERE {key} = ANY(ARRAY("
            f"SELECT json_array_elements_text(%s::json))::"
            f"{_array_type(table.c[keys[0]], connection.dialect)}) AND office_id <> %s",
            (dumps([r[keys[0]] for r in rows], plain), office_id))
        return {str(v) for (v,) in result}
    if connection.dialect.name == "postgresql":
        quote = connection.dialect.identifier_preparer.quote
        columns = [table.c[k] for k in keys]
        listed = ", ".join(quote(k) for k in keys)
        arrays = ", ".join(f"%b::{_array_type(c, connection.dialect)}" for c in columns)
        result = connection.exec_driver_sql(
            f"SELECT {listed} FROM {quote(table.name)} WHERE ({listed}) IN "
            f"(SELECT * FROM unnest({arrays})) AND office_id <> %s",
            (*_arrays(connection, columns, rows), office_id))
        return {KEY_SEPARATOR.join(str(v) for v in r) for r in result}
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start:start + _CHUNK]
        if len(keys) == 1:
            where = _among(connection, table.c[keys[0]], [r[keys[0]] for r in chunk])
        else:
            where = tuple_(*(table.c[k] for k in keys)).in_(
                [tuple(r[k] for k in keys) for r in chunk])
        query = select(*(table.c[k] for k in keys)).where(where, table.c.office_id != office_id)
        found.update(KEY_SEPARATOR.join(str(v) for v in r) for r in connection.execute(query))
    return found


def _write(connection: Connection, table: Table, policy: Policy,
           upserts: list[dict[str, Any]], deletes: list[dict[str, Any]], office_id: str,
           plain: bool = False) -> int:
    """Write a table's share of a batch; how many rows it changed (-1: not known). A row
    another office holds is left alone by the statement's own condition (and reported by
    `_apply_group`)."""
    keys = _key_columns(table)
    counts = []
    if upserts and connection.dialect.name == "postgresql":
        counts.append(_upsert_json(connection, table, policy, upserts, plain))
    elif upserts:
        stmt = _insert(connection, table)
        newer = or_(table.c[SYNC_SEQ].is_(None),
                    table.c[SYNC_SEQ] < stmt.excluded[SYNC_SEQ])
        mine = table.c.office_id == stmt.excluded.office_id
        if policy is Policy.OFFICE:
            stmt = stmt.on_conflict_do_update(
                index_elements=keys,
                set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys},
                where=and_(mine, newer))
        elif policy is Policy.APPEND:
            # A fact is written once; a provisional copy central wrote itself (no seq) is
            # replaced by the office's own, hash-chained one.
            stmt = stmt.on_conflict_do_update(
                index_elements=keys,
                set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys},
                where=and_(mine, table.c[SYNC_SEQ].is_(None)))
        else:  # catalogue: what the office had before it was connected; central's copy wins
            stmt = stmt.on_conflict_do_nothing(index_elements=keys)
        counts.append(connection.execute(stmt, upserts).rowcount)  # executemany
    for row in deletes:
        counts.append(connection.execute(delete(table).where(
            *(table.c[k] == row[k] for k in keys), table.c.office_id == office_id,
            func.coalesce(table.c[SYNC_SEQ], -1) < row[SYNC_SEQ])).rowcount)
    return -1 if any(c < 0 for c in counts) else sum(counts)


_UPSERTS: dict[tuple[str, Policy], str] = {}


def _array_type(column: Any, dialect: Dialect) -> str:
    """The column's PostgreSQL type as an array, without its length (a cast to varchar(n)
    would cut a long value short; the column itself refuses it)."""
    return re.sub(r"\(.*?\)", "", str(column.type.compile(dialect=dialect))).strip() + "[]"


def _upsert_sql(table: Table, policy: Policy, dialect: Dialect) -> str:
    """The upsert of `_write` for PostgreSQL, its rows one JSON parameter: the same
    conditions as the SQLAlchemy statement, the same text whatever the number of rows."""
    cached = _UPSERTS.get((table.name, policy))
    if cached is not None:
        return cached
    quote = dialect.identifier_preparer.quote
    name, keys = quote(table.name), _key_columns(table)
    columns = [quote(c.name) for c in table.columns]
    # A missing key is NULL; a JSON column holds JSON null for None, as SQLAlchemy writes it.
    values = [f"coalesce({quote(c.name)}, 'null'::json)" if isinstance(c.type, JSON)
              else quote(c.name) for c in table.columns]
    sql = (f"INSERT INTO {name} ({', '.join(columns)}) SELECT {', '.join(values)} "
           f"FROM json_populate_recordset(NULL::{name}, %s::json) "
           f"ON CONFLICT ({', '.join(quote(k) for k in keys)}) ")
    seq = f"{name}.{quote(SYNC_SEQ)}"
    mine = f"{name}.office_id = EXCLUDED.office_id"
    changed = ", ".join(f"{quote(c.name)} = EXCLUDED.{quote(c.name)}" for c in table.columns
                        if c.name not in keys)
    if policy is Policy.OFFICE:
        sql += (f"DO UPDATE SET {changed} WHERE {mine} AND ({seq} IS NULL OR "
                f"{seq} < EXCLUDED.{quote(SYNC_SEQ)})")
    elif policy is Policy.APPEND:
        sql += f"DO UPDATE SET {changed} WHERE {mine} AND {seq} IS NULL"
    else:
        sql += "DO NOTHING"
    _UPSERTS[(table.name, policy)] = sql
    return sql


def _upsert_json(connection: Connection, table: Table, policy: Policy,
                 rows: list[dict[str, Any]], plain: bool = False) -> int:
    """A table's upserts in one statement: its rows (`stored_row`'s values) as one JSON text,
    which PostgreSQL parses and reads into the table's row type. Python does one C call for
    the batch, not a conversion and a dump per value (psycopg's pipelined executemany would
    send, and PostgreSQL plan and run, one INSERT per row). `plain`: see `sync.wire.dumps`."""
    # The rows it inserted or updated (its command tag's count): all of them, and no
    # office's row needs looking up.
    return int(connection.exec_driver_sql(_upsert_sql(table, policy, connection.dialect),
                                          (dumps(rows, plain),)).rowcount)


def _arrays(connection: Connection, columns: list[Any], rows: Sequence[dict[str, Any]]
            ) -> list[list[Any]]:
    """Each column's values over `rows`, through the column type's bind processing."""
    dialect = connection.dialect
    arrays: list[list[Any]] = []
    for column in columns:
        process: Callable[[Any], Any] | None = (
            column.type.dialect_impl(dialect).bind_processor(dialect))
        values = [row[column.name] for row in rows]
        arrays.append(values if process is None else [process(v) for v in values])
    return arrays


def _apply_group(connection: Connection, table: Table, prepared: list[_Prepared],
                 office_id: str, outcome: Outcome, now: datetime) -> None:
    """Answer each entry: refused when the row is another office's, or claims a value
    another office holds; else written (or older than what central holds, which is as good
    as applied)."""
    plain = all(p.texts_clean for p in prepared)  # the batch's body was plain JSON
    # A unique value another office holds would fail the statement: looked up first.
    refused = _claimed_elsewhere(connection, table, prepared, office_id)
    written = [p for p in prepared if p.entry.row_key not in refused]
    if table.name == "events":  # an event central archived is answered, not written again
        archived = event_archive.archived_ids(connection, office_id, [p.row for p in written],
                                              now)
        written = [p for p in written if p.row["id"] not in archived]
    changed = _write(connection, table, BY_TABLE[table.name].policy,
                     [p.row for p in written if p.entry.op != "delete"],
                     [p.row for p in written if p.entry.op == "delete"], office_id, plain)
    if changed != len(written):
        # The statements never touch another office's row; only when some row was left as
        # it was (usually an older snapshot) is it worth asking whose rows those are.
        elsewhere = _foreign_keys(connection, table, [p.row for p in written], office_id,
                                  plain)
        refused.update((key, "El registro pertenece a otra oficina: no se puede modificar.")
                       for key in elsewhere)
        written = [p for p in written if p.entry.row_key not in elsewhere]
    if table.name in COUNTED:
        days: set[Any] = {p.row.get("business_date") for p in written} - {None}
        outcome.days.update((office_id, d if isinstance(d, date) else date.fromisoformat(d))
                            for d in days)
    if table.name == "events":
        outcome.cita_events.extend(_python_row(p, office_id) for p in written
                                   if p.row.get("stream") == "cita")
    for p in prepared:
        reason = refused.get(p.entry.row_key)
        outcome.set(p.entry, REJECTED if reason else APPLIED, reason)


# Values central holds once across all offices, as the public page looks a tracking code up
# alone: the first office whose row claims one keeps it (a unique index says so too).
UNIQUE_ACROSS_OFFICES = {"expedientes": ("tracking_code", "ux_expedientes_tracking")}


def _taken(value: object) -> str:
    return (f"El código de seguimiento {value} ya pertenece a un expediente de otra oficina: "
            "la central no registra este expediente con él. Avise al administrador del "
            "sistema.")


def _claimed_elsewhere(connection: Connection, table: Table, prepared: list[_Prepared],
                       office_id: str) -> dict[str, str]:
    """Row keys among `prepared` whose unique value another office already holds, with the
    reason they are refused."""
    unique = UNIQUE_ACROSS_OFFICES.get(table.name)
    if unique is None:
        return {}
    column = table.c[unique[0]]
    wanted = {p.row[column.name]: p.entry.row_key for p in prepared
              if p.entry.op != "delete" and p.row.get(column.name) is not None}
    values = list(wanted)
    taken: set[object] = set()
    for start in range(0, len(values), _CHUNK):
        taken.update(connection.scalars(select(column).where(
            _among(connection, column, values[start:start + _CHUNK]),
            table.c.office_id != office_id)))
    return {wanted[value]: _taken(value) for value in taken}


def _database_reason(exc: DBAPIError) -> str:
    detail = str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc)
    for column, index in UNIQUE_ACROSS_OFFICES.values():
        if index in detail or f".{column}" in detail:  # another office claimed it meanwhile
            return _taken("del expediente")
    return f"La base central rechazó el registro: {detail[:300]}"


def _claim(connection: Connection, office_id: str, entries: list[Entry], now: datetime,
           plain: bool = False) -> set[str]:
    """Record the batch's mutation ids; the ones this office recorded before are the
    duplicates (another office's ids are no business of this one: it cannot pre-claim them)."""
    if not entries:
        return set()
    ids = [e.mutation_id for e in entries]
    # Thousands of small rows a minute: straight to the driver (no per-row type processing;
    # the column holds naive UTC, as every UTCDateTime does).
    stamp = now.astimezone(UTC).replace(tzinfo=None)
    if connection.dialect.name == "postgresql":
        # One statement: the ids not recorded yet are recorded; the rest, the duplicates, come
        # back (pushes of an office are serialised by the lock on its link). The batch goes
        # as one JSON text: no Python work per id (psycopg dumps an array's elements so).
        return set(connection.exec_driver_sql(
            "WITH batch AS (SELECT value->>0 AS m, (value->>1)::bigint AS s "
            "FROM jsonb_array_elements(%s::jsonb)), "
            "recorded AS (INSERT INTO sync_applied (mutation_id, office_id, seq, applied_at) "
            "SELECT m, %s::text, s, %s::timestamp FROM batch "
            "ON CONFLICT (office_id, mutation_id) DO NOTHING RETURNING mutation_id) "
            "SELECT m FROM batch WHERE m NOT IN (SELECT mutation_id FROM recorded)",
            (dumps([[e.mutation_id, e.seq] for e in entries], plain), office_id, stamp)
        ).scalars())
    seen: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        seen.update(connection.scalars(select(applied.c.mutation_id).where(
            applied.c.office_id == office_id,
            _among(connection, applied.c.mutation_id, ids[start:start + _CHUNK]))))
    fresh = [(e.mutation_id, office_id, e.seq, stamp) for e in entries
             if e.mutation_id not in seen]
    if fresh:
        mark = "%s" if connection.dialect.paramstyle in ("format", "pyformat") else "?"
        connection.exec_driver_sql(
            f"INSERT INTO sync_applied (mutation_id, office_id, seq, applied_at) VALUES "
            f"({mark}, {mark}, {mark}, {mark})", fresh)
    return seen


def apply_entries(connection: Connection, office_id: str, hub_office_id: str | None,
                  entries: Iterable[Entry], now: datetime, texts_clean: bool = False
                  ) -> Outcome:
    """Apply a batch inside the caller's transaction; one result per mutation id.
    `texts_clean`: the batch's body is plain JSON with no control character (`unpack_checked`)."""
    entries = list(entries)
    outcome = Outcome()
    as_text = connection.dialect.name == "postgresql"  # rows for `_upsert_json`
    done = _claim(connection, office_id, entries, now, texts_clean)
    # Only the newest snapshot of a row in this batch is written (an upsert may not touch a
    # row twice); the older ones share its fate.
    newest: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        if entry.mutation_id in done:
            outcome.set(entry, DUPLICATE)
            continue
        slot = (entry.table, entry.row_key)
        if slot not in newest or newest[slot].seq < entry.seq:
            newest[slot] = entry
    groups: dict[str, list[_Prepared]] = {}
    superseded: list[Entry] = []
    for entry in entries:
        if entry.mutation_id in done:
            continue
        if newest[(entry.table, entry.row_key)] is not entry:
            superseded.append(entry)
            continue
        prepared = _prepare(entry, office_id, hub_office_id, texts_clean, as_text)
        if isinstance(prepared, str):
            outcome.set(entry, REJECTED, prepared)
            continue
        groups.setdefault(entry.table, []).append(prepared)
    names = sorted(groups, key=_ORDER.__getitem__)
    days, cita_events = set(outcome.days), len(outcome.cita_events)
    try:
        # Most batches: every table's share at once, in one savepoint (two statements less
        # a table than a savepoint each).
        with connection.begin_nested():
            for name in names:
                _apply_group(connection, REPLICAS[name], groups[name], office_id, outcome, now)
    except DBAPIError:
        # Refused somewhere: what the rolled-back attempt noted goes, and each table's share
        # is tried in a savepoint of its own, then, if refused, entry by entry.
        outcome.days, outcome.cita_events[cita_events:] = days, []
        for name in names:
            _apply_table(connection, REPLICAS[name], groups[name], office_id, outcome, now)
    for entry in superseded:
        result, reason = outcome.results[newest[(entry.table, entry.row_key)].mutation_id]
        outcome.set(entry, result, reason)
    _remember_refusals(connection, office_id, entries, outcome, now)
    return outcome


def _apply_table(connection: Connection, table: Table, prepared: list[_Prepared],
                 office_id: str, outcome: Outcome, now: datetime) -> None:
    """A table's share of a batch in a savepoint; if the database refuses it, each entry in
    its own, and only the entries it refuses are rejected."""
    try:
        with connection.begin_nested():
            _apply_group(connection, table, prepared, office_id, outcome, now)
    except DBAPIError:
        log.warning("lote de %s rechazado por la base; se aplica registro por registro",
                    table.name)
        for p in prepared:
            try:
                with connection.begin_nested():
                    _apply_group(connection, table, [p], office_id, outcome, now)
            except DBAPIError as exc:
                outcome.set(p.entry, REJECTED, _database_reason(exc))


def _remember_refusals(connection: Connection, office_id: str, entries: list[Entry],
                       outcome: Outcome, now: datetime) -> None:
    """A refused entry is not applied: its id is freed (a fixed hub may send it again) and
    the refusal kept for the central staff."""
    by_id = {e.mutation_id: e for e in entries}
    # What the entry carried is quoted, never stored as is: it may hold what the database
    # refuses (a NUL), and the refusal must be kept all the same.
    refused = [{"mutation_id": m, "office_id": office_id,
                "tbl": printable(by_id[m].table)[:40], "row_key": printable(by_id[m].row_key)[:80],
                "reason": printable(reason or "")[:500],
                "payload": json.dumps(by_id[m].payload)[:20000], "at": now}
               for m, (result, reason) in outcome.results.items() if result == REJECTED]
    if not refused:
        return
    ids = [r["mutation_id"] for r in refused]
    for start in range(0, len(ids), _CHUNK):
        connection.execute(delete(applied).where(
            applied.c.office_id == office_id,
            applied.c.mutation_id.in_(ids[start:start + _CHUNK])))
    stmt = _insert(connection, rejections)
    connection.execute(stmt.on_conflict_do_update(
        index_elements=["office_id", "mutation_id"],
        set_={"reason": stmt.excluded.reason, "at": stmt.excluded.at}), refused)
