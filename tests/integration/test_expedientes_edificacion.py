"""Licencias de edificación at both ends of Ley 29090 (modalidad A: same day, aprobación
automática; modalidad D: 25 working days, Comisión Técnica), and an extra non-working day,
loaded as data, moving the deadlines. Every date is counted by hand on the 2026 calendar:
Fri 20 Nov filing; national holidays 8 Dec, 9 Dec, 25 Dec 2026 and 1 Jan 2027."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import ExpedienteView, PaymentInput
from tests.conftest import LIMA
from tests.integration.test_expedientes import act, edificacion, kinds, partida
from tests.integration.test_tupa import write

UIT_2026 = Decimal("5500.00")


def uit_fee(percent: str) -> Decimal:
    return (UIT_2026 * Decimal(percent) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


def view(result: object) -> ExpedienteView:
    assert isinstance(result, ExpedienteView)
    return result


def test_modalidad_a_is_due_the_same_day_and_approved_at_the_counter(
        hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock) -> None:
    # Requirements 1, 4 and 5 are the mandatory papers; 6 is the fee, met by the payment.
    filed = hub.file_expediente(clerk, edificacion("LE-A", "A", (1, 4, 5)))
    fee = uit_fee("1.4000")  # 1.4 % of the 2026 UIT
    assert (filed.status, filed.variant, filed.fee, filed.deadline_working_days) == (
        "recibido", "A", fee, 0)
    assert (filed.calificacion, filed.calificacion_text) == (
        "aprobacion_automatica", "Aprobación automática")
    assert filed.due_date == date(2026, 11, 20)  # 0 days: that same (working) day
    assert (filed.overdue, filed.silencio_positivo) == (False, False)
    assert "approve" not in filed.allowed_actions  # not paid yet
    # Aprobación automática (TUO Ley 27444 art. 33): approved once paid, nobody decides it.
    hub.pay(clerk, filed.number, PaymentInput(amount=fee, cash_received=Decimal("100.00")))
    approved = hub.expediente(clerk, filed.number)
    assert (approved.status, approved.area, approved.approved_by_law) == (
        "aprobado", "Subgerencia de Obras Privadas", "approved_automatically")
    delivered = view(act(hub, clerk, filed.number, "deliver"))
    assert kinds(delivered) == ["received", "paid", "approved_automatically", "delivered"]

    # Filed on Saturday 21 Nov: it counts from Monday 23 Nov, and is due that Monday.
    clock.set(datetime(2026, 11, 21, 10, 0, tzinfo=LIMA))
    weekend = hub.file_expediente(clerk, edificacion("LE-A", "A", (1, 4, 5)))
    assert weekend.due_date == date(2026, 11, 23)
    # Unpaid on Tuesday: aprobación automática is never overdue, never silencio.
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=LIMA))
    late = hub.expediente(clerk, weekend.number)
    assert (late.overdue, late.silencio_positivo) == (False, False)


def test_modalidad_d_goes_through_the_comision_tecnica_to_approval(
        hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock) -> None:
    # Mandatory: 1, 4, 5, 6, 7 and 8; 10 is the fee.
    filed = hub.file_expediente(clerk, edificacion("LE-D", "D", (1, 4, 5, 6, 7, 8)))
    fee = uit_fee("6.8000")
    assert (filed.status, filed.variant, filed.fee, filed.calificacion) == (
        "recibido", "D", fee, "evaluacion_previa_silencio_positivo")
    # 25 working days from Fri 20 Nov: 23-27 Nov (5), 30 Nov-4 Dec (10), 7 Dec (11), 8-9 Dec
    # holidays, 10-11 Dec (13), 14-18 Dec (18), 21-24 Dec (22), 25 Dec holiday, 28-30 Dec (25).
    assert filed.due_date == date(2026, 12, 30)
    hub.pay(clerk, filed.number, PaymentInput(amount=fee, method="banco_nacion",
                                              voucher_number="7788990011"))
    area = "Comisión Técnica de Edificaciones"
    derived = view(act(hub, clerk, filed.number, "derive", area=area,
                       note="Revisión de arquitectura y estructuras"))
    assert (derived.status, derived.area) == ("en_area", area)

    # The commission observes on Mon 30 Nov: 2 working days to correct (Tue 1, Wed 2 Dec).
    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=LIMA))
    observed = view(act(hub, clerk, filed.number, "observe",
                        note="Falta el estudio de impacto vial firmado"))
    assert (observed.status, observed.observation_due) == ("observado", date(2026, 12, 2))
    assert "approve" not in observed.allowed_actions
    clock.set(datetime(2026, 12, 2, 16, 0, tzinfo=LIMA))
    corrected = view(act(hub, clerk, filed.number, "correct"))
    # Stopped on 1 and 2 Dec: 30 Dec + 2 working days = Thu 31 Dec (1), 1 Jan holiday,
    # Mon 4 Jan 2027 (2).
    assert (corrected.status, corrected.area, corrected.stopped_working_days) == (
        "en_area", area, 2)
    assert corrected.due_date == date(2027, 1, 4)
    # The Comisión's own term (20 working days for D: Tue 22 Dec) moves by the same 2 days:
    # Wed 23 (1), Thu 24 Dec (2). No licence before its dictamen (record 37).
    assert (corrected.review_due, corrected.dictamen) == (date(2026, 12, 24), None)
    assert "approve" not in corrected.allowed_actions
    reviewed = view(act(hub, clerk, filed.number, "review", dictamen="conforme"))
    assert (reviewed.status, reviewed.dictamen_text) == ("en_area", "Conforme")
    approved = view(act(hub, clerk, filed.number, "approve", note="Proyecto conforme"))
    assert approved.status == "aprobado"
    assert (approved.overdue, approved.silencio_positivo) == (False, False)
    assert kinds(approved) == ["received", "paid", "derived", "observed", "corrected",
                               "reviewed", "approved"]
    assert approved.events[-1].note == "Proyecto conforme"


NON_WORKING = """
format = 1

[[non_working_days]]
date = {day}
name = "Día no laborable para el sector público"
scope = "sector_publico"
"""


def test_an_extra_non_working_day_moves_the_deadlines(
        hub: OfficeHub, clerk: DeviceIdentity, clock: VirtualClock, tmp_path: Path) -> None:
    # Without it, a partida filed Fri 20 Nov is due Mon 23 Nov and an LE-B on Tue 15 Dec
    # (tests/integration/test_expedientes.py).
    before = hub.file_expediente(clerk, partida())
    assert before.due_date == date(2026, 11, 23)
    hub.import_catalogue(SYSTEM, write(tmp_path, NON_WORKING.format(day="2026-11-23")))
    hub.import_catalogue(SYSTEM, write(tmp_path, NON_WORKING.format(day="2026-11-30"),
                                       name="otro.toml"))
    # 1 working day, Mon 23 Nov no longer one: Tue 24 Nov.
    assert hub.file_expediente(clerk, partida()).due_date == date(2026, 11, 24)

    # 15 working days: 24-27 Nov (4), 30 Nov skipped, 1-4 Dec (8), 7 Dec (9), 8-9 Dec
    # holidays, 10-11 Dec (11), 14-17 Dec (15).
    licence = hub.file_expediente(clerk, edificacion())
    assert licence.due_date == date(2026, 12, 17)
    # Observed Fri 27 Nov: 2 working days to correct are Tue 1 and Wed 2 Dec (30 Nov skipped).
    clock.set(datetime(2026, 11, 27, 12, 0, tzinfo=LIMA))
    observed = view(act(hub, clerk, licence.number, "observe", note="Falta la memoria"))
    assert observed.observation_due == date(2026, 12, 2)
    # Corrected Wed 2 Dec: the clock stood on 1 and 2 Dec (2 working days), so 17 Dec + 2 =
    # Fri 18 Dec (1), Mon 21 Dec (2).
    clock.set(datetime(2026, 12, 2, 10, 0, tzinfo=LIMA))
    corrected = view(act(hub, clerk, licence.number, "correct"))
    assert (corrected.stopped_working_days, corrected.due_date) == (2, date(2026, 12, 21))
    assert hub.public_status(SYSTEM, licence.number).due_date == date(2026, 12, 21)


def test_a_non_working_day_declared_after_the_filing_moves_stored_deadlines(
        hub: OfficeHub, clerk: DeviceIdentity, tmp_path: Path) -> None:
    # Filed Fri 20 Nov before the day is known: partida due Mon 23 Nov; LE-B (15 working days)
    # due Tue 15 Dec; an LE-B missing papers is observed at once, to correct by Tue 24 Nov.
    partida_filed = hub.file_expediente(clerk, partida())
    licence = hub.file_expediente(clerk, edificacion())
    observed = hub.file_expediente(clerk, edificacion(presented=(1,)))
    cancelled = hub.file_expediente(clerk, partida())
    act(hub, clerk, cancelled.number, "cancel", note="Desistió")
    assert (partida_filed.due_date, licence.due_date) == (date(2026, 11, 23), date(2026, 12, 15))
    assert (observed.status, observed.observation_due) == ("observado", date(2026, 11, 24))

    hub.import_catalogue(SYSTEM, write(tmp_path, NON_WORKING.format(day="2026-11-23")))

    # Mon 23 Nov is no longer a working day: 1 working day is Tue 24 Nov; 15 are 24-27 Nov
    # (4), 30 Nov-4 Dec (9), 7 Dec (10), 8-9 Dec holidays, 10-11 Dec (12), 14-16 Dec (15).
    assert hub.expediente(clerk, partida_filed.number).due_date == date(2026, 11, 24)
    moved = hub.expediente(clerk, licence.number)
    assert moved.due_date == date(2026, 12, 16)
    assert hub.public_status(SYSTEM, licence.number).due_date == date(2026, 12, 16)
    assert kinds(moved)[-1] == "due_date_moved"
    assert moved.events[-1].kind_text == "Plazo recalculado (nuevo día no laborable)"
    # The 2 working days to correct are now Tue 24 and Wed 25 Nov.
    assert hub.expediente(clerk, observed.number).observation_due == date(2026, 11, 25)
    # A decided (here, cancelled) expediente keeps its dates and gets no event.
    kept = hub.expediente(clerk, cancelled.number)
    assert (kept.due_date, "due_date_moved" in kinds(kept)) == (cancelled.due_date, False)

    # The same file again declares nothing new: nothing moves twice.
    hub.import_catalogue(SYSTEM, write(tmp_path, NON_WORKING.format(day="2026-11-23")))
    assert kinds(hub.expediente(clerk, licence.number)).count("due_date_moved") == 1
    assert hub.expediente(clerk, licence.number).due_date == date(2026, 12, 16)
