"""Expediente figures against a hand-counted set of filings (dates by the office's calendar,
America/Lima; Tue 8 and Wed 9 Dec 2026 are national holidays, none fall in late November)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import PaymentInput
from kiosk.services.supervisor_views import ExpedienteStats
from tests.conftest import LIMA
from tests.integration.test_expedientes import act, add_acta, edificacion, partida

NOV_20, NOV_30 = date(2026, 11, 20), date(2026, 11, 30)
TODAY = datetime(2026, 12, 16, 9, 0, tzinfo=LIMA)  # Wednesday 16 Dec 2026


def at(clock: VirtualClock, *when: int) -> None:
    clock.set(datetime(*when, tzinfo=LIMA))  # type: ignore[misc]


@pytest.fixture
def filings(hub: OfficeHub, clock: VirtualClock) -> OfficeHub:
    """Seven expedientes (RC-01: partida, 1 working day, aprobación automática; LE-B:
    edificación, 15 working days, silencio positivo):

    E1 RC-01 filed Fri 20 Nov 08:00 (due Mon 23), paid (approved) Tue 24 10:00: late; working days
       after the filing day up to the decision: Mon 23, Tue 24 = 2.
    E2 RC-01 filed Fri 20 Nov 08:00, paid (so approved) that day 09:00: on time, 0 days.
    E3 LE-B filed Fri 20 Nov 08:00 (due Tue 15 Dec): still recibido.
    E4 RC-01 filed Sat 21 Nov 10:00: counts from Mon 23 (due Tue 24); denied Mon 23 11:00:
       on time, 0 days.
    E5 RC-01 filed Fri 20 Nov 08:00, cancelled Mon 23 Nov.
    E6 RC-01 filed Mon 23 Nov 09:00, observed at once: still observado (the clock stops).
    E7 RC-01 filed Mon 30 Nov 23:30 in Lima (already 1 Dec in UTC), due Tue 1 Dec: pending.
    Looked at on Wed 16 Dec 2026.
    """
    at(clock, 2026, 11, 20, 8, 0)
    e1 = hub.file_expediente(SYSTEM, partida(add_acta(hub, number="1001")))
    e2 = hub.file_expediente(SYSTEM, partida(add_acta(hub, number="1002")))
    e3 = hub.file_expediente(SYSTEM, edificacion())
    e5 = hub.file_expediente(SYSTEM, partida())
    assert (e1.due_date, e3.due_date) == (date(2026, 11, 23), date(2026, 12, 15))
    # Aprobación automática (TUO Ley 27444 art. 33): approved when paid.
    at(clock, 2026, 11, 20, 9, 0)
    hub.pay(SYSTEM, e2.number, PaymentInput(amount=e2.fee))
    at(clock, 2026, 11, 21, 10, 0)
    e4 = hub.file_expediente(SYSTEM, partida())
    assert e4.due_date == date(2026, 11, 24)
    at(clock, 2026, 11, 23, 9, 0)
    e6 = hub.file_expediente(SYSTEM, partida())
    act(hub, SYSTEM, e6.number, "observe", note="Falta la copia del DNI")
    act(hub, SYSTEM, e5.number, "cancel", note="El ciudadano desistió")
    at(clock, 2026, 11, 23, 11, 0)
    act(hub, SYSTEM, e4.number, "deny", note="El solicitante no es titular ni pariente")
    at(clock, 2026, 11, 24, 10, 0)
    hub.pay(SYSTEM, e1.number, PaymentInput(amount=e1.fee))
    at(clock, 2026, 11, 30, 23, 30)
    e7 = hub.file_expediente(SYSTEM, partida())
    assert e7.due_date == date(2026, 12, 1)
    clock.set(TODAY)
    return hub


@pytest.fixture
def november(filings: OfficeHub) -> ExpedienteStats:
    return filings.expediente_stats(SYSTEM, NOV_20, NOV_30)


def test_flows_of_the_period(november: ExpedienteStats) -> None:
    total = november.overall
    assert (total.received, total.resolved, total.approved, total.denied, total.cancelled) == (
        7, 3, 2, 1, 1)
    # E1 late, E2 and E4 on time: 2 of 3. Working days 2, 0, 0: mean 0.67.
    assert (total.resolved_on_time, total.on_time_pct, total.mean_working_days) == (
        2, 66.7, 0.7)


def test_the_backlog_today(november: ExpedienteStats) -> None:
    total = november.overall
    # Pending: E3 (recibido), E6 (observado), E7 (recibido, unpaid). Overdue on 16 Dec: E3 (due
    # 15 Dec) only; E6 is observado, its clock stopped; E7 is aprobación automática, never
    # overdue (TUO Ley 27444 art. 33). Silencio positivo: E3 only.
    assert (total.pending, total.observed, total.overdue, total.silencio_positivo) == (
        3, 1, 1, 1)
    assert november.as_of == date(2026, 12, 16)


def test_by_procedure_and_area(november: ExpedienteStats) -> None:
    assert [(g.key, g.label) for g in november.by_procedure] == [
        ("LE-B", "Licencia de edificación — modalidad B"),
        ("RC-01", "Copia certificada de partida de nacimiento")]
    edif, rc = november.by_procedure
    assert (rc.received, rc.resolved, rc.on_time_pct, rc.mean_working_days, rc.pending,
            rc.overdue, rc.silencio_positivo) == (6, 3, 66.7, 0.7, 2, 0, 0)
    assert (edif.received, edif.resolved, edif.on_time_pct, edif.mean_working_days,
            edif.pending, edif.overdue, edif.silencio_positivo) == (1, 0, None, None, 1, 1, 1)
    assert [(g.label, g.received, g.pending) for g in november.by_area] == [
        ("Registro Civil", 6, 2), ("Subgerencia de Obras Privadas", 1, 1)]


def test_a_filing_late_at_night_counts_on_its_local_day(filings: OfficeHub) -> None:
    # E7 was filed at 23:30 on 30 Nov in Lima (04:30 UTC on 1 Dec): November's, not December's.
    december = filings.expediente_stats(SYSTEM, date(2026, 12, 1), date(2026, 12, 31))
    assert (december.overall.received, december.overall.resolved) == (0, 0)
    last_day = filings.expediente_stats(SYSTEM, NOV_30, NOV_30)
    assert last_day.overall.received == 1
    # The backlog is today's, whatever the period.
    assert (december.overall.pending, december.overall.overdue) == (3, 1)


def test_no_expedientes(hub: OfficeHub) -> None:
    empty = hub.expediente_stats(SYSTEM, NOV_20, NOV_30)
    assert empty.overall.model_dump(exclude={"key", "label"}) == {
        "received": 0, "resolved": 0, "approved": 0, "denied": 0, "cancelled": 0,
        "resolved_on_time": 0, "on_time_pct": None, "mean_working_days": None, "pending": 0,
        "observed": 0, "overdue": 0, "silencio_positivo": 0}
    assert empty.by_procedure == [] and empty.by_area == []
