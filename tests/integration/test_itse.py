"""The ITSE after a licencia de funcionamiento of risk bajo: its due date (9 working days from
the approval, over the 8-9 Dec holidays), the supervisor's alert once it passes, the
certificate recorded with its two years of validity and its expiry in the supervisor's
section; in-process and over HTTP. Dates are counted by hand."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kiosk.client import HubClient
from kiosk.clock import VirtualClock
from kiosk.errors import Conflict, Forbidden, InvalidInput
from kiosk.hub import OfficeHub
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import PaymentInput, TransitionInput
from kiosk.services.itse_views import ItseInput, ItseOverview
from tests.conftest import LIMA, SUPERVISOR, Connect, person_on
from tests.integration.test_expedientes import row_counts
from tests.integration.test_expedientes_licencias import licencia

APPROVED = datetime(2026, 12, 3, 10, 0, tzinfo=LIMA)  # Thu 3 Dec 2026
# Working days after Thu 3 Dec: Fri 4 (1), Mon 7 (2), [Tue 8, Wed 9 holidays], Thu 10 (3),
# Fri 11 (4), Mon 14 (5), Tue 15 (6), Wed 16 (7), Thu 17 (8), Fri 18 (9).
ITSE_DUE = date(2026, 12, 18)


def _approved_licence(hub_client: HubClient, code: str = "LF-01", risk: str = "bajo") -> str:
    filed = hub_client.file_expediente(licencia(code, risk, [1, 3]))
    hub_client.pay(filed.number, PaymentInput(amount=filed.fee))
    hub_client.transition(filed.number, TransitionInput(action="approve"))
    return filed.number


def _itse_alerts(connect: Connect) -> list[str]:
    return [a.message for a in connect("supervisor").supervisor_live().alerts
            if "ITSE" in a.message]


def _certificates(overview: ItseOverview) -> list[tuple[str, str, date, date, str]]:
    return [(c.number, c.certificate_number, c.certificate_date, c.valid_until, c.state)
            for c in overview.certificates]


def test_the_itse_posterior_from_due_date_to_certificate_expiry(connect: Connect,
                                                                clock: VirtualClock) -> None:
    clock.set(APPROVED)
    number = _approved_licence(connect("counter", counter=3))
    overview = connect("supervisor").itse_overview()
    assert [(p.number, p.risk, p.approved_on, p.due_date, p.overdue, p.last_result)
            for p in overview.pending] == [(number, "bajo", date(2026, 12, 3), ITSE_DUE, False,
                                            None)]
    assert (overview.due_working_days, overview.due_days_confirmed,
            overview.validity_years) == (9, False, 2)
    assert overview.pending[0].applicant == "Bodega Doña Rosa E.I.R.L."

    clock.set(datetime(2026, 12, 18, 17, 0, tzinfo=LIMA))  # its last day: not late yet
    assert [p.overdue for p in connect("supervisor").itse_overview().pending] == [False]
    assert _itse_alerts(connect) == []
    clock.set(datetime(2026, 12, 21, 8, 0, tzinfo=LIMA))  # Mon 21 Dec: late
    assert [p.overdue for p in connect("supervisor").itse_overview().pending] == [True]
    assert _itse_alerts(connect) == [
        f"ITSE vencida sin registrar (1): {number}. Programe la inspección o registre su "
        "resultado (sección ITSE)."]

    counter = connect("counter", counter=3)
    with pytest.raises(InvalidInput) as caught:
        counter.record_itse(number, ItseInput(result="conforme"))
    assert caught.value.code == "certificate_required"
    with pytest.raises(InvalidInput) as caught:
        counter.record_itse(number, ItseInput(result="conforme", certificate_number="0457",
                                              certificate_date=date(2026, 12, 22)))
    assert caught.value.message == ("La fecha del certificado (22/12/2026) es posterior a hoy "
                                    "(21/12/2026). Revise la fecha.")
    view = counter.record_itse(number, ItseInput(
        result="conforme", certificate_number=" ITSE-0457-2026 ",
        certificate_date=date(2026, 12, 21), note="Inspección conforme"))
    assert view.itse_done and view.events[-1].kind == "inspected"
    overview = connect("supervisor").itse_overview()
    assert overview.pending == []
    assert _itse_alerts(connect) == []
    # Issued Mon 21 Dec 2026: valid two years, through Thu 21 Dec 2028.
    assert _certificates(overview) == [(number, "ITSE-0457-2026", date(2026, 12, 21),
                                        date(2028, 12, 21), "vigente")]

    for day, state in ((date(2028, 11, 20), "vigente"), (date(2028, 11, 21), "por_vencer"),
                       (date(2028, 12, 21), "por_vencer"), (date(2028, 12, 22), "vencido")):
        clock.set(datetime(day.year, day.month, day.day, 9, 0, tzinfo=LIMA))
        assert [c.state for c in connect("supervisor").itse_overview().certificates] == [state]


def test_an_itse_recorded_wrong_writes_nothing(hub: OfficeHub, clerk: DeviceIdentity,
                                               tokens: dict[str, str], clock: VirtualClock
                                               ) -> None:
    clock.set(APPROVED)
    filed = hub.file_expediente(clerk, licencia("LF-01", "bajo", [1, 3]))
    hub.pay(clerk, filed.number, PaymentInput(amount=filed.fee))
    before = row_counts(hub)
    with pytest.raises(Conflict) as caught:  # risk bajo: the ITSE comes after the licence
        hub.record_itse(clerk, filed.number, ItseInput(
            result="conforme", certificate_number="0457", certificate_date=date(2026, 12, 3)))
    assert "la ITSE se registra después de aprobar la licencia" in caught.value.message
    hub.transition(clerk, filed.number, TransitionInput(action="approve"))
    before = row_counts(hub)
    refusals = [
        (ItseInput(result="no_conforme", note="Sin extintores", certificate_number="0457"),
         "certificate_not_issued"),
        (ItseInput(result="no_conforme"), "note_required"),
        (ItseInput(result="conforme", certificate_number="0457",
                   certificate_date=date(2026, 12, 2)), "invalid_certificate_date"),
    ]
    for inspection, code in refusals:
        with pytest.raises(InvalidInput) as refused:
            hub.record_itse(clerk, filed.number, inspection)
        assert refused.value.code == code
    assert row_counts(hub) == before

    # A no conforme is recorded: still pending, with its last result.
    hub.record_itse(clerk, filed.number, ItseInput(result="no_conforme",
                                                   note="Faltan extintores y señalización"))
    supervisor = person_on(hub, tokens["supervisor"], SUPERVISOR)
    assert [(p.number, p.last_result, p.overdue) for p in hub.itse_overview(supervisor).pending
            ] == [(filed.number, "no_conforme", False)]
    with pytest.raises(Forbidden):  # a clerk records the ITSE; the overview is a supervisor's
        hub.itse_overview(clerk)
