"""An office's older events folded into central's compressed archive
(sync/central/event_archive.py): recovery gives every event back as it was pushed, across
archived and live ones; a push of an archived event is answered and writes nothing, and the
fold forgets the settled ones' mutation ids; an upgraded central's events are folded by its
maintenance job; bodies of either format read back as written."""

from __future__ import annotations

import json
import lzma
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.ids import new_id
from kiosk.rules.audit import event_hash
from kiosk.signing import statement as statements
from kiosk.storage.backup import backup_database
from sync import recovery
from sync.central import event_archive
from sync.central.bookkeeping import RETRY_HORIZON
from sync.central.feed import recovery_page
from sync.central.maintenance import CentralMaintenance
from sync.central.schema import REPLICAS, offices
from sync.central.schema import applied as applied_table
from sync.central.schema import event_archive as archive_table
from sync.central.server import CentralServer
from sync.central.verification import signed_records
from sync.outbox import pending_entries
from sync.wire import MAX_BATCH_ENTRIES, decode_row, encode_row
from tests.conftest import LIMA, RunningHub, advance
from tests.sync.conftest import central_at, connect_sync, migrations, push_as_hub, statements_sent
from tests.sync.test_push_pull import _serve_some
from tests.sync.test_recovery import _counts, _restore

EVENTS = REPLICAS["events"]


def _office_id(central: CentralServer) -> str:
    with central.engine.connect() as connection:
        return str(connection.scalar(select(offices.c.id)))


def _recovered(central: CentralServer, office_id: str, limit: int) -> list[dict[str, Any]]:
    """Every row recovery gives, a page of `limit` after another."""
    rows: list[dict[str, Any]] = []
    cursor, more = 0, True
    with central.engine.connect() as connection:
        while more:
            page, cursor, more = recovery_page(connection, office_id, cursor, limit)
            rows.extend(page)
    return rows


def _live_events(central: CentralServer) -> int:
    with central.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(EVENTS)) or 0)


def test_recovery_reads_archived_and_live_events_as_pushed(
        central: CentralServer, central_http: RunningHub, make_office: object,
        clock: VirtualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    office: OfficeHub = make_office()  # type: ignore[operator]
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    backup = backup_database(office.data_dir.database, office.data_dir.backups, "inicio")
    _serve_some(office, clock, 3)
    assert connect_sync(office, central_http.url, token).run_round().ok
    advance(clock, days=RETRY_HORIZON.days + 2)
    _serve_some(office, clock, 2)
    assert connect_sync(office, central_http.url, token).run_round().ok
    office_id = _office_id(central)
    before = {limit: _recovered(central, office_id, limit) for limit in (7, 500)}
    live = _live_events(central)

    CentralMaintenance(central, every_s=3600).run_once()

    with central.engine.connect() as connection:
        archived = event_archive.count(connection)
        bodies = connection.scalars(select(archive_table.c.body)).all()
    assert archived > 0 and _live_events(central) == live - archived > 0
    # A hub's chain: each prev_hash the hash before, each hash its content's — neither kept.
    assert all(event_archive.codecs(b)["prev_hash"] == event_archive.codecs(b)["hash"]
               == "implied" for b in bodies)
    # Byte for byte what the rows gave, in pages that cross archived and live events.
    for limit, rows in before.items():
        after = _recovered(central, office_id, limit)
        assert json.dumps(after) == json.dumps(rows)
    # A hub restored from before it all gets its whole chain back.
    monkeypatch.setattr(recovery, "PULL_PAGE", 40)
    expected = _counts(office)
    office = _restore(office, backup, clock)
    report = connect_sync(office, central_http.url, token).run_round()
    assert report.ok, report.error
    assert _counts(office) == expected
    assert office.verify_audit(SYSTEM).ok


def test_an_archived_event_pushed_again_is_answered_and_not_written(
        central: CentralServer, central_http: RunningHub, make_office: object,
        clock: VirtualClock) -> None:
    office: OfficeHub = make_office()  # type: ignore[operator]
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _serve_some(office, clock, 2)
    first = [e for e in pending_entries(office.store) if e.table == "events"]
    assert connect_sync(office, central_http.url, token).run_round().ok
    advance(clock, days=RETRY_HORIZON.days + 2)
    central.prune_bookkeeping()
    assert event_archive.fold(central.engine, clock.now()) == len(first)
    assert _live_events(central) == 0
    office_id = _office_id(central)
    before = _recovered(central, office_id, 500)

    answer = push_as_hub(central, token, office, [e.to_wire() for e in first])
    # «applied» once forgotten, «duplicate» while its hub had not settled it: never refused.
    answered = {r["r"] for r in answer["results"]}
    assert "applied" in answered and answered <= {"applied", "duplicate"}
    assert _live_events(central) == 0
    assert _recovered(central, office_id, 500) == before


def test_an_upgraded_centrals_events_are_folded_by_its_maintenance(
        database_url: str, clock: VirtualClock) -> None:
    """A central of revision 0013 holding events: upgraded, its maintenance folds those past
    the horizon and recovery still gives each as it was."""
    engine = central_at(database_url, "0013")
    now = clock.now()
    previous = "0" * 64
    rows = []
    for i in range(30):
        digest = f"{i + 1:064x}"
        old = i < 20
        rows.append({
            "id": f"00000000-0000-4000-8000-{i:012d}", "seq": i + 1, "office_id": "A",
            "stream": "ticket", "stream_id": f"10000000-0000-4000-8000-{i // 5:012d}",
            "kind": "issued" if i % 5 == 0 else "called",
            "occurred_at": now - timedelta(days=30 if old else 1, minutes=-i),
            "hlc": f"{1_700_000_000_000 + i:015d}-0000-dev", "device_id": None,
            "data": {"number": f"A{i:03d}", "n": i, "rate": 0.1 * i},
            "prev_hash": previous if i != 12 else "f" * 64, "hash": digest, "_sync_seq": 100 + i})
        previous = digest
    with engine.begin() as connection:
        connection.execute(offices.insert().values(id="A", code="CAJ", name="CAC Cajamarca",
                                                   created_at=now))
        connection.execute(EVENTS.insert(), rows)
    engine.dispose()

    server = CentralServer(database_url, clock)  # opening it upgrades it
    try:
        before = _recovered(server, "A", 6)
        assert len(before) == 30
        CentralMaintenance(server, every_s=3600).run_once()
        with server.engine.connect() as connection:
            assert (connection.scalar(select(func.count()).select_from(archive_table)) or 0) >= 1
            assert event_archive.count(connection, "A") == 20
        assert _live_events(server) == 10
        assert json.dumps(_recovered(server, "A", 6)) == json.dumps(before)
        assert json.dumps(_recovered(server, "A", 100)) == json.dumps(before)
        # An event of an archived day that comes late (a hub offline for weeks) is a row
        # until the next fold adds it to its day.
        late = {**rows[19], "id": "00000000-0000-4000-8000-999999999999", "seq": 99,
                "prev_hash": rows[29]["hash"], "hash": "e" * 64, "_sync_seq": 500}
        with server.engine.begin() as connection:
            connection.execute(EVENTS.insert(), [late])
        with_late = _recovered(server, "A", 6)
        assert len(with_late) == 31 and with_late[-1]["p"]["id"] == late["id"]
        assert event_archive.fold(server.engine, clock.now()) == 1
        assert _live_events(server) == 10
        assert json.dumps(_recovered(server, "A", 6)) == json.dumps(with_late)
        # Going back to a central without the archive would lose them: refused.
        with pytest.raises(RuntimeError), server.engine.begin() as connection:
            command.downgrade(migrations(connection), "0013")
        assert json.dumps(_recovered(server, "A", 100)) == json.dumps(with_late)
    finally:
        server.close()


def test_signed_documents_an_older_central_archived_come_back_as_rows(
        database_url: str, clock: VirtualClock) -> None:
    """A central of revision 0015 folded the expedientes' signed documents with the other
    events; upgraded, the verification page reads them from the archive until its maintenance
    gives them back as rows, and recovery gives each event once, as it was pushed."""
    engine = central_at(database_url, "0015")
    now = clock.now()
    expediente, signed_at = "20000000-0000-4000-8000-000000000001", (3, 5, 23, 24)
    rows: list[dict[str, Any]] = []
    for i in range(25):
        # Four days a month ago: documents signed on the first and third; the last day holds
        # one signed document alone.
        day = min(i // 8, 3)
        signed = i in signed_at
        rows.append({
            "id": f"00000000-0000-4000-8000-{i:012d}", "seq": i + 1, "office_id": "A",
            "stream": "expediente" if signed else "ticket",
            "stream_id": expediente if signed else f"10000000-0000-4000-8000-{i:012d}",
            "kind": "document_signed" if signed else "issued",
            "occurred_at": now - timedelta(days=30 - day, minutes=-i), "hlc": f"{i:015d}-0-d",
            "device_id": None, "prev_hash": f"{i:064x}", "hash": f"{i + 1:064x}",
            "data": {"document_id": f"d-{i}", "fields": [["n", str(i)]]}
            if signed else {"n": i}, "_sync_seq": 100 + i})
    with engine.begin() as connection:
        connection.execute(offices.insert().values(id="A", code="CAJ", name="CAC Cajamarca",
                                                   created_at=now))
        connection.execute(REPLICAS["expedientes"].insert().values(
            id=expediente, office_id="A", number="EXP-2026-000001"))
        connection.execute(EVENTS.insert(), rows)
        before = recovery_page(connection, "A", 0, 500)[0]
        assert len(before) == 25
        # What revision 0015's fold left: every event of those days archived.
        by_day: dict[Any, list[event_archive.Archived]] = {}
        for item, row in zip(before, rows, strict=True):
            by_day.setdefault(row["occurred_at"].astimezone(UTC).date(), []).append(
                event_archive.Archived(item["s"], item["p"]))
        connection.execute(EVENTS.delete())
        for day, events in by_day.items():
            connection.execute(archive_table.insert().values(
                office_id="A", day=day, first_seq=events[0].seq, last_seq=events[-1].seq,
                events=len(events), body=event_archive.encode(events)))
    engine.dispose()
    server = CentralServer(database_url, clock)  # opening it upgrades it
    try:
        def found(i: int) -> list[dict[str, Any]]:
            """signed_records of the document event `i` recorded (issued on its local day)."""
            issued_on = rows[i]["occurred_at"].astimezone(LIMA).date()
            return signed_records(server.engine, "A", statements.Statement(
                key_id="0" * 8, document_id=f"d-{i}", kind="cargo", number="EXP-2026-000001",
                acta_number="", issued_on=issued_on, digest="0" * 32))

        # Read from the archive meanwhile.
        assert [found(i) for i in signed_at] == [[rows[i]["data"]] for i in signed_at]
        CentralMaintenance(server, every_s=3600).run_once()
        with server.engine.connect() as connection:
            kept = connection.execute(select(EVENTS.c.id)).scalars().all()
            assert sorted(kept) == sorted(rows[i]["id"] for i in signed_at)
            assert event_archive.count(connection, "A") == 21
            marks = connection.scalars(select(archive_table.c.kept_out)).all()
            assert len(marks) == 3 and all(marks)  # the last day's row held nothing else
            assert not event_archive.pending_kept(connection, "A", list(by_day))
        assert [found(i) for i in signed_at] == [[rows[i]["data"]] for i in signed_at]
        assert json.dumps(_recovered(server, "A", 500)) == json.dumps(before)
        assert json.dumps(_recovered(server, "A", 4)) == json.dumps(before)
    finally:
        server.close()


def test_an_office_back_after_a_week_offline_has_its_days_folded_once(
        central: CentralServer, central_http: RunningHub, make_office: object,
        clock: VirtualClock) -> None:
    """Events are folded two whole days after theirs, not after the retry horizon: an office
    back after a week pushes its day's last events, which join that day's archive row; the
    same batch sent again (its answer lost, the day folded meanwhile) is «duplicate» and
    writes nothing; recovery gives every event once, as it was pushed."""
    office: OfficeHub = make_office()  # type: ignore[operator]
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _serve_some(office, clock, 3)
    assert connect_sync(office, central_http.url, token).run_round().ok
    for _ in range(2):  # later that day, the link down for a week
        advance(clock, minutes=5)
        office.issue_ticket(SYSTEM, "partidas")
    advance(clock, days=7)
    CentralMaintenance(central, every_s=3600).run_once()
    office_id = _office_id(central)
    with central.engine.connect() as connection:
        archived = event_archive.count(connection)
    assert archived > 0 and _live_events(central) == 0

    batch = pending_entries(office.store)
    late = [e for e in batch if e.table == "events"]
    assert late and connect_sync(office, central_http.url, token).run_round().ok
    assert _live_events(central) == len(late)  # rows until the next fold
    before = {limit: _recovered(central, office_id, limit) for limit in (7, 500)}
    CentralMaintenance(central, every_s=3600).run_once()
    with central.engine.connect() as connection:
        assert event_archive.count(connection) == archived + len(late)
        bodies = connection.scalars(select(archive_table.c.body)).all()
    assert len(bodies) == 1 and _live_events(central) == 0  # the day's one row, merged
    assert event_archive.ids(bodies[0]) == [e.payload["id"]
                                            for e in event_archive.decode(bodies[0])]

    answer = push_as_hub(central, token, office, [e.to_wire() for e in batch])
    assert {r["r"] for r in answer["results"]} == {"duplicate"}
    with central.engine.connect() as connection:
        assert event_archive.count(connection) == archived + len(late)
    assert _live_events(central) == 0
    for limit, rows in before.items():
        assert json.dumps(_recovered(central, office_id, limit)) == json.dumps(rows)
    ids = [r["p"]["id"] for r in before[500] if r["t"] == "events"]
    assert len(ids) == len(set(ids)) == _counts(office)["events"]


def test_a_push_of_the_last_days_events_looks_up_no_archive(
        central: CentralServer, central_http: RunningHub, make_office: object,
        clock: VirtualClock) -> None:
    """Only days past the fold's cutoff can be archived: a push of today's events reads no
    archive row, though older days of the office are archived."""
    office: OfficeHub = make_office()  # type: ignore[operator]
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _serve_some(office, clock, 2)
    assert connect_sync(office, central_http.url, token).run_round().ok
    advance(clock, days=3)
    central.prune_bookkeeping()
    event_archive.fold(central.engine, clock.now())
    _serve_some(office, clock, 2)
    with statements_sent(central.engine) as sent:
        assert connect_sync(office, central_http.url, token).run_round().ok
    assert _live_events(central) > 0 and any("INSERT INTO events" in s for s in sent)
    assert not [s for s in sent if "central_event_archive" in s]


def _applied_ids(central: CentralServer) -> set[str]:
    with central.engine.connect() as connection:
        return set(connection.scalars(select(applied_table.c.mutation_id)))


def test_a_fold_forgets_the_ids_of_the_settled_events_it_archives(
        central: CentralServer, central_http: RunningHub, make_office: object,
        clock: VirtualClock) -> None:
    """The archive answers a folded event pushed again, so the fold forgets the mutation ids
    of those events the hub has settled, not the other entries' (kept until the horizon) nor
    those of events still unsettled; a whole batch sent again is answered as a success and
    writes nothing; recovery is unchanged."""
    office: OfficeHub = make_office()  # type: ignore[operator]
    _, token = central.add_office("CAJ", "CAC Cajamarca")
    _serve_some(office, clock, 3)
    settled = pending_entries(office.store)
    assert connect_sync(office, central_http.url, token).run_round().ok
    advance(clock, minutes=30)
    office.issue_ticket(SYSTEM, "partidas")
    unsettled = pending_entries(office.store)  # its batch settles the first one
    assert connect_sync(office, central_http.url, token).run_round().ok
    events = {e.mutation_id for e in settled + unsettled if e.table == "events"}
    forgotten = {e.mutation_id for e in settled if e.table == "events"}
    assert forgotten and events - forgotten and _applied_ids(central) >= {
        e.mutation_id for e in settled + unsettled}
    office_id = _office_id(central)
    before = {limit: _recovered(central, office_id, limit) for limit in (7, 500)}

    advance(clock, days=3)
    CentralMaintenance(central, every_s=3600).run_once()
    with central.engine.connect() as connection:
        archived = event_archive.count(connection)
    assert archived == len(events) and _live_events(central) == 0
    kept = _applied_ids(central)
    assert not kept & forgotten
    assert kept >= {e.mutation_id for e in settled + unsettled} - forgotten
    for limit, rows in before.items():
        assert json.dumps(_recovered(central, office_id, limit)) == json.dumps(rows)

    # Both batches again (a hub restored with its old outbox): each entry a success, the
    # events forgotten answered from the archive, nothing written twice.
    again = [e.to_wire() for e in settled + unsettled]
    results: dict[str, str] = {}
    for start in range(0, len(again), MAX_BATCH_ENTRIES):
        answer = push_as_hub(central, token, office, again[start:start + MAX_BATCH_ENTRIES])
        results.update({r["m"]: r["r"] for r in answer["results"]})
    assert len(results) == len(settled + unsettled)
    assert {results[m] for m in forgotten} == {"applied"}
    assert {r for m, r in results.items() if m not in forgotten} == {"duplicate"}
    with central.engine.connect() as connection:
        assert event_archive.count(connection) == archived
    assert _live_events(central) == 0
    for limit, rows in before.items():
        assert json.dumps(_recovered(central, office_id, limit)) == json.dumps(rows)

    # The other settled entries' ids go at the horizon, as before (the events' ids recorded
    # again by that push, a horizon after it).
    advance(clock, days=RETRY_HORIZON.days)
    central.prune_bookkeeping()
    assert not _applied_ids(central) & ({e.mutation_id for e in settled} - forgotten)


GOLDEN = Path(__file__).parent / "golden"
GOLDEN_HUB = "01a24ef6-0000-7000-8000-00000000000a"


def _golden() -> tuple[bytes, list[event_archive.Archived]]:
    """An archive body central wrote in format 1 (before format 2), and the events in it: a
    hub's chain (one link broken), UUIDs in `data`, a text beginning with \\x01, an event
    whose id is no UUIDv7, one with no device_id, one with no data."""
    body = (GOLDEN / "archive-format1.xz").read_bytes()
    events = [event_archive.Archived(e["s"], e["p"])
              for e in json.loads((GOLDEN / "archive-format1.json").read_text())]
    return body, events


def test_a_format_1_body_is_read_as_written_and_a_fold_rewrites_it_in_format_2(
        central: CentralServer, clock: VirtualClock) -> None:
    body, events = _golden()
    assert event_archive.codecs(body)["id"] == "uuid"  # format 1's
    assert event_archive.decode(body) == events
    assert event_archive.ids(body) == [e.payload["id"] for e in events]

    # An event of that day arrives late: the fold merges it into the day's row, in format 2.
    now = clock.now()
    late = {**events[-1].payload, "id": "01a24ef6-9999-7999-8abc-a58334209999", "seq": 99,
            "prev_hash": events[-1].payload["hash"], "hash": "e" * 64}
    with central.engine.begin() as connection:
        connection.execute(offices.insert().values(id="A", code="CAJ", name="CAC Cajamarca",
                                                   created_at=now))
        day = datetime.fromisoformat(events[0].payload["occurred_at"]).date()
        connection.execute(archive_table.insert().values(
            office_id="A", day=day, first_seq=events[0].seq, last_seq=events[-1].seq,
            events=len(events), body=body, kept_out=True))
        connection.execute(EVENTS.insert(), [{**decode_row(EVENTS, late), "office_id": "A",
                                              "_sync_seq": 500}])
    assert event_archive.fold(central.engine, now) == 1
    with central.engine.connect() as connection:
        merged = connection.scalars(select(archive_table.c.body)).one()
        page = recovery_page(connection, "A", 0, 100)[0]
    assert event_archive.codecs(merged)["data"] == "table"
    assert event_archive.decode(merged) == [*events, event_archive.Archived(500, late)]
    assert [r["p"] for r in page] == [e.payload for e in events] + [late]


def _day_of_a_hub(count: int) -> list[event_archive.Archived]:
    """Events as a hub makes them: UUIDv7 ids, tickets' events close together, a device's id
    and the ticket's id in `data`, a chain of hashes."""
    previous, events = "0" * 64, []
    start = datetime(2026, 11, 2, 13, 0, tzinfo=UTC)
    kinds = ("issued", "called", "started", "finished")
    tickets = [new_id() for _ in range(count // 4 + 1)]
    devices = [new_id() for _ in range(3)]
    for i in range(count):
        ticket = tickets[i // 4 - (i % 2)] if i >= 4 else tickets[0]
        event_id, at = new_id(), start + timedelta(seconds=37 * i, microseconds=i % 3)
        hlc = f"{int(at.timestamp() * 1000) + i % 2:013d}.{i % 4:05d}.PLA"  # kiosk/clock.py
        device = devices[i % 3] if i % 4 == 0 else None
        data = {"number": f"A-{i // 4:03d}", "counter": i % 5, "ticket_id": ticket,
                "by": [devices[i % 2], "\x01a" if i == 1 else ""]}
        digest = event_hash(previous, event_id=event_id, office_id=GOLDEN_HUB, stream="ticket",
                            stream_id=ticket, kind=kinds[i % 4], occurred_at=at, hlc=hlc,
                            device_id=device, data=data)
        row = {"seq": i + 1, "id": event_id, "stream": "ticket", "stream_id": ticket,
               "kind": kinds[i % 4], "occurred_at": at, "hlc": hlc, "device_id": device,
               "data": data, "prev_hash": previous, "hash": digest}
        previous = digest
        events.append(event_archive.Archived(1000 + 3 * i, encode_row(EVENTS, row)))
    return events


def test_format_2_keeps_hub_ids_by_their_time_and_each_uuid_once() -> None:
    """A hub's UUIDv7 ids: their timestamps as differences, their random bits packed; the
    stream ids, device ids and UUIDs inside `data` each kept once, referred to; `data` by
    column; the times as differences, the clock stamps from them. Read back as written, the
    ids alone too."""
    for count in (1, 2, 3, 4, 5, 97):
        events = _day_of_a_hub(count)
        body = event_archive.encode(events, GOLDEN_HUB)
        found = event_archive.codecs(body)
        assert ([found[c] for c in ("id", "stream_id", "data", "occurred_at", "hlc")]
                == ["uuid7", "ref", "table", "time", "hlc"])
        assert count < 4 or found["hash"] == found["prev_hash"] == "implied"
        assert event_archive.decode(body) == events
        assert event_archive.ids(body) == [e.payload["id"] for e in events]
    # Each distinct UUID kept once: 97 ids at 9.25 bytes, 25 tickets and 3 devices once.
    raw = lzma.decompress(body)
    (size,) = struct.unpack(">I", raw[:4])
    assert len(raw) - 4 - size == 37 * 25 + 37 * 7
    # A body of the format before is still what it was.
    _, events = _golden()
    assert event_archive.decode(event_archive.encode(events, GOLDEN_HUB)) == events


_UUIDS = st.sampled_from([new_id() for _ in range(4)] + ["6d2f0a6e-1a4b-4c1d-9e2f-3a4b5c6d7e8f"])
_TEXTS = st.one_of(st.text(max_size=6), _UUIDS, st.sampled_from(["\x01", "\x01\x01", "\x017"]))
_JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), _TEXTS,
                               st.floats(allow_nan=False)),
                     lambda inner: st.one_of(st.lists(inner, max_size=3),
                                             st.dictionaries(_TEXTS, inner, max_size=3)),
                     max_leaves=8)
_PAYLOADS = st.fixed_dictionaries({}, optional={
    "seq": st.integers(0, 10**6), "id": st.one_of(_UUIDS, st.text(max_size=4)),
    "stream": st.sampled_from(["ticket", "expediente"]),
    "stream_id": st.one_of(_UUIDS, st.none(), st.text(max_size=4)), "kind": st.text(max_size=4),
    "occurred_at": st.one_of(st.sampled_from(["2026-11-02 13:00:00.000001",
                                              "2026-11-02 13:00:00", "0999-01-01 00:00:00.000000",
                                              "2026-11-02T13:00:00.000000"]),
                             st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S.%f"))),
    "hlc": st.one_of(st.sampled_from(["1793624400000.00000.PLA", "1793624400000.0.PLA",
                                      "0000000000000.99999.\n"]), st.text(max_size=6)),
    "device_id": st.one_of(_UUIDS, st.none()), "data": _JSON,
    "prev_hash": st.sampled_from(["0" * 64, "a" * 64, "x"]), "hash": st.sampled_from(["a" * 64])})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10**9), _PAYLOADS), max_size=8))
def test_any_events_read_back_as_written(items: list[tuple[int, dict[str, Any]]]) -> None:
    """Whatever an event holds (texts that look like a reference, times or stamps that do not
    read back, ids of any version, columns missing), its archive gives it back as it was."""
    events = [event_archive.Archived(seq, payload) for seq, payload in items]
    body = event_archive.encode(events, GOLDEN_HUB)
    assert event_archive.decode(body) == events
    if all("id" in p and isinstance(p["id"], str) for _, p in items):
        assert event_archive.ids(body) == [p["id"] for _, p in items]
