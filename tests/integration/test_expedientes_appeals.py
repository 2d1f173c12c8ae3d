"""Recursos against the decision on an expediente (TUO de la Ley 27444, DS 004-2019-JUS,
arts. 218-220): filed at the counter within 15 working days of the notification, decided by a
supervisor (as the appeal's authority resolved it) with its own due date of 30 working days.

Dates by hand (office calendar: weekends; 8 and 9 Dec 2026, 25 Dec 2026 and 1 Jan 2027
holidays). A licencia de edificación B (LE-B: Subgerencia de Obras Privadas decides, its
superior the Gerencia de Desarrollo Urbano) filed Fri 20 Nov 2026 and denied Mon 30 Nov 2026:
- to file, from the decision: Tue 1 Dec (1), Wed 2 (2), Thu 3 (3), Fri 4 (4), Mon 7 (5),
  [Tue 8, Wed 9], Thu 10 (6), Fri 11 (7), Mon 14 (8) … Fri 18 (12), Mon 21 (13), Tue 22 (14),
  Wed 23 Dec (15): filed Thu 24 Dec it is late;
- notified Fri 4 Dec: Mon 7 (1), Thu 10 (2) … Wed 23 (11), Thu 24 (12), [Fri 25], Mon 28 (13),
  Tue 29 (14), Wed 30 Dec (15): filed Thu 24 Dec it is on time;
- to decide, filed Thu 24 Dec: [Fri 25], Mon 28 (1) … Thu 31 (4), [Fri 1 Jan], Mon 4 Jan (5)
  … Fri 8 (9), Mon 11 (10) … Fri 29 (24), Mon 1 Feb (25) … Fri 5 (29), Mon 8 Feb 2027 (30);
- the apelación filed Tue 12 Jan 2027, to decide: Wed 13 (1), Thu 14 (2), Fri 15 (3), Mon 18
  (4) … Fri 22 (8), Mon 25 (9) … Fri 29 (13), Mon 1 Feb (14) … Fri 5 (18), Mon 8 (19) … Fri 12
  (23), Mon 15 (24) … Fri 19 (28), Mon 22 (29), Tue 23 Feb 2027 (30).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kiosk.errors import Conflict, Forbidden, InvalidInput, NotFound
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import (
    AppealDecisionInput,
    AppealInput,
    DocumentInput,
    NullityInput,
)
from tests.conftest import LIMA, Connect
from tests.integration.test_expedientes import act, edificacion, kinds, row_counts
from tests.integration.test_expedientes_law import refused, supervisor_on

TUO = "TUO de la Ley 27444 (DS 004-2019-JUS)"


def at(clock: object, year: int, month: int, day: int, hour: int = 10) -> None:
    clock.set(datetime(year, month, day, hour, 0, tzinfo=LIMA))  # type: ignore[attr-defined]


def denied_on_30_nov(hub: OfficeHub, clerk: DeviceIdentity, clock: object) -> str:
    filed = hub.file_expediente(clerk, edificacion())
    at(clock, 2026, 11, 30)
    act(hub, clerk, filed.number, "deny", note="Zonificación no compatible con vivienda")
    return filed.number


def test_a_late_appeal_is_refused_naming_the_article_the_notification_counts(
        hub: OfficeHub, clerk: DeviceIdentity, clock: object) -> None:
    number = denied_on_30_nov(hub, clerk, clock)
    at(clock, 2026, 12, 24)
    view = hub.expediente(clerk, number)
    # Offered still (a later notification gives later days), with the term from the decision.
    assert (view.appeal_kinds, view.appeal_filing_due) == (
        ["reconsideracion", "apelacion"], date(2026, 12, 23))
    before = row_counts(hub)
    message = refused(Conflict, "appeal_late", lambda: hub.file_appeal(
        clerk, number, AppealInput(kind="reconsideracion")))
    assert message == (
        f"No se puede registrar el recurso de reconsideración del expediente {number}: el "
        "plazo para interponerlo venció el 23/12/2026 (15 días hábiles desde la notificación "
        f"del 30/11/2026, {TUO}, art. 218.2). La decisión quedó firme ({TUO}, art. 222).")
    refused(InvalidInput, "invalid_notification", lambda: hub.file_appeal(
        clerk, number, AppealInput(kind="reconsideracion", notified_on=date(2026, 11, 27))))
    assert row_counts(hub) == before
    # Notified on Fri 4 Dec: the term ends on Wed 30 Dec.
    filed = hub.file_appeal(clerk, number, AppealInput(
        kind="reconsideracion", notified_on=date(2026, 12, 4),
        note="Adjunta certificado de parámetros que admite vivienda"))
    [appeal] = filed.appeals
    assert (appeal.kind_text, appeal.against, appeal.authority, appeal.notified_on,
            appeal.due_date, appeal.outcome, appeal.overdue) == (
        "Reconsideración", "la denegatoria", "Subgerencia de Obras Privadas",
        date(2026, 12, 4), date(2027, 2, 8), None, False)
    assert appeal.article == f"{TUO}, art. 219"
    assert (filed.status, kinds(filed)[-1], filed.events[-1].kind_text) == (
        "denegado", "appeal_filed", "Recurso presentado")
    assert (filed.appeal_kinds, filed.appeal_filing_due) == ([], None)  # one at a time
    refused(Conflict, "appeal_in_process", lambda: hub.file_appeal(
        clerk, number, AppealInput(kind="apelacion", notified_on=date(2026, 12, 4))))


def test_reconsideration_then_appeal_overdue_for_the_supervisor_then_granted(
        hub: OfficeHub, clerk: DeviceIdentity, clock: object) -> None:
    number = denied_on_30_nov(hub, clerk, clock)
    at(clock, 2026, 12, 10)
    appeal = hub.file_appeal(clerk, number, AppealInput(kind="reconsideracion")).appeals[0]
    supervisor = supervisor_on(hub)
    decision = AppealDecisionInput(outcome="infundado", reason="El certificado de parámetros "
                                   "es posterior a la solicitud", resolution="RSG 101-2027-SGOP")
    refused(Forbidden, "forbidden", lambda: hub.decide_appeal(clerk, number, appeal.id,
                                                              decision))
    at(clock, 2027, 1, 11)
    decided = hub.decide_appeal(supervisor, number, appeal.id, decision)
    assert (decided.status, decided.appeals[0].outcome_text, decided.appeals[0].resolution) == (
        "denegado", "Infundado", "RSG 101-2027-SGOP")
    assert decided.events[-1].note == (
        "Recurso de reconsideración infundado (RSG 101-2027-SGOP): El certificado de "
        "parámetros es posterior a la solicitud.")
    refused(Conflict, "appeal_decided", lambda: hub.decide_appeal(supervisor, number,
                                                                  appeal.id, decision))
    assert decided.appeal_kinds == ["apelacion"]  # a second reconsideración is not
    refused(Conflict, "reconsideration_done", lambda: hub.file_appeal(
        clerk, number, AppealInput(kind="reconsideracion")))

    at(clock, 2027, 1, 12)
    second = hub.file_appeal(clerk, number, AppealInput(kind="apelacion")).appeals[1]
    assert (second.against, second.authority, second.due_date) == (
        "la resolución de la reconsideración", "Gerencia de Desarrollo Urbano",
        date(2027, 2, 23))
    at(clock, 2027, 2, 23)
    [open_] = hub.expediente_stats(SYSTEM, date(2027, 2, 1), date(2027, 2, 28)).appeals_open
    assert (open_.number, open_.due_date, open_.overdue) == (number, date(2027, 2, 23), False)
    at(clock, 2027, 2, 24)
    assert hub.expediente(clerk, number).appeals[1].overdue
    [late] = hub.expediente_stats(SYSTEM, date(2027, 2, 1), date(2027, 2, 28)).appeals_open
    assert (late.number, late.kind_text, late.against, late.authority, late.filed_on,
            late.due_date, late.overdue) == (
        number, "Apelación", "la resolución de la reconsideración",
        "Gerencia de Desarrollo Urbano", date(2027, 1, 12), date(2027, 2, 23), True)
    rows = hub.export_report_table(SYSTEM, "expedientes_recursos", date(2027, 2, 1),
                                   date(2027, 2, 28)).splitlines()
    assert rows == ["Expediente,Trámite,Recurso,Contra,Presentado,Resuelve,Vence,Vencido",
                    f"{number},Licencia de edificación — modalidad B,Apelación,la resolución "
                    "de la reconsideración,2027-01-12,Gerencia de Desarrollo Urbano,2027-02-23,"
                    "Sí"]

    granted = hub.decide_appeal(supervisor, number, second.id, AppealDecisionInput(
        outcome="fundado", reason="La zonificación admite vivienda unifamiliar."))
    assert (granted.status, granted.appeals[1].outcome, granted.appeals[1].overdue) == (
        "aprobado", "fundado", False)
    assert granted.events[-1].note == (
        "Recurso de apelación fundado: La zonificación admite vivienda unifamiliar. El "
        "expediente queda «Aprobado».")
    assert granted.appeal_kinds == []
    refused(Conflict, "appeals_exhausted", lambda: hub.file_appeal(
        clerk, number, AppealInput(kind="apelacion")))
    assert hub.expediente_stats(SYSTEM, date(2027, 2, 1), date(2027, 2, 28)
                                ).appeals_open == []
    assert hub.verify_audit(SYSTEM).ok  # the status comes back from the events


def test_an_appeal_fundado_against_a_nulidad_gives_the_approval_back(
        hub: OfficeHub, clerk: DeviceIdentity, clock: object) -> None:
    filed = hub.file_expediente(clerk, edificacion())
    pending = hub.file_expediente(clerk, edificacion())
    refused(Conflict, "not_appealable", lambda: hub.file_appeal(
        clerk, pending.number, AppealInput(kind="reconsideracion")))
    at(clock, 2026, 12, 17)
    hub.record_silences(SYSTEM)  # approved by silencio positivo on 16 Dec
    supervisor = supervisor_on(hub)
    hub.nullify(supervisor, filed.number, NullityInput(reason="FUE sin firma del profesional"))
    at(clock, 2026, 12, 21)
    appeal = hub.file_appeal(clerk, filed.number, AppealInput(kind="reconsideracion"))
    assert appeal.appeals[0].against == "la nulidad de oficio"
    done = hub.decide_appeal(supervisor, filed.number, appeal.appeals[0].id,
                             AppealDecisionInput(outcome="fundado",
                                                 reason="El FUE sí lleva la firma"))
    assert (done.status, kinds(done)[-3:]) == (
        "aprobado", ["nullified", "appeal_filed", "appeal_decided"])
    assert hub.verify_audit(SYSTEM).ok


def test_over_the_client_a_clerk_files_and_a_supervisor_decides(
        hub: OfficeHub, clerk: DeviceIdentity, connect: Connect, clock: object) -> None:
    number = denied_on_30_nov(hub, clerk, clock)
    at(clock, 2026, 12, 24)  # sessions last a day: log in now
    counter = connect("counter", counter=3)
    with pytest.raises(Conflict) as late:
        counter.file_appeal(number, AppealInput(kind="apelacion"))
    assert (late.value.code, "venció el 23/12/2026" in late.value.message) == (
        "appeal_late", True)
    view = counter.file_appeal(number, AppealInput(kind="apelacion",
                                                    notified_on=date(2026, 12, 4)))
    assert (view.appeals[0].authority, view.appeals[0].due_date) == (
        "Gerencia de Desarrollo Urbano", date(2027, 2, 8))
    with pytest.raises(Forbidden):
        counter.decide_appeal(number, view.appeals[0].id, AppealDecisionInput(
            outcome="improcedente", reason="Fuera de plazo"))
    decided = connect("supervisor").decide_appeal(
        number, view.appeals[0].id, AppealDecisionInput(
            outcome="improcedente", reason="Firmado por quien no es el solicitante"))
    assert (decided.status, decided.appeals[0].outcome_text) == ("denegado", "Improcedente")


def test_bad_decisions_write_nothing_and_every_view_offers_the_appeal(
        hub: OfficeHub, clerk: DeviceIdentity, clock: object) -> None:
    number = denied_on_30_nov(hub, clerk, clock)
    # The expediente as the counter gets it back after printing its cargo offers it too.
    printed = hub.record_document(clerk, number, DocumentInput(document="cargo"))
    assert (printed.appeal_kinds, printed.appeal_filing_due) == (
        ["reconsideracion", "apelacion"], date(2026, 12, 23))
    appeal = hub.file_appeal(clerk, number, AppealInput(kind="reconsideracion")).appeals[0]
    other = hub.file_expediente(clerk, edificacion())
    supervisor = supervisor_on(hub)
    before = row_counts(hub)
    decision = AppealDecisionInput(outcome="fundado", reason="Zonificación compatible")
    refused(NotFound, "unknown_appeal", lambda: hub.decide_appeal(
        supervisor, other.number, appeal.id, decision))
    refused(NotFound, "unknown_appeal", lambda: hub.decide_appeal(
        supervisor, number, "00000000-0000-7000-8000-0000000000cc", decision))
    refused(InvalidInput, "reason_required", lambda: hub.decide_appeal(
        supervisor, number, appeal.id, AppealDecisionInput(outcome="fundado", reason=" \n ")))
    assert row_counts(hub) == before
    assert hub.expediente(clerk, number).appeals[0].outcome is None
