"""Central keeps offices apart: a credential acts for its own office only, and nothing one office
sends (a mutation id, a tracking code, text central cannot store) can take another office's
place or stall it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select, text

from kiosk.errors import Forbidden
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import PaymentInput
from kiosk.storage.tables import Expediente, SyncOutbox
from sync.bundle import export_office_bundle
from sync.central.schema import REPLICAS, applied, office_links, offices
from sync.central.server import CentralServer
from sync.client import CentralClient
from sync.wire import has_control, pack
from tests.conftest import RunningHub
from tests.integration.test_expedientes import add_acta, partida
from tests.sync.conftest import clerk_of, connect_sync


def _sync(office: OfficeHub, url: str, token: str) -> None:
    report = connect_sync(office, url, token).run_round()
    assert report.ok, report.error


def _outbox(office: OfficeHub) -> list[tuple[str, str]]:
    with office.store.read_session() as session:
        return [(r.mutation_id, r.state) for r in session.execute(
            select(SyncOutbox.mutation_id, SyncOutbox.state).order_by(SyncOutbox.seq))]


def _count(central: CentralServer, table: str, office_code: str | None = None) -> int:
    replica = REPLICAS[table]
    query = select(func.count()).select_from(replica)
    if office_code:
        query = query.join(offices, offices.c.id == replica.c.office_id).where(
            offices.c.code == office_code)
    with central.engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def _bound_installation(central: CentralServer, office_code: str) -> str | None:
    with central.engine.connect() as connection:
        return connection.scalar(select(office_links.c.hub_office_id).join(
            offices, offices.c.id == office_links.c.office_id).where(offices.c.code == office_code))


def test_a_hub_with_another_offices_credential_is_refused_before_anything(
        central: CentralServer, central_http: RunningHub, make_office, tmp_path: Path) -> None:
    caj, cel = make_office("CAJ", "CAC Cajamarca"), make_office("CEL", "CAC Celendín")
    caj_token = central.add_office("CAJ", "CAC Cajamarca")[1]
    central.add_office("CEL", "CAC Celendín")
    cel.issue_ticket(SYSTEM, "partidas")
    waiting = _outbox(cel)
    assert waiting

    # Celendín's hub configured with Cajamarca's credential.
    report = connect_sync(cel, central_http.url, caj_token).run_round()
    assert not report.ok and report.code == "wrong_office"
    assert report.error and "CAJ" in report.error and "CEL" in report.error
    assert _bound_installation(central, "CAJ") is None
    assert _count(central, "tickets") == 0 and _count(central, "users") == 0
    with central.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(applied)) == 0
    assert _outbox(cel) == waiting  # kept whole, every entry still pending
    status = cel.sync_status(SYSTEM)
    assert status.pending == len(waiting)
    assert any("CAJ" in w and "CEL" in w for w in status.warnings), status.warnings

    # Every way in says the office, and each is refused the same way.
    wrong = CentralClient(central_http.url, caj_token, office="CEL")
    try:
        for call in (lambda: wrong.hello(cel.office.office_id), lambda: wrong.pull(0),
                     lambda: wrong.recover(0),
                     lambda: wrong.push(pack({"office": "CEL",
                                              "hub_office_id": cel.office.office_id,
                                              "entries": []}))):
            with pytest.raises(Forbidden) as refused:
                call()
            assert refused.value.code == "wrong_office"
    finally:
        wrong.close()
    # A USB bundle written with the wrong credential is refused the same way.
    bundle = tmp_path / "cel.cacsync"
    export_office_bundle(cel, bundle, caj_token)
    with pytest.raises(Forbidden) as foreign:
        central.import_bundle(bundle, tmp_path / "reply.cacsync")
    assert foreign.value.code == "wrong_office"
    assert "CAJ" in foreign.value.message and "CEL" in foreign.value.message
    assert not (tmp_path / "reply.cacsync").exists()
    assert _count(central, "tickets") == 0 and _bound_installation(central, "CAJ") is None

    # The real Cajamarca hub then syncs as if nothing had happened.
    caj.issue_ticket(SYSTEM, "partidas")
    _sync(caj, central_http.url, caj_token)
    assert _bound_installation(central, "CAJ") == caj.office.office_id
    assert _count(central, "tickets", "CAJ") == 1 and _count(central, "tickets", "CEL") == 0
    assert caj.sync_status(SYSTEM).pending == 0


def test_an_older_hub_without_its_office_code_is_told_to_update_before_binding(
        central: CentralServer, central_http: RunningHub, make_office) -> None:
    caj = make_office("CAJ", "CAC Cajamarca")
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    old = requests.get(f"{central_http.url}/api/v1/sync/hello",
                       params={"hub_office_id": caj.office.office_id},
                       headers={"Authorization": f"Bearer {token}", "X-CAC-Protocol": "1",
                                "X-CAC-App-Version": "0.9.0"}, timeout=10)
    assert old.status_code == 426
    error = old.json()["error"]
    assert error["code"] == "office_code_required" and "actualice" in error["message"]
    assert _bound_installation(central, "CAJ") is None
    _sync(caj, central_http.url, token)  # the updated hub binds
    # Once bound, an older hub of that same installation keeps working until it updates.
    again = requests.get(f"{central_http.url}/api/v1/sync/hello",
                         params={"hub_office_id": caj.office.office_id},
                         headers={"Authorization": f"Bearer {token}", "X-CAC-Protocol": "1",
                                  "X-CAC-App-Version": "0.9.0"}, timeout=10)
    assert again.status_code == 200 and again.json()["office"] == "CAJ"


def _pending_entry(office: OfficeHub, table: str) -> dict[str, Any]:
    with office.store.read_session() as session:
        row = session.execute(select(SyncOutbox).where(
            SyncOutbox.tbl == table, SyncOutbox.state == "pending")
            .order_by(SyncOutbox.seq.desc())).scalars().first()
        assert row is not None
        return {"m": row.mutation_id, "s": row.seq, "t": row.tbl, "o": row.op, "k": row.row_key,
            "p": json.loads(row.payload)}


def test_mutation_ids_are_deduplicated_per_office(
        central: CentralServer, central_http: RunningHub, make_office) -> None:
    caj, cel = make_office("CAJ", "CAC Cajamarca"), make_office("CEL", "CAC Celendín")
    caj_token = central.add_office("CAJ", "CAC Cajamarca")[1]
    cel_token = central.add_office("CEL", "CAC Celendín")[1]
    _sync(caj, central_http.url, caj_token)
    _sync(cel, central_http.url, cel_token)
    ticket = caj.issue_ticket(SYSTEM, "partidas")
    target = _pending_entry(caj, "tickets")
    cel.issue_ticket(SYSTEM, "caja")
    own = _pending_entry(cel, "tickets")
    # Celendín sends a row of its own under Cajamarca's pending mutation id.
    client = CentralClient(central_http.url, cel_token)
    try:
        answer = client.push(pack({"office": "CEL", "hub_office_id": cel.office.office_id,
                                   "entries": [{**own, "m": target["m"]}]}))
    finally:
        client.close()
    assert [r["r"] for r in answer["results"]] == ["applied"]
    report = connect_sync(caj, central_http.url, caj_token).run_round()
    assert report.ok and report.pushed >= 1
    tickets = REPLICAS["tickets"]
    with central.engine.connect() as connection:
        number = connection.scalar(select(tickets.c.number).where(tickets.c.id == ticket.id))
    assert number == ticket.number


def _filed(office: OfficeHub) -> tuple[str, str]:
    clerk = clerk_of(office)
    filed = office.file_expediente(clerk, partida(add_acta(office)))
    office.pay(clerk, filed.number, PaymentInput(amount=filed.fee))  # approved: art. 33
    return filed.number, filed.tracking_code


def test_a_tracking_code_belongs_to_the_office_that_claimed_it_first(
        central: CentralServer, central_http: RunningHub, make_office) -> None:
    caj, cel = make_office("CAJ", "CAC Cajamarca"), make_office("CEL", "CAC Celendín")
    caj_token = central.add_office("CAJ", "CAC Cajamarca")[1]
    cel_token = central.add_office("CEL", "CAC Celendín")[1]
    number, code = _filed(caj)
    _sync(caj, central_http.url, caj_token)
    # Celendín files one of its own and gives it Cajamarca's real code.
    clerk = clerk_of(cel)
    fake = cel.file_expediente(clerk, partida(add_acta(cel)))
    with cel.store.write_session() as session:
        session.execute(text("UPDATE expedientes SET tracking_code = :code WHERE number = :n"),
                        {"code": code, "n": fake.number})
        session.commit()
    cel.issue_ticket(SYSTEM, "partidas")
    report = connect_sync(cel, central_http.url, cel_token).run_round()
    assert report.ok and report.rejected == 1
    attention = cel.sync_attention(SYSTEM)
    assert [(a.kind, a.table) for a in attention] == [("push", "expedientes")]
    assert code in attention[0].reason and "otra oficina" in attention[0].reason
    # The rest of Celendín's batch was applied.
    assert _count(central, "tickets", "CEL") == 1
    assert _count(central, "expedientes", "CEL") == 0
    page = requests.get(f"{central_http.url}/t/{code}", timeout=10)
    assert page.status_code == 200 and number in page.text and "CAC Cajamarca" in page.text
    assert fake.number not in page.text and 'data-status="aprobado"' in page.text
    exp = REPLICAS["expedientes"]
    with central.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(exp).where(
            exp.c.tracking_code == code)) == 1
    with cel.store.read_session() as session:  # the office keeps its own row as it was
        assert session.scalar(select(Expediente.tracking_code).where(
            Expediente.number == fake.number)) == code


CONTROL_TEXTS = ("Ana\x00María", "Ana\x07", "Ana\ud800")


def test_text_central_cannot_store_is_rejected_alone_with_a_spanish_reason(
        central: CentralServer, central_http: RunningHub, make_office) -> None:
    caj = make_office("CAJ", "CAC Cajamarca")
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    _sync(caj, central_http.url, token)
    caj.issue_ticket(SYSTEM, "partidas")
    good = _pending_entry(caj, "tickets")
    clerk = clerk_of(caj)
    caj.file_expediente(clerk, partida(add_acta(caj, number="777")))
    person = _pending_entry(caj, "persons")
    bad = [{**person, "m": f"{n:032x}", "s": person["s"] + n,
            "p": {**person["p"], "given_names": name}}
           for n, name in enumerate(CONTROL_TEXTS, start=1)]
    # A key and a table name with control characters: refused too, never a server error.
    bad.append({**person, "m": "e" * 32, "s": person["s"] + 9, "k": "x\x00y"})
    bad.append({**person, "m": "d" * 32, "s": person["s"] + 10, "t": "persons\x00"})
    client = CentralClient(central_http.url, token)
    try:
        for entry in bad:  # each beside a good one, in one batch
            # ASCII JSON: a lone surrogate travels as its escape, as any JSON writer can send
            answer = client.push(gzip.compress(json.dumps(
                {"office": "CAJ", "hub_office_id": caj.office.office_id,
                 "entries": [good, entry]}).encode()))
            results = {r["m"]: r for r in answer["results"]}
            assert results[good["m"]]["r"] in ("applied", "duplicate")
            assert results[entry["m"]]["r"] == "rejected", results
            assert not has_control(results[entry["m"]]["why"])
        reasons = [r["why"] for r in answer["results"] if r["r"] == "rejected"]
    finally:
        client.close()
    assert reasons
    tickets = REPLICAS["tickets"]
    with central.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(tickets).where(
            tickets.c.id == good["k"])) == 1
    # The same rows pushed by the hub itself: the bad names are rejected with a clear reason.
    with caj.store.write_session() as session:
        session.execute(text("UPDATE persons SET given_names = :name"),
                        {"name": CONTROL_TEXTS[0]})
        session.commit()
    report = connect_sync(caj, central_http.url, token).run_round()
    assert report.ok and report.rejected >= 1
    reasons = [a.reason for a in caj.sync_attention(SYSTEM) if a.table == "persons"]
    assert reasons and all("caracteres de control" in r for r in reasons), reasons
