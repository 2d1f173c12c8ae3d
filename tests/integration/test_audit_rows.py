"""`cac audit verify` compares every ticket, expediente and payment with its events: a row
edited, inserted or deleted directly in the SQLite file is named, with the field, the stored
value and the one its events say (issue 14)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.audit_rows import RowProblem
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import NullityInput, PaymentInput
from kiosk.simulate import simulate_day
from tests.conftest import LIMA, SUPERVISOR, person_on
from tests.integration.test_expedientes import act, add_acta, edificacion, partida
from tests.integration.test_expedientes_edificacion import NON_WORKING
from tests.integration.test_expedientes_licencias import licencia
from tests.integration.test_tupa import write


def _sql(data_dir: DataDir, statement: str, *params: object) -> None:
    """An edit straight on the office's SQLite file, as someone with the file would."""
    connection = sqlite3.connect(data_dir.database)
    try:
        connection.execute(statement, params)
        connection.commit()
    finally:
        connection.close()


def _rows(hub: OfficeHub) -> list[RowProblem]:
    report = hub.verify_audit(SYSTEM)
    assert report.chain_ok, report.problems  # the chain is intact: only the rows were touched
    assert report.rows is not None
    return report.rows


def _facts(problems: list[RowProblem]) -> list[tuple[str, str, str, str | None, object, object]]:
    return [(p.table, p.reference, p.kind, p.field, p.stored, p.expected) for p in problems]


def _paid_partida(hub: OfficeHub, clerk: DeviceIdentity) -> tuple[str, str]:
    """A partida filed and paid (S/ 8.50 in cash) at ventanilla 3: (expediente, receipt)."""
    filed = hub.file_expediente(clerk, partida())
    assert filed.fee == Decimal("8.50")
    paid = hub.pay(clerk, filed.number, PaymentInput(amount=Decimal("8.50"),
                                                     cash_received=Decimal("10.00")))
    return filed.number, paid.receipt_number


def test_a_payment_edited_from_8_50_to_0_50_is_named(
        hub: OfficeHub, clerk: DeviceIdentity, data_dir: DataDir,
        capsys: pytest.CaptureFixture[str]) -> None:
    number, receipt = _paid_partida(hub, clerk)
    assert hub.cash_closing(clerk).total == Decimal("8.50")
    assert hub.verify_audit(SYSTEM).ok

    _sql(data_dir, "UPDATE payments SET amount = '0.50' WHERE receipt_number = ?", receipt)
    _sql(data_dir, "UPDATE expedientes SET paid = '0.50' WHERE number = ?", number)
    assert hub.cash_closing(clerk).total == Decimal("0.50")  # the edit reached the cierre

    report = hub.verify_audit(SYSTEM)
    assert not report.ok
    assert _facts(_rows(hub)) == [
        ("expedientes", number, "differs", "paid", "0.50", "8.50"),
        ("payments", f"{receipt} (expediente {number})", "differs", "amount", "0.50", "8.50"),
    ]
    hub.close()
    assert main(["audit", "verify", "--data-dir", str(data_dir.root)]) == 1
    err = capsys.readouterr().err
    assert "La cadena de eventos está íntegra" in err
    assert "¡Datos modificados fuera del sistema! 2 diferencia(s)" in err
    assert (f"El expediente {number}: pagado (paid) guardado «0.50», pero según sus eventos "
            "«8.50»." in err)
    assert (f"El pago con recibo {receipt} (expediente {number}): monto (amount) guardado "
            "«0.50», pero según sus eventos «8.50»." in err)
    assert "íntegra:" not in err
    assert main(["audit", "verify", "--data-dir", str(data_dir.root), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False and payload["problems"] == []
    assert [(p["table"], p["reference"], p["field"], p["stored"], p["expected"])
            for p in payload["rows"]["problems"]] == [
        ("expedientes", number, "paid", "0.50", "8.50"),
        ("payments", f"{receipt} (expediente {number})", "amount", "0.50", "8.50")]
    assert payload["rows"]["checked"]["payments"] == 1


def test_a_deleted_and_an_inserted_payment_are_named(
        hub: OfficeHub, clerk: DeviceIdentity, data_dir: DataDir) -> None:
    number, receipt = _paid_partida(hub, clerk)
    _sql(data_dir, "DELETE FROM payments WHERE receipt_number = ?", receipt)
    [deleted] = _rows(hub)
    assert (deleted.table, deleted.reference, deleted.kind) == (
        "payments", f"{receipt} (expediente {number})", "row_missing")
    assert "no está en la base de datos, pero sus eventos lo registran" in deleted.message

    other, kept = _paid_partida(hub, clerk)
    _sql(data_dir, "INSERT INTO payments (id, office_id, expediente_id, receipt_number, amount, "
                   "method, user_id, counter_number, paid_at, business_date) "
                   "SELECT 'hand-made', office_id, expediente_id, 'CAJ-R-2026-000099', "
                   "'120.00', method, user_id, counter_number, paid_at, business_date "
                   "FROM payments WHERE receipt_number = ?", kept)
    problems = _rows(hub)
    assert _facts(problems)[1:] == [
        ("payments", f"CAJ-R-2026-000099 (expediente {other})", "no_events", None, None, None)]
    assert "no tiene ningún evento: se escribió fuera del sistema" in problems[1].message


def test_an_edited_deleted_or_inserted_ticket_is_named(
        hub: OfficeHub, clerk: DeviceIdentity, data_dir: DataDir) -> None:
    hub.open_counter(clerk, 3)
    served = []
    for _ in range(3):
        hub.issue_ticket(SYSTEM, "partidas")
    for _ in range(2):
        called = hub.call_next(clerk, 3)
        assert called is not None
        hub.start(clerk, called.id)
        served.append(hub.finish(clerk, called.id).number)
    assert served == ["A-001", "A-002"]
    assert hub.verify_audit(SYSTEM).ok

    # A served citizen put back in the queue, with their finish time gone.
    _sql(data_dir, "UPDATE tickets SET status = 'waiting', finished_at = NULL "
                   "WHERE number = 'A-001'")
    _sql(data_dir, "DELETE FROM tickets WHERE number = 'A-003'")
    _sql(data_dir, "INSERT INTO tickets (id, office_id, business_date, series, seq, number, "
                   "service_id, origin_service_id, status, issued_at, recalls, transfers, "
                   "updated_at) SELECT 'zz-hand-made', office_id, business_date, series, 9, "
                   "'A-009', service_id, origin_service_id, 'waiting', issued_at, 0, 0, "
                   "updated_at FROM tickets WHERE number = 'A-002'")
    problems = _rows(hub)
    facts = {(p.reference, p.kind, p.field): (p.stored, p.expected) for p in problems}
    assert len(problems) == 4
    assert facts[("A-001 del 20/11/2026", "differs", "status")] == ("waiting", "finished")
    finished_at = facts[("A-001 del 20/11/2026", "differs", "finished_at")]
    assert finished_at[0] is None and str(finished_at[1]).startswith("2026-11-20T")
    assert ("A-003 del 20/11/2026", "row_missing", None) in facts
    assert ("A-009 del 20/11/2026", "no_events", None) in facts
    status = next(p for p in problems if p.field == "status")
    assert status.message == ("El turno A-001 del 20/11/2026: estado (status) guardado "
                              "«waiting», pero según sus eventos «finished».")


def test_a_busy_clean_office_verifies_intact(
        hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock, data_dir: DataDir,
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A simulated day: calls, no-shows, reinstatements, transfers, the expired ones at close.
    summary = simulate_day(hub, clock, date(2026, 11, 19), 80, until=time(11, 0))
    assert summary.no_shows and summary.transfers
    assert hub.close_day(SYSTEM).expired
    clock.set(datetime(2026, 11, 20, 8, 0, tzinfo=LIMA))
    # Expedientes down every road: observed and corrected, derived, inspected, paid in cash and
    # at the bank, approved, delivered, denied, cancelled, an acta linked, a deadline moved.
    hub.open_counter(clerk, 3)
    ticket = hub.issue_ticket(SYSTEM, "partidas")
    assert hub.call_next(clerk, 3) is not None
    hub.recall(clerk, ticket.id)
    hub.start(clerk, ticket.id)
    searched = hub.file_expediente(clerk, partida(ticket_id=ticket.id))
    act(hub, clerk, searched.number, "link_acta", acta_id=add_acta(hub))
    # Paid and complete: approved automatically (TUO Ley 27444 art. 33).
    hub.pay(clerk, searched.number, PaymentInput(amount=Decimal("8.50"), ticket_id=ticket.id))
    act(hub, clerk, searched.number, "deliver")
    hub.finish(clerk, ticket.id)
    denied = hub.file_expediente(clerk, partida())  # searched for, not found: denied
    act(hub, clerk, denied.number, "deny", note="El acta no existe en el archivo")
    cancelled = hub.file_expediente(clerk, edificacion())
    act(hub, clerk, cancelled.number, "cancel", note="Desistió")
    observed = hub.file_expediente(clerk, edificacion(presented=(1,)))
    hub.import_catalogue(SYSTEM, write(tmp_path, NON_WORKING.format(day="2026-11-23")))
    licence = hub.file_expediente(clerk, licencia("LF-03", "alto", [1, 4]))
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=LIMA))
    act(hub, clerk, licence.number, "correct", requirements_presented=[3])
    hub.pay(clerk, licence.number, PaymentInput(amount=Decimal("572.00"), method="banco_nacion",
                                                voucher_number="7712345"))
    act(hub, clerk, licence.number, "derive", area="Subgerencia de Gestión del Riesgo")
    act(hub, clerk, licence.number, "inspect", inspection_result="no_conforme", note="Extintor")
    act(hub, clerk, licence.number, "inspect", inspection_result="conforme")
    act(hub, clerk, licence.number, "approve")
    supervisor = person_on(hub, hub.add_device(SYSTEM, "Supervisión", "supervisor")[1],
                           SUPERVISOR)
    hub.nullify(supervisor, licence.number, NullityInput(reason="Certificado ITSE adulterado"))
    assert hub.expediente(clerk, observed.number).status == "observado"

    report = hub.verify_audit(SYSTEM)
    assert report.ok and report.rows == []
    assert report.rows_checked == {"tickets": summary.issued + 1, "expedientes": 5,
                                   "payments": 2}
    hub.close()
    assert main(["audit", "verify", "--data-dir", str(data_dir.root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Cadena de auditoría íntegra")
    assert f"Los {summary.issued + 1} turnos, 5 expedientes y 2 pagos coinciden" in out


def test_unreadable_events_and_values_are_reported_not_crashed(
        hub: OfficeHub, clerk: DeviceIdentity, data_dir: DataDir) -> None:
    number, receipt = _paid_partida(hub, clerk)
    hub.issue_ticket(SYSTEM, "partidas")
    _sql(data_dir, "UPDATE events SET data = json('\"nada\"') WHERE kind = 'issued'")
    _sql(data_dir, "UPDATE events SET data = json_set(data, '$.amount', 'mucho') "
                   "WHERE kind = 'paid'")
    _sql(data_dir, "UPDATE payments SET paid_at = 'ayer' WHERE receipt_number = ?", receipt)
    report = hub.verify_audit(SYSTEM)
    assert not report.chain_ok and report.rows is not None  # the chain names the events
    kinds = {(p.table, p.reference, p.kind) for p in report.rows}
    assert kinds == {("tickets", "A-001 del 20/11/2026", "events_unreadable"),
                     ("expedientes", number, "events_unreadable"),
                     ("payments", "", "unreadable")}
    unreadable = next(p for p in report.rows if p.table == "payments")
    assert unreadable.message.startswith("La tabla de pagos tiene un valor ilegible")
