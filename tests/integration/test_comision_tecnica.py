"""Licencia de edificación C and D: the Comisión Técnica's dictamen is a step with its own due
date before the licence (kiosk/rules/comision_tecnica.py, docs/decisions.md record 37); with
Revisores Urbanos the informe comes with the filing. In-process and over HTTP (the `connect`
fixture). Every date is counted by hand on the 2026 calendar: filing Fri 20 Nov 2026;
national holidays 8 and 9 Dec."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kiosk.client import HubClient
from kiosk.clock import VirtualClock
from kiosk.errors import Conflict, InvalidInput
from kiosk.services.expediente_views import (
    EdificacionDetails,
    ExpedienteInput,
    ExpedienteView,
    PaymentInput,
    TransitionInput,
)
from tests.conftest import LIMA, Connect
from tests.integration.test_expedientes import edificacion, person

# Modalidad C, 15 working days from Fri 20 Nov: 23-27 Nov (5), 30 Nov-4 Dec (10), 7 Dec (11),
# 8-9 Dec holidays, 10-11 Dec (13), 14-15 Dec (15).
C_REVIEW_DUE = date(2026, 12, 15)
# Modalidad D, 20 working days: ... 15 Dec (15), 16-18 Dec (18), 21-22 Dec (20).
D_REVIEW_DUE = date(2026, 12, 22)
C_PAPERS = (1, 4, 5, 6, 7)  # the mandatory ones of LE-C (9 is the fee)


def _paid(client: HubClient, request: ExpedienteInput) -> ExpedienteView:
    filed = client.file_expediente(request)
    client.pay(filed.number, PaymentInput(amount=filed.fee))
    return client.expediente(filed.number)


def _review(client: HubClient, number: str, dictamen: str, note: str | None = None
            ) -> ExpedienteView:
    return client.transition(number, TransitionInput.model_validate(
        {"action": "review", "dictamen": dictamen, "note": note}))


def _revisores(informe: str | None) -> ExpedienteInput:
    request = edificacion("LE-C", "C", C_PAPERS)
    assert isinstance(request.details, EdificacionDetails)
    return request.model_copy(update={"details": request.details.model_copy(update={
        "evaluacion": "revisores_urbanos", "informe_revisores": informe})})


def test_the_comision_tecnica_dictamen_comes_before_the_licence(
        connect: Connect, clock: VirtualClock) -> None:
    counter = connect("counter", counter=3)
    filed = _paid(counter, edificacion("LE-C", "C", C_PAPERS))
    assert (filed.evaluacion, filed.review_due, filed.dictamen, filed.review_overdue) == (
        "comision_tecnica", C_REVIEW_DUE, None, False)
    assert "review" in filed.allowed_actions
    assert "approve" not in filed.allowed_actions
    with pytest.raises(Conflict) as refused:
        counter.transition(filed.number, TransitionInput(action="approve"))
    assert refused.value.code == "action_blocked"
    assert "dictamen" in refused.value.message and "Ley 29090" in refused.value.message

    # A dictamen with observations needs them written in the note.
    with pytest.raises(InvalidInput) as no_note:
        _review(counter, filed.number, "no_conforme")
    assert no_note.value.code == "note_required"
    with pytest.raises(InvalidInput) as no_result:
        counter.transition(filed.number, TransitionInput(action="review"))
    assert no_result.value.code == "dictamen_required"

    # «No conforme»: the licence still waits, for a new dictamen on the corrected project.
    refused_project = _review(counter, filed.number, "no_conforme",
                              "Corregir la escalera de evacuación")
    assert (refused_project.status, refused_project.dictamen,
            refused_project.dictamen_text) == ("recibido", "no_conforme", "No conforme")
    assert "approve" not in refused_project.allowed_actions
    assert "review" in refused_project.allowed_actions
    assert refused_project.events[-1].kind_text == "Dictamen de la Comisión Técnica registrado"

    # Past its due date the office is not late: the corrected project is the citizen's.
    clock.set(datetime(2026, 12, 16, 9, 0, tzinfo=LIMA))
    counter = connect("counter", counter=3)  # a new day, a new session
    assert counter.expediente(filed.number).review_overdue is False

    conforme = _review(counter, filed.number, "conforme_con_observaciones",
                       "Levantar la observación de la cisterna en obra")
    assert conforme.dictamen == "conforme_con_observaciones"
    assert "review" not in conforme.allowed_actions  # a favourable dictamen is the last
    assert "approve" in conforme.allowed_actions
    approved = counter.transition(filed.number, TransitionInput(action="approve"))
    assert approved.status == "aprobado"
    assert [e.kind for e in approved.events] == ["received", "paid", "reviewed", "reviewed",
                                                 "approved"]


def test_an_overdue_review_shows_at_the_counter_and_to_the_supervisor(
        connect: Connect, clock: VirtualClock) -> None:
    counter = connect("counter", counter=3)
    c = _paid(counter, edificacion("LE-C", "C", C_PAPERS))
    d = _paid(counter, edificacion("LE-D", "D", (1, 4, 5, 6, 7, 8)))
    b = _paid(counter, edificacion("LE-B", "B", (1, 4, 5)))  # no Comisión in modalidad B
    assert (d.review_due, b.review_due, b.evaluacion) == (D_REVIEW_DUE, None, None)
    assert "review" not in b.allowed_actions

    clock.set(datetime(2026, 12, 15, 17, 0, tzinfo=LIMA))  # C's last day: not late yet
    counter = connect("counter", counter=3)  # a new day, a new session
    assert counter.expediente(c.number).review_overdue is False
    clock.set(datetime(2026, 12, 16, 9, 0, tzinfo=LIMA))
    counter = connect("counter", counter=3)  # a new day, a new session
    assert counter.expediente(c.number).review_overdue is True
    assert counter.expediente(d.number).review_overdue is False

    stats = connect("supervisor").expediente_stats(date(2026, 12, 1), date(2026, 12, 16))
    assert [(r.number, r.modalidad, r.filed_on, r.review_due, r.overdue)
            for r in stats.reviews] == [
        (c.number, "C", date(2026, 11, 20), C_REVIEW_DUE, True),
        (d.number, "D", date(2026, 11, 20), D_REVIEW_DUE, False)]

    _review(counter, c.number, "conforme")
    stats = connect("supervisor").expediente_stats(date(2026, 12, 1), date(2026, 12, 16))
    assert [r.number for r in stats.reviews] == [d.number]
    assert counter.expediente(c.number).review_overdue is False


def test_an_observation_moves_the_review_due_date(connect: Connect,
                                                  clock: VirtualClock) -> None:
    counter = connect("counter", counter=3)
    filed = _paid(counter, edificacion("LE-D", "D", (1, 4, 5, 6, 7, 8)))
    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=LIMA))
    counter = connect("counter", counter=3)  # a new day, a new session
    counter.transition(filed.number, TransitionInput(action="observe", note="Falta el FUE"))
    # Corrected Wed 2 Dec: stopped on 1 and 2 Dec, so 22 Dec + 2 = Wed 23 (1), Thu 24 Dec (2).
    clock.set(datetime(2026, 12, 2, 10, 0, tzinfo=LIMA))
    counter = connect("counter", counter=3)  # a new day, a new session
    corrected = counter.transition(filed.number, TransitionInput(action="correct"))
    assert (corrected.stopped_working_days, corrected.review_due) == (2, date(2026, 12, 24))


def test_with_revisores_urbanos_the_informe_comes_with_the_filing(connect: Connect) -> None:
    counter = connect("counter", counter=3)
    with pytest.raises(InvalidInput) as missing:
        counter.file_expediente(_revisores(None))
    assert missing.value.code == "informe_required"
    filed = _paid(counter, _revisores("ITF-0456-2026"))
    assert (filed.evaluacion, filed.review_due, filed.dictamen) == (
        "revisores_urbanos", None, None)
    assert "review" not in filed.allowed_actions
    assert "approve" in filed.allowed_actions
    assert filed.details["informe_revisores"] == "ITF-0456-2026"
    with pytest.raises(Conflict) as no_comision:
        _review(counter, filed.number, "conforme")
    assert no_comision.value.code == "illegal_transition"
    # Modalidad B has neither: the evaluation is refused at filing.
    b = edificacion("LE-B", "B", (1, 4, 5))
    assert isinstance(b.details, EdificacionDetails)
    with pytest.raises(InvalidInput) as wrong:
        counter.file_expediente(b.model_copy(update={"details": b.details.model_copy(
            update={"evaluacion": "comision_tecnica"})}))
    assert wrong.value.code == "invalid_evaluacion"
    assert person().paternal_surname  # the applicant the helpers file for
