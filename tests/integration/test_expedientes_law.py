"""Outcomes the law decides (TUO de la Ley 27444, DS 004-2019-JUS): aprobación automática is
approved on filing and payment (art. 33), silencio positivo approves by law (art. 199.1) and
then binds, and only a nulidad de oficio (art. 213) by a supervisor undoes an approval.

Dates by hand (office calendar: weekends, 8 and 9 Dec 2026 holidays). A licencia de
edificación modalidad B (15 working days, silencio positivo) filed on Fri 20 Nov 2026 counts
Mon 23 (1) … Fri 27 (5), Mon 30 (6), Tue 1 Dec (7) … Fri 4 (10), Mon 7 (11), [Tue 8, Wed 9],
Thu 10 (12), Fri 11 (13), Mon 14 (14), Tue 15 (15): due Tue 15 Dec; undecided, the silence
operates on Wed 16 Dec (the notification period of art. 24.1 is 0 until confirmed, see
docs/decisions.md). With 5 working days of notification: Wed 16 (1), Thu 17 (2), Fri 18 (3),
Mon 21 (4), Tue 22 (5): it would operate on Wed 23 Dec.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from kiosk.client.base import HubClient
from kiosk.errors import Conflict, Forbidden
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.calendar import NATIONAL
from kiosk.rules.expedientes import SILENCE, LegalRule, silence_operates_on
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import (
    DocumentInput,
    ExpedienteInput,
    NullityInput,
    PaymentInput,
    TransitionInput,
)
from tests.conftest import LIMA, SUPERVISOR, Connect, person_on
from tests.integration.test_expedientes import act, edificacion, kinds, row_counts

ARTICLE_199 = "art. 199.1 del TUO de la Ley 27444 (DS 004-2019-JUS)"


def supervisor_on(hub: OfficeHub) -> DeviceIdentity:
    return person_on(hub, hub.add_device(SYSTEM, "PC de supervisión", "supervisor")[1],
                     SUPERVISOR)


def refused(error: type[Exception], code: str, call: object) -> str:
    assert callable(call)
    with pytest.raises(error) as caught:
        call()
    assert caught.value.code == code  # type: ignore[attr-defined]
    return str(caught.value.message)  # type: ignore[attr-defined]


# --- aprobación automática ---------------------------------------------------------------


def test_modalidad_a_is_approved_when_paid_never_overdue_never_denied(
        hub: OfficeHub, clerk: DeviceIdentity, clock: object) -> None:
    filed = hub.file_expediente(clerk, edificacion("LE-A", "A", (1, 4, 5)))
    assert (filed.status, filed.due_date, filed.fee) == ("recibido", date(2026, 11, 20),
                                                         Decimal("77.00"))  # 1.4 % of 5,500
    # Tue 24 Nov, still unpaid: not overdue (main flagged it the day after filing).
    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=LIMA))  # type: ignore[attr-defined]
    late = hub.expediente(clerk, filed.number)
    assert (late.overdue, late.silencio_positivo, "deny" in late.allowed_actions) == (
        False, False, False)
    before = row_counts(hub)
    message = refused(Conflict, "approved_by_law", lambda: act(
        hub, clerk, filed.number, "deny", note="Planos incompletos"))
    assert "aprobación automática (art. 33 del TUO de la Ley 27444" in message
    assert "nulidad de oficio (art. 213" in message
    assert row_counts(hub) == before
    hub.pay(clerk, filed.number, PaymentInput(amount=Decimal("77.00")))
    approved = hub.expediente(clerk, filed.number)
    assert (approved.status, approved.approved_by_law, approved.overdue) == (
        "aprobado", "approved_automatically", False)
    assert kinds(approved) == ["received", "paid", "approved_automatically"]
    event = approved.events[-1]
    assert event.at.astimezone(LIMA).date() == date(2026, 11, 24)
    assert event.note is not None and "fiscalización posterior (art. 34" in event.note


def test_a_free_automatic_procedure_is_approved_on_filing(hub: OfficeHub,
                                                          clerk: DeviceIdentity) -> None:
    filed = hub.file_expediente(clerk, ExpedienteInput(
        procedure="MP-01", person=edificacion().person, requirements_presented=[1]))
    assert (filed.fee, filed.status) == (Decimal("0.00"), "aprobado")
    assert kinds(filed) == ["received", "approved_automatically"]


def test_filed_incomplete_it_is_approved_when_corrected(hub: OfficeHub,
                                                        clerk: DeviceIdentity) -> None:
    filed = hub.file_expediente(clerk, edificacion("LE-A", "A", (1, 4)))
    hub.pay(clerk, filed.number, PaymentInput(amount=filed.fee))
    assert hub.expediente(clerk, filed.number).status == "observado"  # plano missing
    corrected = hub.transition(clerk, filed.number, TransitionInput(
        action="correct", requirements_presented=[5]))
    assert (corrected.status, kinds(corrected)[-2:]) == (
        "aprobado", ["corrected", "approved_automatically"])


# --- silencio positivo ---------------------------------------------------------------------


def test_when_silence_operates_is_a_rule_with_its_article() -> None:
    assert SILENCE.article == ARTICLE_199
    assert silence_operates_on(NATIONAL, date(2026, 12, 15)) == date(2026, 12, 16)
    five = LegalRule(ARTICLE_199, notification_working_days=5)
    assert silence_operates_on(NATIONAL, date(2026, 12, 15), five) == date(2026, 12, 23)


def test_silence_binds_is_recorded_and_gives_a_constancia(
        hub: OfficeHub, clerk: DeviceIdentity, clock: object) -> None:
    filed = hub.file_expediente(clerk, edificacion())  # LE-B, filed Fri 20 Nov 2026
    other = hub.file_expediente(clerk, edificacion())
    assert filed.due_date == date(2026, 12, 15)
    clock.set(datetime(2026, 12, 15, 23, 30, tzinfo=LIMA))  # type: ignore[attr-defined]
    assert hub.expediente(clerk, filed.number).silence_operated_on is None
    assert hub.record_silences(SYSTEM) == []
    act(hub, clerk, other.number, "deny", note="Zonificación no compatible")  # still in time

    clock.set(datetime(2026, 12, 16, 8, 0, tzinfo=LIMA))  # type: ignore[attr-defined]
    view = hub.expediente(clerk, filed.number)
    assert (view.silence_operated_on, view.silencio_positivo) == (date(2026, 12, 16), True)
    assert "deny" not in view.allowed_actions and "cancel" not in view.allowed_actions
    before = row_counts(hub)
    message = refused(Conflict, "approved_by_law", lambda: act(
        hub, clerk, filed.number, "deny", note="Falta la memoria descriptiva"))
    assert message == (
        f"No se puede denegar el expediente {filed.number}: el 16/12/2026 operó el silencio "
        f"administrativo positivo ({ARTICLE_199}) y la solicitud está aprobada por ley. Solo "
        "un supervisor puede declarar su nulidad de oficio (art. 213 del TUO de la Ley 27444 "
        "(DS 004-2019-JUS)).")
    refused(Conflict, "approved_by_law", lambda: act(
        hub, clerk, filed.number, "cancel", note="Desistió"))
    refused(Conflict, "no_silence", lambda: hub.record_document(
        clerk, filed.number, DocumentInput(document="constancia_silencio")))
    assert row_counts(hub) == before

    clock.set(datetime(2026, 12, 17, 7, 0, tzinfo=LIMA))  # type: ignore[attr-defined]
    assert hub.record_silences(SYSTEM) == [filed.number]
    assert hub.record_silences(SYSTEM) == []  # once
    approved = hub.expediente(clerk, filed.number)
    assert (approved.status, approved.approved_by_law, approved.silence_operated_on,
            approved.silencio_positivo, approved.overdue) == (
        "aprobado", "silence_operated", date(2026, 12, 16), False, False)
    assert approved.events[-1].kind_text == "Aprobado por silencio administrativo positivo"
    refused(Conflict, "approved_by_law", lambda: act(
        hub, clerk, filed.number, "deny", note="Falta la memoria descriptiva"))
    issued = hub.record_document(clerk, filed.number, DocumentInput(
        document="constancia_silencio", medium="pdf"))
    assert issued.times_issued("constancia_silencio") == 1
    assert hub.expediente(clerk, other.number).status == "denegado"  # decided in time
    # The supervisor's expedientes tab: recorded on 17 Dec, operated on 16 Dec, 1 constancia.
    stats = hub.expediente_stats(SYSTEM, date(2026, 12, 1), date(2026, 12, 31))
    assert [(r.number, r.outcome_text, r.on, r.article, r.constancias) for r in stats.by_law] == [
        (filed.number, "Aprobado por silencio administrativo positivo", date(2026, 12, 16),
         ARTICLE_199, 1)]
    assert hub.expediente_stats(SYSTEM, date(2026, 11, 1), date(2026, 11, 30)).by_law == []
    csv = hub.export_report_table(SYSTEM, "expedientes_por_ley", date(2026, 12, 1),
                                  date(2026, 12, 31))
    assert csv.splitlines()[1] == (
        f"{filed.number},Licencia de edificación — modalidad B,Aprobado por silencio "
        f"administrativo positivo,2026-12-16,{ARTICLE_199},1")


# --- nulidad de oficio ---------------------------------------------------------------------


def test_nulidad_de_oficio_is_a_supervisors_transition(
        hub: OfficeHub, clerk: DeviceIdentity, clock: object) -> None:
    filed = hub.file_expediente(clerk, edificacion())
    pending = hub.file_expediente(clerk, edificacion())
    clock.set(datetime(2026, 12, 17, 9, 0, tzinfo=LIMA))  # type: ignore[attr-defined]
    assert hub.record_silences(SYSTEM) == [filed.number, pending.number]
    supervisor = supervisor_on(hub)
    nullity = NullityInput(reason="La fiscalización posterior halló el FUE sin firma del "
                                  "profesional", resolution="RGM 045-2026-MPC")
    refused(Forbidden, "forbidden", lambda: hub.nullify(clerk, filed.number, nullity))
    refused(Conflict, "approved_by_law", lambda: act(
        hub, clerk, filed.number, "cancel", note="Anular la aprobación"))
    done = hub.nullify(supervisor, filed.number, nullity)
    assert (done.status, done.status_text, done.allowed_actions) == (
        "nulo", "Nulo (nulidad de oficio)", [])
    event = done.events[-1]
    assert (event.kind, event.kind_text, event.note, event.at.astimezone(LIMA).date()) == (
        "nullified", "Nulidad de oficio declarada", nullity.reason, date(2026, 12, 17))
    with hub.store.read_session() as session:
        from sqlalchemy import select

        from kiosk.storage.tables import Event
        data = session.scalars(select(Event.data).where(Event.kind == "nullified")).one()
    assert (data["resolution"], data["declared_on"], data["from_status"]) == (
        "RGM 045-2026-MPC", "2026-12-17", "aprobado")
    by_law = hub.expediente_stats(SYSTEM, date(2026, 12, 17), date(2026, 12, 17)).by_law
    assert [(r.number, r.outcome, r.on, r.constancias) for r in by_law] == [
        (filed.number, "silence_operated", date(2026, 12, 16), 0),
        (pending.number, "silence_operated", date(2026, 12, 16), 0),
        (filed.number, "nullified", date(2026, 12, 17), 0)]
    # No constancia for a silence declared null; nothing to nullify before an approval.
    refused(Conflict, "no_silence", lambda: hub.record_document(
        clerk, filed.number, DocumentInput(document="constancia_silencio")))
    fresh = hub.file_expediente(clerk, edificacion())
    refused(Conflict, "illegal_transition", lambda: hub.nullify(supervisor, fresh.number,
                                                                nullity))


def test_over_the_client_silence_refuses_a_denial_and_a_supervisor_nullifies(
        hub: OfficeHub, connect: Connect, clock: object) -> None:
    filed = connect("counter", counter=3).file_expediente(edificacion())
    assert filed.due_date == date(2026, 12, 15)
    clock.set(datetime(2026, 12, 16, 8, 0, tzinfo=LIMA))  # type: ignore[attr-defined]
    # Logged in again: the sessions of 20 Nov ended long ago.
    counter: HubClient = connect("counter", counter=3)
    supervisor: HubClient = connect("supervisor")
    with pytest.raises(Conflict) as caught:
        counter.transition(filed.number, TransitionInput(action="deny", note="Fuera de plazo"))
    assert caught.value.code == "approved_by_law" and ARTICLE_199 in caught.value.message
    assert counter.expediente(filed.number).silence_operated_on == date(2026, 12, 16)
    with pytest.raises(Forbidden):
        counter.nullify(filed.number, NullityInput(reason="Documento falso"))
    hub.record_silences(SYSTEM)
    done = supervisor.nullify(filed.number, NullityInput(reason="Documento falso"))
    assert (done.status, kinds(done)[-2:]) == ("nulo", ["silence_operated", "nullified"])


def test_the_hubs_daily_round_records_the_silence(hub: OfficeHub, clerk: DeviceIdentity,
                                                  clock: object) -> None:
    from kiosk.retention_schedule import RetentionJob

    filed = hub.file_expediente(clerk, edificacion())
    job = RetentionJob(hub)  # not started: run by hand
    clock.set(datetime(2026, 12, 15, 8, 0, tzinfo=LIMA))  # type: ignore[attr-defined]
    job.run_once()
    assert hub.expediente(clerk, filed.number).status == "recibido"  # due today: in time
    clock.set(datetime(2026, 12, 16, 6, 0, tzinfo=LIMA))  # type: ignore[attr-defined]
    job.run_once()
    view = hub.expediente(clerk, filed.number)
    assert (view.status, view.approved_by_law) == ("aprobado", "silence_operated")
