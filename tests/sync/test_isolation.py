"""A hub's credential is its office's only: it can neither push nor read another office's data,
and central refuses what is malformed, outdated or forged without stopping the rest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from kiosk.clock import VirtualClock
from kiosk.errors import Conflict, Forbidden, InvalidInput, Unauthorized, UpgradeRequired
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.storage.tables import SyncOutbox
from sync.central.schema import REPLICAS
from sync.central.server import CentralServer, Versions
from sync.client import CentralClient
from sync.wire import encode_row, pack
from tests.conftest import RunningHub, advance
from tests.sync.conftest import connect_sync


def _sync(office: OfficeHub, url: str, token: str) -> None:
    report = connect_sync(office, url, token).run_round()
    assert report.ok, report.error


def _ticket_row(central: CentralServer, ticket_id: str) -> dict[str, object]:
    tickets = REPLICAS["tickets"]
    with central.engine.connect() as connection:
        row = connection.execute(select(tickets).where(tickets.c.id == ticket_id)).first()
    assert row is not None
    return dict(row._mapping)


@pytest.fixture
def two_offices(central: CentralServer, central_http: RunningHub, make_office
                ) -> tuple[OfficeHub, str, OfficeHub, str]:
    caj, cel = make_office("CAJ", "CAC Cajamarca"), make_office("CEL", "CAC Celendín")
    caj_token = central.add_office("CAJ", "CAC Cajamarca")[1]
    cel_token = central.add_office("CEL", "CAC Celendín")[1]
    cel.issue_ticket(SYSTEM, "partidas")
    _sync(caj, central_http.url, caj_token)
    _sync(cel, central_http.url, cel_token)
    return caj, caj_token, cel, cel_token


def test_a_hub_cannot_write_another_offices_rows(
        central: CentralServer, central_http: RunningHub, two_offices) -> None:
    caj, caj_token, cel, _ = two_offices
    with cel.store.read_session() as session:
        ticket_id, payload = session.execute(text(
            "SELECT id, json_object('id', id, 'office_id', office_id, 'status', status) "
            "FROM tickets LIMIT 1")).one()
    before = _ticket_row(central, ticket_id)
    forged = json.loads(payload)
    client = CentralClient(central_http.url, caj_token)
    try:
        # 1. Celendín's row under Celendín's office id, sent with Cajamarca's credential.
        # 2. The same row id claimed as Cajamarca's own.
        results = {}
        for mutation, claimed in (("f" * 32, forged["office_id"]),
                                  ("e" * 32, caj.office.office_id)):
            answer = client.push(pack({"hub_office_id": caj.office.office_id, "entries": [
                {"m": mutation, "s": 10**9, "t": "tickets", "o": "upsert", "k": ticket_id,
                 "p": {**forged, "office_id": claimed, "status": "cancelled"}}]}))
            results.update({r["m"]: r for r in answer["results"]})
        assert results["f" * 32]["r"] == "rejected" and "otra oficina" in results["f" * 32]["why"]
        assert results["e" * 32]["r"] == "rejected" and "otra oficina" in results["e" * 32]["why"]
        assert _ticket_row(central, ticket_id) == before
        # 3. Pretending to be Celendín's hub installation.
        with pytest.raises(Conflict) as other:
            client.hello(cel.office.office_id)
        assert other.value.code == "other_installation"
    finally:
        client.close()


def test_another_offices_row_is_refused_beside_the_batchs_own_rows(
        central: CentralServer, central_http: RunningHub, two_offices) -> None:
    """The table's statement writes the batch's own rows and leaves the other office's alone;
    only that one is answered «rejected»."""
    caj, caj_token, cel, _ = two_offices
    with cel.store.read_session() as session:
        theirs = json.loads(session.execute(text(
            "SELECT json_object('id', id, 'office_id', office_id, 'status', status) "
            "FROM tickets LIMIT 1")).scalar_one())
    before = _ticket_row(central, theirs["id"])
    fresh = {**encode_row(REPLICAS["tickets"], before),  # a whole row, Cajamarca's own
             "id": "0b5e3c1a-7d2f-4e6a-9c8b-1f2e3d4c5b6a", "office_id": caj.office.office_id}
    client = CentralClient(central_http.url, caj_token)
    try:
        answer = client.push(pack({"hub_office_id": caj.office.office_id, "entries": [
            {"m": "a" * 32, "s": 10**9, "t": "tickets", "o": "upsert", "k": theirs["id"],
             "p": {**theirs, "office_id": caj.office.office_id, "status": "cancelled"}},
            {"m": "b" * 32, "s": 10**9 + 1, "t": "tickets", "o": "upsert", "k": fresh["id"],
             "p": fresh}]}))
    finally:
        client.close()
    results = {r["m"]: r for r in answer["results"]}
    assert results["a" * 32]["r"] == "rejected" and "otra oficina" in results["a" * 32]["why"]
    assert results["b" * 32] == {"m": "b" * 32, "r": "applied"}
    assert _ticket_row(central, theirs["id"]) == before
    assert _ticket_row(central, fresh["id"]) is not None


def _recover_all(client: CentralClient) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    cursor = 0
    for _ in range(100):  # bounded: a demo office is a few pages
        answer = client.recover(cursor)
        rows += answer["rows"]
        cursor = answer["next"]
        if not answer["more"]:
            return rows
    raise AssertionError("the recovery did not end")


def test_a_hub_reads_only_its_own_feed_and_figures(
        central: CentralServer, central_http: RunningHub, two_offices) -> None:
    _, caj_token, _, cel_token = two_offices
    central.add_user("CEL", "solo.celendin", "Usuaria de Celendín", "counter")
    central.set_uit(2027, "5600", None)  # national: every office gets it
    client = CentralClient(central_http.url, caj_token)
    try:
        feed = client.pull(0)
        tables = [c["t"] for c in feed["changes"]]
        assert tables == ["uit_values"]
        with pytest.raises(Forbidden):
            client.stats("2026-11-20", "2026-11-20", office="CEL")
        own = client.stats("2026-11-20", "2026-11-20")
        assert list(own["offices"]) == ["CAJ"]
    finally:
        client.close()
    cel_client = CentralClient(central_http.url, cel_token)
    try:
        assert [c["t"] for c in cel_client.pull(0)["changes"]] == ["users", "uit_values"]
        # What a restored hub gets back is its own rows only.
        cel_rows = _recover_all(cel_client)
    finally:
        cel_client.close()
    cel = two_offices[2]
    with cel.store.read_session() as session:
        cel_tickets = set(session.scalars(text("SELECT id FROM tickets")))
    recovered_tickets = {r["p"]["id"] for r in cel_rows if r["t"] == "tickets"}
    assert recovered_tickets == cel_tickets and cel_tickets
    caj_client = CentralClient(central_http.url, caj_token)
    try:
        assert not {r["p"].get("id") for r in _recover_all(caj_client)} & cel_tickets
    finally:
        caj_client.close()


def test_a_revoked_or_unknown_credential_is_refused(
        central: CentralServer, central_http: RunningHub, two_offices) -> None:
    caj, caj_token, _, _ = two_offices
    fresh = central.issue_hub_token("CAJ", revoke_others=True)
    for token in (caj_token, "not-a-token"):
        client = CentralClient(central_http.url, token)
        try:
            with pytest.raises(Unauthorized):
                client.hello(caj.office.office_id)
        finally:
            client.close()
    _sync(caj, central_http.url, fresh)


def test_a_rejected_entry_does_not_block_the_others(
        central: CentralServer, central_http: RunningHub, make_office, clock: VirtualClock
) -> None:
    office = make_office()
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    _sync(office, central_http.url, token)
    office.issue_ticket(SYSTEM, "partidas")
    with office.store.write_session() as session:  # a corrupt entry between two good ones
        session.execute(text(
            "INSERT INTO sync_outbox (mutation_id, tbl, row_key, op, payload) VALUES "
            "('badbadbadbadbadbadbadbadbadbadba', 'tickets', 'x', 'upsert', "
            "'{\"id\": \"x\", \"status\": 5}')"))
        session.commit()
    advance(clock, minutes=1)
    issued = office.issue_ticket(SYSTEM, "caja")
    report = connect_sync(office, central_http.url, token).run_round()
    assert report.ok and report.rejected == 1
    assert _ticket_row(central, issued.id)["number"] == issued.number
    status = office.sync_status(SYSTEM)
    assert status.pending == 0 and status.rejected == 1
    assert any("rechazó 1 cambio" in w for w in status.warnings)
    attention = office.sync_attention(SYSTEM)
    assert [(a.kind, a.table, a.reference) for a in attention] == [("push", "tickets", "x")]
    assert "no válido" in attention[0].reason or "no coincide" in attention[0].reason
    with office.store.read_session() as session:
        assert session.scalar(select(SyncOutbox.state).where(
            SyncOutbox.row_key == "x")) == "rejected"


def test_an_outdated_hub_is_told_to_update_and_keeps_its_outbox(
        central: CentralServer, central_http: RunningHub, make_office,
        monkeypatch: pytest.MonkeyPatch) -> None:
    office = make_office()
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    monkeypatch.setattr("sync.wire.PROTOCOL_VERSION", 0)  # what an old hub would send
    sync = connect_sync(office, central_http.url, token)
    with office.store.read_session() as session:
        waiting = session.scalar(select(text("count(*)")).select_from(SyncOutbox))
    report = sync.run_round()
    assert not report.ok and report.code == "update_required"
    status = office.sync_status(SYSTEM)
    assert status.update_required and "actualice" in status.update_required
    assert status.pending == waiting > 0


def test_clock_skew_is_measured_and_shown(
        central: CentralServer, central_http: RunningHub, make_office, clock: VirtualClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import timedelta

    office = make_office()
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    ahead = VirtualClock(clock.now() + timedelta(minutes=9))
    monkeypatch.setattr(central, "clock", ahead)  # central's clock is 9 minutes later
    report = connect_sync(office, central_http.url, token).run_round()
    assert report.ok and report.skew_s == pytest.approx(540, abs=5)
    status = office.sync_status(SYSTEM)
    assert status.clock_skew_s == pytest.approx(540, abs=5)
    assert any("atrasado 9 min" in w for w in status.warnings)


def test_a_restored_office_continues_above_what_central_saw(
        central: CentralServer, central_http: RunningHub, make_office, clock: VirtualClock,
        tmp_path: Path) -> None:
    office = make_office()
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    ticket = office.issue_ticket(SYSTEM, "partidas")
    _sync(office, central_http.url, token)
    with office.store.write_session() as session:  # as if restored from an older backup
        session.execute(text("UPDATE sqlite_sequence SET seq = 3 WHERE name = 'sync_outbox'"))
        session.commit()
    office.open_counter(SYSTEM, 1)
    advance(clock, minutes=4)
    called = office.call_next(SYSTEM, 1)
    assert called is not None and called.id == ticket.id
    _sync(office, central_http.url, token)
    assert _ticket_row(central, ticket.id)["status"] == "called"


def test_malformed_pushes_are_refused_whole_with_a_spanish_message(
        central: CentralServer, central_http: RunningHub, make_office) -> None:
    office = make_office()
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    client = CentralClient(central_http.url, token, office="CAJ")
    try:
        client.hello(office.office.office_id)
        for body in (b"not gzip", pack([1, 2]), pack({"entries": [{"m": 1}]}),
                     pack({"entries": [{}] * 501})):
            with pytest.raises(InvalidInput) as refused:
                client.push(body)
            assert refused.value.message.startswith(("El envío", "Un cambio", "Un lote",
                                                      "El lote"))
    finally:
        client.close()
    with pytest.raises(UpgradeRequired):  # a request without the protocol header
        central.check_versions(Versions(app="0.0.1", protocol=None, schema=None))
