"""A push body is read, and its rows written for PostgreSQL, by orjson (sync/wire.py
`unpack_checked`, `dumps`). What orjson reads otherwise than json (an integer beyond 64 bits,
which it makes a float) or refuses where json read it (NaN, a BOM, UTF-16, a lone surrogate)
is read by json as before, searched value by value and written back by json: every such body
is answered as it was."""

from __future__ import annotations

import gzip
import json
import math

import pytest
from sqlalchemy import select

from kiosk.clock import VirtualClock
from kiosk.errors import InvalidInput
from kiosk.hub import OfficeHub
from sync.central.schema import REPLICAS
from sync.central.server import CentralServer
from sync.client import CentralClient
from sync.outbox import pending_entries
from sync.wire import dumps, unpack_checked
from tests.conftest import RunningHub
from tests.sync.test_push_pull import _serve_some

BIG = 123456789012345678901234567890  # beyond 64 bits: orjson would read 1.2345678901234568e+29


@pytest.mark.parametrize("raw", [
    b'{"p":{"n":123456789012345678901234567890}}',
    b'{"p":{"n":[1, -18446744073709551616]}}',
    b'{"p":{"n":\n  -9223372036854775809}}',
    b'{"p":{"n":9223372036854775807}}',  # 19 digits: may be beyond 64 bits, so json reads it
    b'{"p":{"n":NaN,"m":Infinity}}',
    b'\xef\xbb\xbf{"p":{"n":1}}',  # a UTF-8 byte order mark
    '{"p":{"n":"Ñuñoa"}}'.encode("utf-16"),
    b'{"p":{"n":"\\ud800"}}',  # a lone surrogate, escaped
    b'{"p":{"n":"\xed\xa0\x80"}}',  # and as bytes
], ids=["big", "big-negative-in-list", "big-after-blanks", "19-digits", "nan", "bom", "utf16",
        "surrogate-escape", "surrogate-bytes"])
def test_what_orjson_reads_otherwise_is_read_as_json_reads_it_and_searched(raw: bytes) -> None:
    for body, compressed in ((raw, False), (gzip.compress(raw), True)):
        document, clean = unpack_checked(body, compressed=compressed)
        assert repr(document) == repr(json.loads(raw))  # repr: 1e29 is not the int, nan is nan
        assert clean is False  # not plain: its values are searched and written back by json


@pytest.mark.parametrize("raw", [
    b'{"p":{"hash":"a1234567890123456789012345678901234567890bcdef"}}',  # digits in a text
    b'{"p":{"cci":"00212345678901234567891","n":922337203685477580,"x":"\xc3\x91"}}',
])
def test_long_digit_runs_in_texts_stay_plain(raw: bytes) -> None:
    document, clean = unpack_checked(raw, compressed=False)
    assert repr(document) == repr(json.loads(raw)) and clean is True


def test_a_body_nested_too_deep_is_refused_as_bad_json_not_a_crash() -> None:
    for depth in (2_000, 200_000):
        raw = b"[" * depth + b"]" * depth
        with pytest.raises(InvalidInput, match="no es un JSON válido") as refused:
            unpack_checked(gzip.compress(raw))
        assert refused.value.code == "bad_body"


def test_an_integer_too_long_for_python_is_refused_as_bad_json_not_a_crash() -> None:
    raw = b'{"p": {"data": {"x": ' + b"9" * 4_301 + b"}}}"
    with pytest.raises(InvalidInput, match="no es un JSON válido") as refused:
        unpack_checked(gzip.compress(raw))
    assert refused.value.code == "bad_body"


def test_orjson_writes_a_plain_document_s_values_as_json_does() -> None:
    rows = [{"id": "a\"b\\c\n\t", "name": "Ñuñoa ☃ 😀 \u00ad", "n": -(2 ** 63), "u": 2 ** 64 - 1,
             "f": 0.1, "e": 1e16, "b": True, "z": None, "data": {"k": [1, "x", {"y": None}]}},
            {"id": "\u0000\u001f\u007f"}]
    assert json.loads(dumps(rows, True)) == json.loads(json.dumps(rows)) == rows
    # Where orjson cannot write a value exactly, json writes it, as before.
    assert dumps([BIG], True) == json.dumps([BIG])
    assert dumps([math.nan], False) == "[NaN]"  # orjson would write null: PostgreSQL refuses it


def _push(office: OfficeHub, url: str, token: str, body: bytes) -> dict[str, str]:
    client = CentralClient(url, token, office=office.office.office_code)
    try:
        client.hello(office.office.office_id)
        answer = client.push(gzip.compress(body))
    finally:
        client.close()
    return {r["m"]: r["r"] for r in answer["results"]}


def test_a_big_integer_in_an_event_s_data_is_kept_exactly(
        central: CentralServer, central_http: RunningHub, make_office: object,
        clock: VirtualClock) -> None:
    office: OfficeHub = make_office()  # type: ignore[operator]
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _serve_some(office, clock, 2)
    entries = [e.to_wire() for e in pending_entries(office.store) if e.table == "events"][:50]
    event = entries[len(entries) // 2]
    event["p"]["data"] = {"big": BIG, "neg": -BIG, "f": 0.5, "texto": "Ñuñoa"}
    body = json.dumps({"office": "CAJ", "hub_office_id": office.office.office_id,
                       "entries": entries}).encode()
    results = _push(office, central_http.url, token, body)
    assert set(results.values()) == {"applied"} and len(results) == len(entries)
    events = REPLICAS["events"]
    with central.engine.connect() as connection:
        data = connection.scalar(select(events.c.data).where(events.c.id == event["p"]["id"]))
    assert data == event["p"]["data"] and type(data["big"]) is int


def test_data_nested_deeper_than_it_can_be_written_back_refuses_the_batch_clearly(
        central: CentralServer, central_http: RunningHub, make_office: object,
        clock: VirtualClock) -> None:
    """orjson reads 1,024 levels, json writes fewer back: such a batch is refused as a bad
    body (the hub is told), not answered 500 (which it would retry for ever)."""
    office: OfficeHub = make_office()  # type: ignore[operator]
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _serve_some(office, clock, 2)
    entries = [e.to_wire() for e in pending_entries(office.store) if e.table == "events"][:50]
    entries[len(entries) // 2]["p"]["data"] = {"x": 0}
    body = json.dumps({"office": "CAJ", "hub_office_id": office.office.office_id,
                       "entries": entries}).encode()
    body = body.replace(b'{"x": 0}', b'{"x": ' + b"[" * 1_000 + b"]" * 1_000 + b"}", 1)
    with pytest.raises(InvalidInput) as refused:
        _push(office, central_http.url, token, body)
    assert refused.value.code == "bad_body" and "niveles" in refused.value.message
    with central.engine.connect() as connection:
        assert connection.scalars(select(REPLICAS["events"].c.id)).all() == []


def test_nan_in_an_event_s_data_is_refused_alone_not_stored_as_null(
        central: CentralServer, central_http: RunningHub, make_office: object,
        clock: VirtualClock) -> None:
    """json reads NaN, PostgreSQL refuses it in a JSON value: that entry alone is refused (as
    before orjson, which would have written it as null)."""
    if central.engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps NaN in a JSON text")
    office: OfficeHub = make_office()  # type: ignore[operator]
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _serve_some(office, clock, 2)
    entries = [e.to_wire() for e in pending_entries(office.store) if e.table == "events"][:50]
    event = entries[len(entries) // 2]
    event["p"]["data"] = {"x": math.nan}
    body = json.dumps({"office": "CAJ", "hub_office_id": office.office.office_id,
                       "entries": entries}).encode()
    results = _push(office, central_http.url, token, body)
    assert results.pop(event["m"]) == "rejected"
    assert set(results.values()) == {"applied"}
    events = REPLICAS["events"]
    with central.engine.connect() as connection:
        stored = connection.scalars(select(events.c.id)).all()
    assert event["p"]["id"] not in stored and len(stored) == len(entries) - 1
