"""What travels between a hub and central: versions, compressed JSON bodies, row values.

Rows travel as JSON objects of column values in the form SQLite stores them (the capture
triggers write them with `json_object`): UTC times as "YYYY-MM-DD HH:MM:SS.ffffff", dates as
ISO text, decimals as text, booleans as 0/1, JSON columns nested. Each side turns them into
Python values with the column types of the table they land in.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
import re
import zlib
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import JSON, Boolean, Date, Integer, Table
from sqlalchemy.types import TypeEngine

from kiosk import __version__
from kiosk.errors import InvalidInput
from kiosk.storage.tables import DecimalText, UTCDateTime, UuidText

# Bumped when a message changes shape; central refuses hubs below its minimum and tells them
# to update (they keep their outbox meanwhile). 2: every request says the hub's office code
# (`OFFICE_HEADER`); central still serves a protocol-1 hub, but only on a credential already
# bound to that hub's installation (it cannot tell which office an unknown one is).
PROTOCOL_VERSION = 2
MIN_PROTOCOL_VERSION = 1

APP_HEADER = "X-CAC-App-Version"
PROTOCOL_HEADER = "X-CAC-Protocol"
SCHEMA_HEADER = "X-CAC-Schema"
OFFICE_HEADER = "X-CAC-Office"

# A push batch: bounded in entries and in bytes, on both sides.
MAX_BATCH_ENTRIES = 500
MAX_BATCH_BYTES = 512 * 1024  # compressed, as sent
MAX_INFLATED_BYTES = 16 * 1024 * 1024  # a gzip bomb stops here
PULL_PAGE = 500


def version_headers(schema: str | None, office: str | None = None) -> dict[str, str]:
    headers = {APP_HEADER: __version__, PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    if schema:
        headers[SCHEMA_HEADER] = schema
    if office:
        headers[OFFICE_HEADER] = office
    return headers


def pack(document: Any) -> bytes:
    """JSON, gzip-compressed (mtime 0: the same document gives the same bytes)."""
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=str)
    return pack_text(raw)


def pack_text(raw: str) -> bytes:
    return gzip.compress(raw.encode(), compresslevel=6, mtime=0)


def unpack(body: bytes, *, compressed: bool = True, limit: int = MAX_INFLATED_BYTES) -> Any:
    """The JSON document in a request body; a clear InvalidInput for anything else."""
    return unpack_checked(body, compressed=compressed, limit=limit)[0]


def unpack_checked(body: bytes, *, compressed: bool = True, limit: int = MAX_INFLATED_BYTES
                   ) -> tuple[Any, bool]:
    """`unpack`, and whether the document is plain (`clean`): read as strict JSON (UTF-8, no
    NaN, integers within 64 bits, as every hub writes it) and its texts known to hold no
    control character. Then `decode_row` need not search each value for one, and its rows
    may be written back with orjson (`dumps`)."""
    data = body
    if compressed:
        inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        try:
            data = inflater.decompress(body, limit + 1)
        except zlib.error:
            raise InvalidInput("bad_body", "El envío llegó dañado (no es gzip válido).") from None
        if len(data) > limit or inflater.unconsumed_tail:
            raise InvalidInput("body_too_large", "El envío descomprimido es demasiado grande.")
        if not inflater.eof:
            raise InvalidInput("bad_body", "El envío llegó incompleto (gzip cortado).")
    if not _may_hold_big_integer(data):
        try:
            return orjson.loads(data), not _may_hold_control(data)
        except orjson.JSONDecodeError:
            pass
    # What orjson refuses or would read otherwise, json reads as it always has: a UTF-8 BOM,
    # UTF-16/32, NaN and Infinity, a lone surrogate (escaped, or as bytes), an integer beyond
    # 64 bits (orjson makes it a float). No hub writes these; the values are searched.
    try:
        return json.loads(data), False
    except (ValueError, RecursionError):  # ValueError: also an integer of > 4,300 digits
        raise InvalidInput("bad_body", "El envío no es un JSON válido.") from None


def dumps(value: Any, plain: bool) -> str:
    """JSON text of `value` for PostgreSQL. `plain`: its values came from a plain document
    (`unpack_checked`'s `clean`), which orjson writes the same as json, ten times faster;
    otherwise json, as before (it writes NaN, which PostgreSQL refuses, where orjson would
    write null)."""
    if plain:
        with contextlib.suppress(orjson.JSONEncodeError):  # not a str, int, list, dict...
            return orjson.dumps(value).decode()
    return json.dumps(value)


# Where an integer beyond 64 bits may be: 19 digits or more (i64's largest has 19) right after
# what can come before a JSON number (":", ",", "[", a blank, a minus sign), found by one C
# search in the body with every digit mapped to "0" and those to ":". Digits in a text after
# a blank or a hyphen also match: such a body is only read the slower way.
_NUMBER_FORM = bytes.maketrans(b"123456789,[ \t\r\n-", b"000000000:::::::")
_LONG_NUMBER = b":" + b"0" * 19


def _may_hold_big_integer(data: bytes) -> bool:
    form = data.translate(_NUMBER_FORM)
    return _LONG_NUMBER in form or form.startswith(_LONG_NUMBER[1:])


# --- row values --------------------------------------------------------------------------------

STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"


def as_utc(moment: datetime) -> datetime:
    """Aware UTC; a naive time is UTC already (as the wire and central's columns keep it)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("time is not text")
    return as_utc(datetime.fromisoformat(value))


def _decimal(value: Any) -> Decimal:
    result = Decimal(str(value))
    if not result.is_finite():
        raise ValueError("not a finite decimal")
    return result


def _date(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError("date is not text")
    return date.fromisoformat(value)


def _boolean(value: Any) -> bool:
    if value not in (0, 1, True, False):
        raise ValueError("not a boolean")
    return bool(value)


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("not an integer")
    return value


# C0 controls but tab and line breaks, DEL, and lone surrogates (a JSON "\\ud800" escape): no
# person types them, PostgreSQL refuses NUL outright and UTF-8 cannot carry a lone surrogate.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
CONTROL_REASON = "trae caracteres de control (p. ej. NUL) que no se admiten en un texto"


# Where a JSON text can carry one of them: escaped (a raw control character in a string is
# not valid JSON, a lone surrogate exists only as an escape; \b and \f are C0 controls), or
# DEL raw. NUL bytes stand for a UTF-16 or UTF-32 body, whose escapes this does not read. A
# body with none of these has none in any text; one with them (or with an escaped backslash
# before "u00…") is searched value by value. Starting with a literal, the pattern is searched
# some thirty times faster than an alternation with a class.
_CONTROL_ESCAPE = re.compile(rb"\\(?:u00[01]|u007[fF]|u[dD][89a-fA-F]|[bf])")


def _may_hold_control(data: bytes) -> bool:
    return b"\x00" in data or b"\x7f" in data or _CONTROL_ESCAPE.search(data) is not None


def has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def printable(text: str) -> str:
    """`text` with those characters replaced, to quote it in a message or a log."""
    return _CONTROL.sub("\ufffd", text)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    if has_control(value):
        raise ValueError(CONTROL_REASON)
    return value


def _json(value: Any) -> Any:
    """A JSON column's value, whose texts (keys too) follow the rule of `_text`."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dict):
        for key, item in value.items():
            _text(key)
            _json(item)
    elif isinstance(value, list):
        for item in value:
            _json(item)
    return value


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII)


def _uuid(value: Any) -> str:
    """A hub-made id (UuidText): a UUID's lowercase text, as PostgreSQL's `uuid` gives it
    back, so that central returns a restored hub exactly the id it sent."""
    if not isinstance(value, str) or _UUID.fullmatch(value) is None:
        raise ValueError("no es un identificador válido")
    return value


def _plain_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


def _any_json(value: Any) -> Any:
    return value


def _decoder(kind: TypeEngine[Any], texts_clean: bool = False) -> Callable[[Any], Any]:
    if isinstance(kind, UTCDateTime):
        return _time
    if isinstance(kind, DecimalText):
        return _decimal
    if isinstance(kind, UuidText):
        return _uuid
    if isinstance(kind, Date):
        return _date
    if isinstance(kind, Boolean):
        return _boolean
    if isinstance(kind, Integer):
        return _integer
    if isinstance(kind, JSON):
        return _any_json if texts_clean else _json
    return _plain_text if texts_clean else _text


# The same checks, each value left in the text form PostgreSQL reads from JSON (`stored_row`).

def _time_text(value: Any) -> str:
    """Naive UTC, as a `timestamp` column holds it: the form a hub sends (`STORED_TIME`) as
    is, once valid (formatting a time takes four times as long as reading it)."""
    if not isinstance(value, str):
        raise ValueError("time is not text")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    elif _STORED_FORM.fullmatch(value):
        return value
    return str(moment)


_STORED_FORM = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{6})?", re.ASCII)


def _decimal_text(value: Any) -> str:
    return f"{_decimal(value):f}"  # as DecimalText stores it


def _date_text(value: Any) -> str:
    return _date(value).isoformat()


_AS_TEXT: dict[Callable[[Any], Any], Callable[[Any], Any]] = {
    _time: _time_text, _decimal: _decimal_text, _date: _date_text}


_Decoders = tuple[tuple[str, Callable[[Any], Any]], ...]


@functools.cache
def _decoders(table: Table, texts_clean: bool = False, as_text: bool = False) -> _Decoders:
    decoders = ((c.name, _decoder(c.type, texts_clean)) for c in table.columns)
    if as_text:
        return tuple((name, _AS_TEXT.get(decode, decode)) for name, decode in decoders)
    return tuple(decoders)


def _encode(kind: TypeEngine[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).strftime(STORED_TIME)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, bool):
        return int(value)
    return value


def decode_row(table: Table, payload: Mapping[str, Any], texts_clean: bool = False
               ) -> dict[str, Any]:
    """Column values for `table` from a wire row; unknown columns are ignored (a newer node),
    missing ones are left to the table's defaults. ValueError names the bad column.
    `texts_clean`: the row comes from a body `unpack_checked` found free of control
    characters (its texts are not searched again)."""
    return _decoded(_decoders(table, texts_clean), payload)


def stored_row(table: Table, payload: Mapping[str, Any], texts_clean: bool = False
               ) -> dict[str, Any]:
    """`decode_row`'s checks, each value kept JSON-ready in the form PostgreSQL reads into the
    column (times as naive UTC text, dates ISO, decimals as DecimalText stores them): a batch
    goes to the database as one JSON text, parsed there, with no Python object per value."""
    if not texts_clean:
        return _decoded(_decoders(table, texts_clean, as_text=True), payload)
    names, converted, texts, integers = _stored_plan(table)
    # Most values are texts and integers, kept as they came and checked in bulk (their types
    # gathered by C loops, no Python call per value). Anything unexpected, and the
    # column-by-column loop decides, naming the first bad column.
    if payload.keys() <= names:  # a hub of this version: no column central does not know
        row = dict(payload)
    else:
        row = {name: payload[name] for name in names if name in payload}
    if (set(map(type, map(row.get, texts))) <= _TEXT_TYPES
            and set(map(type, map(row.get, integers))) <= _INTEGER_TYPES):
        try:
            for name, convert in converted:
                value = row.get(name)
                if value is not None:
                    row[name] = convert(value)
            return row
        except (ValueError, TypeError, ArithmeticError):
            pass
    return _decoded(_decoders(table, True, as_text=True), payload)


_TEXT_TYPES, _INTEGER_TYPES = {str, type(None)}, {int, type(None)}


@functools.cache
def _stored_plan(table: Table) -> tuple[frozenset[str], _Decoders, tuple[str, ...],
                                        tuple[str, ...]]:
    """`stored_row`'s columns: all; those converted; texts and integers, only checked."""
    decoders = _decoders(table, True, as_text=True)
    kept = (_plain_text, _integer, _any_json)
    return (frozenset(n for n, _ in decoders),
            tuple((n, d) for n, d in decoders if d not in kept),
            tuple(n for n, d in decoders if d is _plain_text),
            tuple(n for n, d in decoders if d is _integer))


def _decoded(decoders: _Decoders, payload: Mapping[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, decode in decoders:
        if name not in payload:
            continue
        value = payload[name]
        try:
            row[name] = None if value is None else decode(value)
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise ValueError(f"columna «{name}»: {exc}") from None
    return row


def encode_row(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    return {c.name: _encode(c.type, row[c.name]) for c in table.columns if c.name in row}
