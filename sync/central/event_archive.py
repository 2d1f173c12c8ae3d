"""An office's older events, folded into one compressed row per office and day.

An office's events are immutable facts central keeps for one reader that needs them whole: a
restored hub's recovery (by its outbox seq, sync/central/feed.py). Kept as rows they were three
quarters of central's storage (text UUIDs, 64-hex hashes, JSON keys and two indexes per
event, ~5 events a ticket). Once FOLD_AFTER has passed the maintenance job folds each
office-day's events into `central_event_archive`: the events in their outbox order, column by
column (UUIDs and hashes as bytes, each `prev_hash` left out where it is the previous event's
hash, integers as differences; «the encoding» below), compressed with LZMA (xz: a quarter
smaller than zlib on an office day, 0.2 s to pack one, 60 ms to unpack with its hashes).
Recovery decodes them to the very payload the row gave. Folding need not wait for the retry
horizon (sync/central/bookkeeping.py): a batch sent again is answered «duplicate» by its
mutation ids, and an archived event pushed again after that is found here (`archived_ids`,
called by the push) and written nowhere. So the fold also forgets the mutation ids of the
events it archives that their hub has settled (`bookkeeping.forget_folded`), in the same
transaction.

Kept as rows: central's provisional copies (no outbox seq: the office's own copy replaces
them) and what central reads by kind in SQL, few a day: the expedientes' cancellations (the
period report, sync/central/expedientes.py) and their signed documents (the public
verification page, sync/central/verification.py). Archive rows folded before the signed
documents were kept (central revision 0015, `kept_out` false) give them back as rows when the
maintenance next folds (`fold`); until then `pending_kept` finds them.
"""

from __future__ import annotations

import itertools
import json
import lzma
import re
import struct
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, not_, select, text
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.rules.audit import event_hash
from kiosk.storage.tables import Base
from sync.central.bookkeeping import forget_folded
from sync.central.schema import (
    REPLICAS,
    SYNC_SEQ,
    event_archive,
    of_office,
    office_links,
    offices,
)
from sync.wire import STORED_TIME, as_utc, decode_row, encode_row

_EVENTS = REPLICAS["events"]
_SOURCE = Base.metadata.tables["events"]
# The wire payload's columns, as recovery gives them (the office's own id is the hub's).
COLUMNS = tuple(c.name for c in _SOURCE.columns if c.name != "office_id")
_FORMAT = 2
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_HEX = re.compile(r"[0-9a-f]{64}")
_FOLD_LOCK = 7_470_031  # pg_try_advisory_lock: one fold at a time over the database
_FOLD_PAGE = 20_000  # events per transaction
_UNFOLD_PAGE = 20  # archive rows of revision 0015 looked at per transaction

# An office-day is folded once two whole UTC days have passed since it ended: the events a
# hub pushes in its day's rounds are rows meanwhile, later ones join their day's archive row.
FOLD_AFTER = timedelta(days=2)

# Kept as rows: what central reads by kind in SQL (indexed, partial, sync/central/schema.py).
_KEPT_KINDS = ("cancelled", "document_signed")
_KEPT = and_(_EVENTS.c.stream == "expediente", _EVENTS.c.kind.in_(_KEPT_KINDS))


def _kept_kind(stream: object, kind: object) -> bool:
    """`_KEPT`, in Python."""
    return stream == "expediente" and kind in _KEPT_KINDS


def _kept(payload: Mapping[str, Any]) -> bool:
    return _kept_kind(payload.get("stream"), payload.get("kind"))


@dataclass(frozen=True)
class Archived:
    """One archived event: its outbox seq and its wire payload."""

    seq: int
    payload: dict[str, Any]


# --- the encoding -----------------------------------------------------------------------------
#
# A body is a 4-byte header length, the header (JSON: each column's codec and the values kept
# in it), then the byte columns in column order, then the UUID dictionary's bytes; all LZMA.
# Format 1 (central before format 2) had the codecs uuid, hex, delta, json and implied; both
# are read. Format 2 adds these, which take a real office day (2,440 events) from 67.8 to
# 54.4 kB; 30 kB of that are random bits no encoding shortens (the ids', the dictionary's):
# - `uuid7` for the event ids: a hub's ids are UUIDv7 (kiosk/ids.py), a millisecond timestamp
#   and 74 random bits. The timestamps are kept as differences from the id before (a few ms,
#   where their bytes in place were 6 bytes LZMA could not shorten), the random bits packed
#   (four ids in 37 bytes: the version and variant bits are the same in all).
# - `ref` for stream_id and device_id, and the UUIDs inside `data`: each distinct UUID of the
#   body kept once, in a dictionary (`uuid7` or 16 bytes each), and its uses as references to
#   it, in the order they come (event by event: stream_id, device_id, data): 0 for a value not
#   seen before, else how many values were new since it (a ticket's events come close).
# - `table` for `data`: the objects column by column, each distinct key list a shape (the
#   values of one key side by side compress far better than objects one after another).
# - `time` for occurred_at: microseconds as differences from the event before; `hlc` for the
#   hub's clock stamp (kiosk/clock.py: wall ms, counter, node): its ms from occurred_at's
#   (the same clock read: 0), counter and node apart. Each where every value reads back
#   the same, text for text.

_V7 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
_REFERENCED = ("stream_id", "device_id")
_RANDOM = (1 << 74) - 1
_ESCAPE = "\x01"  # in `data`: a reference, or a text that began with it
_EPOCH = datetime(1970, 1, 1)
_HLC = re.compile(r"([0-9]{13})\.([0-9]{5})\.(.*)", re.DOTALL)


def _uuid_text(value: int) -> str:
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _pack_v7(values: Sequence[str]) -> tuple[list[int], bytes]:
    """UUIDv7s as their timestamps' differences (ms) and their random bits, four in 37 bytes."""
    deltas: list[int] = []
    chunks: list[bytes] = []
    previous = group = 0
    for i, value in enumerate(values):
        number = int(value.replace("-", ""), 16)
        stamp = number >> 80
        deltas.append(stamp - previous)
        previous = stamp
        group = group << 74 | (number >> 64 & 0xFFF) << 62 | number & ((1 << 62) - 1)
        if i % 4 == 3:
            chunks.append(group.to_bytes(37, "big"))
            group = 0
    if len(values) % 4:
        chunks.append((group << 74 * (4 - len(values) % 4)).to_bytes(37, "big"))
    return deltas, b"".join(chunks)


def _v7_size(n: int) -> int:
    return 37 * ((n + 3) // 4)


def _unpack_v7(deltas: Sequence[int], raw: bytes) -> list[str]:
    values: list[str] = []
    stamp = group = 0
    for i, delta in enumerate(deltas):
        stamp += delta
        if i % 4 == 0:
            group = int.from_bytes(raw[37 * (i // 4):37 * (i // 4 + 1)], "big")
        bits = group >> 74 * (3 - i % 4) & _RANDOM
        values.append(_uuid_text(stamp << 80 | 0x7 << 76 | (bits >> 62) << 64 | 0b10 << 62
                                 | bits & ((1 << 62) - 1)))
    return values


def _uuids(values: Sequence[str]) -> tuple[str, Any, bytes]:
    """UUIDs as bytes: (codec, what the header keeps of them, the bytes)."""
    if values and all(_V7.fullmatch(v) for v in values):
        deltas, raw = _pack_v7(values)
        return "uuid7", deltas, raw
    return "uuid", None, b"".join(bytes.fromhex(v.replace("-", "")) for v in values)


def _uuids_size(codec: str, n: int) -> int:
    return {"uuid": 16 * n, "hex": 32 * n, "uuid7": _v7_size(n)}.get(codec, 0)


def _read_uuids(codec: str, kept: Any, n: int, raw: bytes) -> list[str]:
    if codec == "uuid7":
        return _unpack_v7(kept, raw)
    return [_uuid_text(int.from_bytes(raw[16 * i:16 * (i + 1)], "big")) for i in range(n)]


class _Dictionary:
    """The body's distinct UUIDs, in the order they come; a use is a reference to one."""

    def __init__(self, values: Sequence[str] = ()) -> None:
        self.values = list(values)
        self.index: dict[str, int] = {}
        self.seen = 0  # decoding: the values come so far

    def refer(self, value: str) -> int:
        found = self.index.get(value)
        if found is None:
            self.index[value] = len(self.index)
            self.values.append(value)
            return 0
        return len(self.index) - found

    def resolve(self, ref: int) -> str:
        if ref == 0:
            self.seen += 1
            return self.values[self.seen - 1]
        return self.values[self.seen - ref]


def _refer_in(value: Any, dictionary: _Dictionary) -> Any:
    """`data` with each UUID text a reference, "\\x01" and its number (a text that began with
    "\\x01" has one more)."""
    if isinstance(value, str):
        if _UUID.fullmatch(value):
            return f"{_ESCAPE}{dictionary.refer(value)}"
        return _ESCAPE + value if value.startswith(_ESCAPE) else value
    if isinstance(value, list):
        return [_refer_in(v, dictionary) for v in value]
    if isinstance(value, dict):
        return {k: _refer_in(v, dictionary) for k, v in value.items()}
    return value


def _resolve_in(value: Any, dictionary: _Dictionary) -> Any:
    if isinstance(value, str):
        if not value.startswith(_ESCAPE):
            return value
        rest = value[1:]
        return rest if rest.startswith(_ESCAPE) else dictionary.resolve(int(rest))
    if isinstance(value, list):
        return [_resolve_in(v, dictionary) for v in value]
    if isinstance(value, dict):
        return {k: _resolve_in(v, dictionary) for k, v in value.items()}
    return value


def _table(values: Sequence[Any]) -> dict[str, Any]:
    """JSON values, the objects column by column: each object's shape (its keys in order,
    -1 for a value that is no object), the shapes, each shape's key's values in order."""
    shapes: dict[tuple[str, ...], int] = {}
    which: list[int] = []
    columns: list[list[list[Any]]] = []
    other: list[Any] = []
    for value in values:
        if not isinstance(value, dict):
            which.append(-1)
            other.append(value)
            continue
        keys = tuple(value)
        shape = shapes.setdefault(keys, len(shapes))
        if shape == len(columns):
            columns.append([[] for _ in keys])
        which.append(shape)
        for column, key in zip(columns[shape], keys, strict=True):
            column.append(value[key])
    return {"shape": which, "keys": [list(k) for k in shapes], "columns": columns,
            "other": other}


def _untable(table: Mapping[str, Any]) -> list[Any]:
    columns = [[iter(c) for c in shape] for shape in table["columns"]]
    other = iter(table["other"])
    return [next(other) if shape < 0 else
            {k: next(c) for k, c in zip(table["keys"][shape], columns[shape], strict=True)}
            for shape in table["shape"]]


def _micros(value: object) -> int | None:
    """A wire time as microseconds since 1970, if it reads back as the same text."""
    if not isinstance(value, str):
        return None
    try:
        delta = datetime.strptime(value, STORED_TIME) - _EPOCH
    except ValueError:
        return None
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return micros if _time_text(micros) == value else None


def _time_text(micros: int) -> str:
    return (_EPOCH + timedelta(microseconds=micros)).strftime(STORED_TIME)


def _stamps(values: Sequence[Any], micros: Sequence[int]) -> dict[str, list[Any]] | None:
    """Clock stamps as (wall ms - the event's own ms, counter, node), if each reads back."""
    kept: dict[str, list[Any]] = {"ms": [], "counter": [], "node": []}
    for value, at in zip(values, micros, strict=True):
        found = _HLC.fullmatch(value) if isinstance(value, str) else None
        if found is None:
            return None
        kept["ms"].append(int(found[1]) - at // 1000)
        kept["counter"].append(int(found[2]))
        kept["node"].append(found[3])
    return kept


def _stamp_texts(kept: Mapping[str, list[Any]], micros: Sequence[int]) -> list[str]:
    return [f"{ms + at // 1000:013d}.{counter:05d}.{node}" for ms, counter, node, at
            in zip(kept["ms"], kept["counter"], kept["node"], micros, strict=True)]


def _differences(values: Sequence[int]) -> list[int]:
    """Each value less the one before (the first as it is): `itertools.accumulate` undoes it."""
    return [b - a for a, b in zip([0, *values], values, strict=False)]


def _codec(name: str, values: Sequence[Any]) -> str:
    if name == "data":
        return "table"
    if name in _REFERENCED and any(v is not None for v in values) and all(
            v is None or (isinstance(v, str) and _UUID.fullmatch(v)) for v in values):
        return "ref"
    if values and all(isinstance(v, str) and _UUID.fullmatch(v) for v in values):
        return "uuid7" if all(_V7.fullmatch(v) for v in values) else "uuid"
    if values and all(isinstance(v, str) and _HEX.fullmatch(v) for v in values):
        return "hex"
    if all(type(v) is int for v in values):
        return "delta"
    return "json"


def _sealed(payload: Mapping[str, Any], prev_hash: str, hub_office: str) -> str | None:
    """The event's hash as its hub computed it (kiosk/rules/audit.py), from its content."""
    try:
        row = decode_row(_SOURCE, payload)
        return event_hash(prev_hash, event_id=row["id"], office_id=hub_office,
                          stream=row["stream"], stream_id=row["stream_id"], kind=row["kind"],
                          occurred_at=row["occurred_at"], hlc=row["hlc"],
                          device_id=row["device_id"], data=row["data"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def encode(events: Sequence[Archived], hub_office: str | None = None) -> bytes:
    """The events (in outbox order) as one compressed body. A chained event's `prev_hash` is
    the hash before it, and its `hash` is what its content gives (with `hub_office`, the id
    its hub hashed with): both are left out where so, kept where not."""
    n = len(events)
    columns: dict[str, list[Any]] = {name: [e.payload.get(name) for e in events]
                                     for name in COLUMNS}
    columns[SYNC_SEQ] = [e.seq for e in events]
    present = {name: [name in e.payload for e in events] for name in COLUMNS}
    header: dict[str, Any] = {"v": _FORMAT, "n": n, "codecs": {}, "values": {},
                              "absent": {k: [i for i, p in enumerate(v) if not p]
                                         for k, v in present.items() if not all(v)}}
    codecs = {name: _codec(name, values) for name, values in columns.items()}
    read = [_micros(v) for v in columns["occurred_at"]]
    micros = [m for m in read if m is not None]
    stamps = None
    if micros and len(micros) == n:
        codecs["occurred_at"] = "time"
        stamps = _stamps(columns["hlc"], micros)
    if stamps is not None:
        codecs["hlc"] = "hlc"
    hashes, previous = columns["hash"], columns["prev_hash"]
    implied_kept: dict[str, dict[str, Any]] = {}
    if all(present["hash"]) and all(present["prev_hash"]):
        implied = {"prev_hash": {str(i): v for i, v in enumerate(previous)
                                 if i == 0 or v != hashes[i - 1]}}
        if hub_office is not None:
            implied["hash"] = {str(i): v for i, v in enumerate(hashes)
                               if _sealed(events[i].payload, previous[i], hub_office) != v}
            header["hub"] = hub_office
        for name, kept in implied.items():
            if len(kept) <= n // 2:
                codecs[name] = "implied"
                implied_kept[name] = kept
    # The references in the order `decode` resolves them: event by event, column by column.
    dictionary = _Dictionary()
    referred = [name for name in columns if codecs[name] == "ref"]
    for i in range(n):
        for name in referred:
            value = columns[name][i]
            columns[name][i] = None if value is None else dictionary.refer(value)
        columns["data"][i] = _refer_in(columns["data"][i], dictionary)
    blobs: list[bytes] = []
    for name, values in columns.items():
        codec = codecs[name]
        if codec in ("uuid", "uuid7"):
            codec, kept, raw = _uuids(values)
            blobs.append(raw)
            if kept is not None:
                header["values"][name] = kept
        elif codec == "hex":
            blobs.append(b"".join(bytes.fromhex(v) for v in values))
        elif codec == "delta":
            header["values"][name] = _differences(values)
        elif codec == "table":
            header["values"][name] = _table(values)
        elif codec == "time":
            header["values"][name] = _differences(micros)
        elif codec == "implied":
            header["values"][name] = implied_kept[name]
        elif codec == "hlc":
            header["values"][name] = stamps
        else:  # json, ref
            header["values"][name] = values
        header["codecs"][name] = codec
    if dictionary.values:
        codec, kept, raw = _uuids(dictionary.values)
        header["dictionary"] = {"codec": codec, "n": len(dictionary.values), "kept": kept}
        blobs.append(raw)
    head = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    return lzma.compress(struct.pack(">I", len(head)) + head + b"".join(blobs))


def _header(raw: bytes) -> tuple[dict[str, Any], int]:
    (size,) = struct.unpack(">I", raw[:4])
    return json.loads(raw[4:4 + size]), 4 + size


def codecs(body: bytes) -> dict[str, str]:
    """How each column of an archived body is kept (what the tests look at)."""
    return dict(_header(lzma.decompress(body))[0]["codecs"])


def decode(body: bytes) -> list[Archived]:
    """The events of a body, of either format."""
    raw = lzma.decompress(body)
    header, offset = _header(raw)
    n = int(header["n"])
    codecs: dict[str, str] = header["codecs"]
    kept: dict[str, Any] = header["values"]
    columns: dict[str, list[Any]] = {}
    micros: list[int] = []
    for name, codec in codecs.items():
        size = _uuids_size(codec, n)
        chunk, offset = raw[offset:offset + size], offset + size
        if codec in ("uuid", "uuid7"):
            columns[name] = _read_uuids(codec, kept.get(name), n, chunk)
        elif codec == "hex":
            columns[name] = [chunk[32 * i:32 * (i + 1)].hex() for i in range(n)]
        elif codec == "delta":
            columns[name] = list(itertools.accumulate(kept[name]))
        elif codec == "table":
            columns[name] = _untable(kept[name])
        elif codec == "time":
            micros = list(itertools.accumulate(kept[name]))
            columns[name] = [_time_text(m) for m in micros]
        elif codec == "hlc":  # after occurred_at's `time`
            columns[name] = _stamp_texts(kept[name], micros)
        elif codec in ("json", "ref"):
            columns[name] = kept[name]
    words = header.get("dictionary")
    dictionary = _Dictionary(_read_uuids(words["codec"], words["kept"], words["n"], raw[offset:])
                             if words else ())
    referred = [name for name, codec in codecs.items() if codec == "ref"]
    for i in range(n):
        for name in referred:
            ref = columns[name][i]
            columns[name][i] = None if ref is None else dictionary.resolve(ref)
        if codecs.get("data") == "table":
            columns["data"][i] = _resolve_in(columns["data"][i], dictionary)
    absent = {name: set(indexes) for name, indexes in header["absent"].items()}
    seqs = columns.pop(SYNC_SEQ)
    events: list[Archived] = []
    for i in range(n):
        payload = {name: columns[name][i] for name in COLUMNS
                   if name in columns and i not in absent.get(name, ())}
        # The chain in order: each prev_hash is the hash before, each hash its content's.
        if codecs.get("prev_hash") == "implied":
            implied = kept["prev_hash"]
            payload["prev_hash"] = (implied[str(i)] if str(i) in implied
                                    else events[i - 1].payload["hash"])
        if codecs.get("hash") == "implied":
            implied = kept["hash"]
            payload["hash"] = (implied[str(i)] if str(i) in implied
                               else _sealed(payload, payload["prev_hash"], header["hub"]))
        events.append(Archived(seqs[i], {name: payload[name] for name in COLUMNS
                                         if name in payload}))
    return events


def ids(body: bytes) -> list[str]:
    """The archived events' ids alone, cut from the body (no hash recomputed: 7.5 ms for a
    real office day where `decode` takes 48): what a push looks at."""
    raw = lzma.decompress(body)
    header, offset = _header(raw)
    n, codecs = int(header["n"]), header["codecs"]
    codec = codecs.get("id")
    if codec not in ("uuid", "uuid7") or header["absent"].get("id"):
        return [str(e.payload.get("id")) for e in decode(body)]
    for name, other in codecs.items():  # the byte columns, in order, before the ids'
        if name == "id":
            break
        offset += _uuids_size(other, n)
    return _read_uuids(codec, header["values"].get("id"), n,
                       raw[offset:offset + _uuids_size(codec, n)])


# --- folding ----------------------------------------------------------------------------------


def _payload(row: Mapping[Any, Any]) -> dict[str, Any]:
    return encode_row(_SOURCE, {k: row[k] for k in COLUMNS})


def _foldable(before: datetime) -> Any:
    return and_(_EVENTS.c.occurred_at < before, _EVENTS.c[SYNC_SEQ].is_not(None), not_(_KEPT))


def _hub_office(connection: Connection, office_id: str) -> str | None:
    return connection.execute(select(office_links.c.hub_office_id).where(
        office_links.c.office_id == office_id)).scalar()


def _restore_rows(connection: Connection, office_id: str, events: Sequence[Archived]) -> None:
    """Archived events as rows again, as the push wrote them (recovery reads them back to the
    same payload); one already there is left as it is."""
    insert = (postgresql.insert if connection.dialect.name == "postgresql"
              else sqlite.insert)(_EVENTS)
    connection.execute(insert.on_conflict_do_nothing(), [
        {**decode_row(_SOURCE, e.payload), "office_id": office_id, SYNC_SEQ: e.seq}
        for e in events])


def _fold_day(connection: Connection, office_id: str, day: date,
              rows: Sequence[Mapping[Any, Any]], hub_office: str | None) -> None:
    """Fold these live events of one office-day into its archive row, and delete them. An
    archive row folded before some kinds were kept as rows gives those back as rows."""
    key = and_(event_archive.c.office_id == office_id, event_archive.c.day == day)
    body = connection.execute(select(event_archive.c.body).where(key)).scalar()
    events = {e.payload["id"]: e for e in (decode(body) if body is not None else [])}
    back = [e for e in events.values() if _kept(e.payload)]
    if back:
        _restore_rows(connection, office_id, back)
        for e in back:
            del events[e.payload["id"]]
    for row in rows:  # a copy of an archived event (pushed in a race with a fold) is dropped
        events.setdefault(row["id"], Archived(int(row[SYNC_SEQ]), _payload(row)))
    ordered = sorted(events.values(), key=lambda e: e.seq)
    if not ordered:  # an old row that held only events kept as rows now
        connection.execute(delete(event_archive).where(key))
        return
    values = {"body": encode(ordered, hub_office), "first_seq": ordered[0].seq,
              "last_seq": ordered[-1].seq, "events": len(ordered), "kept_out": True}
    if body is None:
        connection.execute(event_archive.insert().values(office_id=office_id, day=day, **values))
    else:
        connection.execute(event_archive.update().where(key).values(**values))
    if rows:
        connection.execute(delete(_EVENTS).where(_EVENTS.c.office_id == office_id,
                                                 _EVENTS.c.id.in_([r["id"] for r in rows])))


def _fold_page(connection: Connection, office_id: str, before: datetime) -> int:
    """Fold the office's oldest pushed events of the days before `before`, a page of them (by
    outbox seq, along the recovery index); how many."""
    rows = connection.execute(
        select(_EVENTS).where(of_office(_EVENTS.c.office_id, office_id), _foldable(before))
        .order_by(_EVENTS.c[SYNC_SEQ]).limit(_FOLD_PAGE)).mappings().all()
    if not rows:
        return 0
    hub_office = _hub_office(connection, office_id)
    by_day: dict[date, list[Mapping[Any, Any]]] = {}
    for row in rows:
        by_day.setdefault(row["occurred_at"].astimezone(UTC).date(), []).append(row)
    for day, of_day in by_day.items():
        _fold_day(connection, office_id, day, of_day, hub_office)
    # The archive answers a push of these events again: their ids need not wait for the horizon.
    forget_folded(connection, office_id, [int(row[SYNC_SEQ]) for row in rows])
    return len(rows)


def _holds_kept(body: bytes) -> bool:
    """Whether an archived body holds an event of the kinds kept as rows: read from its
    header's kinds and streams (no hash recomputed), or decoded where they are not there."""
    header, _ = _header(lzma.decompress(body))
    codecs, values = header["codecs"], header["values"]
    if codecs.get("kind") != "json" or codecs.get("stream") != "json":
        return any(_kept(e.payload) for e in decode(body))
    return any(_kept_kind(stream, kind)
               for stream, kind in zip(values["stream"], values["kind"], strict=True))


def _unfold_page(connection: Connection) -> int:
    """A page of the archive rows folded before the signed documents were kept as rows
    (central revision 0015): those they hold become rows again, the rest stays; how many
    archive rows were looked at."""
    pending = connection.execute(
        select(event_archive.c.office_id, event_archive.c.day, event_archive.c.body)
        .where(not_(event_archive.c.kept_out))
        .order_by(event_archive.c.office_id, event_archive.c.day).limit(_UNFOLD_PAGE)).all()
    for office_id, day, body in pending:
        if _holds_kept(bytes(body)):
            _fold_day(connection, office_id, day, [], _hub_office(connection, office_id))
        else:
            connection.execute(event_archive.update().where(
                event_archive.c.office_id == office_id, event_archive.c.day == day
            ).values(kept_out=True))
    return len(pending)


def cutoff(now: datetime) -> datetime:
    """Events that occurred before this are folded: the UTC days that ended FOLD_AFTER ago."""
    return datetime.combine((now - FOLD_AFTER).astimezone(UTC).date(), clock_time(),
                            tzinfo=UTC)


def fold(engine: Engine, now: datetime, budget_s: float | None = None) -> int:
    """Fold the events of the days before `cutoff(now)`, office by office, a page per
    transaction; how many. Archive rows of revision 0015 give back the events now kept as
    rows first. One fold at a time over the database; with a budget, it stops after the page
    that used it up (the next call goes on)."""
    before = cutoff(now)
    started, folded = time.monotonic(), 0

    def in_budget() -> bool:
        return budget_s is None or time.monotonic() - started < budget_s

    with engine.connect() as lock:
        if lock.dialect.name == "postgresql" and not lock.scalar(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": _FOLD_LOCK}):
            return 0
        try:
            office_ids = list(lock.scalars(select(offices.c.id).order_by(offices.c.id)))
            lock.commit()
            while in_budget():
                with engine.begin() as connection:
                    if _unfold_page(connection) < _UNFOLD_PAGE:
                        break
            for office_id in office_ids:
                while in_budget():
                    with engine.begin() as connection:
                        done = _fold_page(connection, office_id, before)
                    folded += done
                    if done < _FOLD_PAGE:
                        break
        finally:
            if lock.dialect.name == "postgresql":
                lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _FOLD_LOCK})
                lock.commit()
    return folded


# --- the readers ------------------------------------------------------------------------------


def _utc_day(value: object) -> date | None:
    """The UTC day of an event's time as a push holds it: a datetime, or the text a hub
    sent (the push passes a hub's times on as they came, sync/central/push.py)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return as_utc(value).date()


def archived_ids(connection: Connection, office_id: str,
                 rows: Sequence[Mapping[str, Any]], now: datetime) -> set[str]:
    """The ids among these event rows (to be pushed) that are archived already. Only the days
    before `cutoff(now)` can be archived: a push of the last days' events looks nothing up;
    one of older days reads the ids of those days' archive rows."""
    before = cutoff(now).date()
    days = {day for r in rows
            if (day := _utc_day(r.get("occurred_at"))) is not None and day < before}
    if not days:
        return set()
    bodies = connection.execute(select(event_archive.c.body).where(
        event_archive.c.office_id == office_id, event_archive.c.day.in_(sorted(days)))).scalars()
    wanted = {str(r["id"]) for r in rows}
    return {i for body in bodies for i in ids(body)} & wanted


def pending_kept(connection: Connection, office_id: str, days: Sequence[date]
                 ) -> list[dict[str, Any]]:
    """The payloads of the events kept as rows that archive rows of revision 0015 of these
    UTC days still hold (until the maintenance gives them back as rows)."""
    bodies = connection.execute(select(event_archive.c.body).where(
        event_archive.c.office_id == office_id, event_archive.c.day.in_(sorted(days)),
        not_(event_archive.c.kept_out))).scalars()
    return [e.payload for body in map(bytes, bodies) if _holds_kept(body)
            for e in decode(body) if _kept(e.payload)]


def recovered(connection: Connection, office_id: str, after: int, limit: int
              ) -> list[Archived]:
    """The office's archived events above outbox seq `after`: at least the `limit` lowest
    (fewer when there are no more), oldest first."""
    query = (select(event_archive.c.first_seq, event_archive.c.body)
             .where(event_archive.c.office_id == office_id, event_archive.c.last_seq > after)
             .order_by(event_archive.c.first_seq))
    found: list[Archived] = []
    for first_seq, body in _rows(connection, query):
        # Rows come by their lowest seq: once `limit` events lie below it, none can join.
        if len(found) >= limit and first_seq > found[limit - 1].seq:
            break
        found.extend(e for e in decode(body) if e.seq > after)
        found.sort(key=lambda e: e.seq)
    return found


def _rows(connection: Connection, query: Any) -> Iterator[tuple[int, bytes]]:
    offset = 0
    while True:  # a few rows at a time: most pages need one or two
        chunk = connection.execute(query.limit(4).offset(offset)).all()
        yield from ((int(r.first_seq), bytes(r.body)) for r in chunk)
        if len(chunk) < 4:
            return
        offset += len(chunk)


def count(connection: Connection, office_id: str | None = None) -> int:
    query = select(event_archive.c.events)
    if office_id is not None:
        query = query.where(event_archive.c.office_id == office_id)
    return sum(int(n) for n in connection.execute(query).scalars())

