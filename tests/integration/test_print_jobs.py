"""Print jobs reported by the devices, the supervisor's list and the printer alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import requests
from sqlalchemy import select

from kiosk.clock import VirtualClock
from kiosk.errors import Conflict, InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.ids import new_id
from kiosk.services.devices import DeviceIdentity
from kiosk.services.views import PrintJobReport
from kiosk.storage.tables import Event
from tests.conftest import CLERK, LIMA, SUPERVISOR, RunningHub, advance, person_on, signed_in

API = "/api/v1"


def job(**changes: Any) -> PrintJobReport:
    """A requirements sheet by default: what a kiosk prints besides its tickets."""
    fields: dict[str, Any] = {"id": new_id(), "kind": "requirements", "reference": "RC-01",
                              "state": "printed"}
    fields.update(changes)
    return PrintJobReport(**fields)


def no_paper(**changes: Any) -> PrintJobReport:
    return job(state="failed", error_code="paper_out",
               error_message="La impresora no tiene papel", **changes)


@pytest.fixture
def devices(hub: OfficeHub) -> dict[str, DeviceIdentity]:
    """The kiosk alone; Ana at ventanilla 3; Rosa at the supervisor's PC."""
    made = {}
    for name, role, who in (("Quiosco de la entrada", "kiosk", None),
                            ("Ventanilla 3", "counter", CLERK),
                            ("Supervisión", "supervisor", SUPERVISOR)):
        _, token = hub.add_device(SYSTEM, name, role)
        made[role] = (hub.authenticate(token) if who is None
                      else person_on(hub, token, who, 3 if role == "counter" else None))
    return made


def print_events(hub: OfficeHub, job_id: str) -> list[str]:
    with hub.store.read_session() as session:
        return list(session.scalars(select(Event.kind).where(Event.stream_id == job_id)
                                    .order_by(Event.seq)))


def test_a_report_is_recorded_and_repeats_are_idempotent(
        hub: OfficeHub, devices: dict[str, DeviceIdentity], clock: VirtualClock) -> None:
    kiosk = devices["kiosk"]
    ticket = hub.issue_ticket(kiosk, "caja")
    failed = no_paper(reference=ticket.id)
    view = hub.report_print(kiosk, failed)
    assert (view.id, view.device, view.state, view.reference) == (
        failed.id, "Quiosco de la entrada", "failed", ticket.id)
    assert view.reported_at == clock.now()
    advance(clock, seconds=5)
    assert hub.report_print(kiosk, failed) == view  # a retry: same answer, no new event
    assert print_events(hub, failed.id) == ["print_reported"]
    advance(clock, minutes=2)
    reprinted = failed.model_copy(update={"state": "printed", "error_code": None,
                                          "error_message": None, "reprint": True})
    again = hub.report_print(kiosk, reprinted)
    assert (again.state, again.reprint, again.error_message) == ("printed", True, None)
    assert again.reported_at == clock.now()
    assert print_events(hub, failed.id) == ["print_reported", "print_updated"]
    jobs = hub.print_jobs(devices["supervisor"])
    assert [j.id for j in jobs] == [failed.id]


def test_a_job_belongs_to_its_device(hub: OfficeHub, devices: dict[str, DeviceIdentity]
                                     ) -> None:
    report = job()
    hub.report_print(devices["kiosk"], report)
    with pytest.raises(Conflict) as caught:
        hub.report_print(devices["counter"], report)
    assert caught.value.code == "print_job_foreign"
    with pytest.raises(Conflict) as caught:
        hub.report_print(devices["kiosk"], report.model_copy(update={"reference": "RC-02"}))
    assert caught.value.code == "print_job_mismatch"


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"id": "job-1"}, "UUID"),
        ({"kind": "poster"}, "Tipo de impresión desconocido «poster»"),
        ({"error_message": "x" * 501}, "«error_message» excede 500"),
        ({"reference": "x" * 121}, "«reference» excede 120"),
        ({"error_code": "x" * 61}, "«error_code» excede 60"),
    ],
)
def test_bad_reports_are_refused_in_spanish(hub: OfficeHub,
                                            devices: dict[str, DeviceIdentity],
                                            changes: dict[str, Any], fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        hub.report_print(devices["kiosk"], job(**changes))
    assert fragment in caught.value.message


def test_the_list_is_newest_first_and_filters_by_state(
        hub: OfficeHub, devices: dict[str, DeviceIdentity], clock: VirtualClock) -> None:
    reports = []
    for n in range(5):
        report = no_paper() if n % 2 else job(kind="receipt", reference=f"R-{n}")
        hub.report_print(devices["counter"], report)
        reports.append(report.id)
        advance(clock, seconds=30)
    supervisor = devices["supervisor"]
    assert [j.id for j in hub.print_jobs(supervisor)] == reports[::-1]
    assert [j.id for j in hub.print_jobs(supervisor, "failed")] == [reports[3], reports[1]]
    assert [j.id for j in hub.print_jobs(supervisor, limit=2)] == reports[:2:-1]
    for state, limit in (("roto", 50), (None, 0), (None, 501)):
        with pytest.raises(InvalidInput):
            hub.print_jobs(supervisor, state, limit)


def test_alerts_show_devices_whose_last_job_failed(
        hub: OfficeHub, devices: dict[str, DeviceIdentity], clock: VirtualClock) -> None:
    supervisor = devices["supervisor"]
    assert hub.alerts(supervisor) == []
    clock.set(datetime(2026, 11, 20, 10, 42, tzinfo=LIMA))
    failed = no_paper()
    hub.report_print(devices["kiosk"], failed)
    hub.report_print(devices["counter"], job(kind="receipt"))
    alerts = hub.alerts(supervisor)
    assert [(a.code, a.message) for a in alerts] == [(
        "printer_failed",
        "La impresora del «Quiosco de la entrada» falló: La impresora no tiene papel (10:42)")]
    # The counter fails later; then the kiosk's reprint works and its alert clears.
    advance(clock, minutes=3)
    hub.report_print(devices["counter"], job(kind="cargo", state="failed",
                                             error_code="offline"))
    assert [a.message for a in hub.alerts(supervisor)] == [
        "La impresora del «Ventanilla 3» falló: offline (10:45)",
        "La impresora del «Quiosco de la entrada» falló: La impresora no tiene papel (10:42)"]
    advance(clock, minutes=1)
    hub.report_print(devices["kiosk"], failed.model_copy(update={
        "state": "printed", "error_code": None, "error_message": None, "reprint": True}))
    assert [a.message for a in hub.alerts(supervisor)] == [
        "La impresora del «Ventanilla 3» falló: offline (10:45)"]
    # An alert from another day says which day.
    clock.set(datetime(2026, 11, 23, 8, 5, tzinfo=LIMA))
    assert hub.alerts(supervisor)[0].message.endswith("(20/11 10:45)")


def test_print_jobs_over_http(server: RunningHub, tokens: dict[str, str]) -> None:
    supervisor = signed_in(server.url, tokens["supervisor"], SUPERVISOR)

    def call(method: str, path: str, role: str, **kwargs: Any) -> requests.Response:
        headers = (supervisor if role == "supervisor"
                   else {"Authorization": f"Bearer {tokens[role]}"})
        return requests.request(method, server.url + API + path, timeout=10, headers=headers,
                                **kwargs)

    body = {"id": new_id(), "kind": "requirements", "reference": "RC-01", "state": "failed",
            "error_code": "paper_out", "error_message": "Sin papel"}
    response = call("POST", "/print-jobs", "kiosk", json=body)
    assert response.status_code == 200
    assert set(response.json()) == {"id", "kind", "reference", "state", "error_code",
                                    "error_message", "reprint", "device", "reported_at"}
    assert call("POST", "/print-jobs", "kiosk", json=body).json() == response.json()
    listed = call("GET", "/print-jobs?state=failed&limit=50", "supervisor").json()
    assert [j["id"] for j in listed] == [body["id"]]
    alerts = call("GET", "/alerts", "supervisor").json()
    assert alerts == [{"code": "printer_failed",
                       "message": "La impresora del «kiosk de prueba» falló: Sin papel (08:00)"}]
    bad = [
        ({**body, "kind": "poster"}, "invalid_print_job"),
        ({**body, "state": "roto"}, "invalid_request"),
        ({**body, "error_message": "x" * 501}, "invalid_print_job"),
        ({**body, "color": "rojo"}, "invalid_request"),
        ({key: value for key, value in body.items() if key != "state"}, "invalid_request"),
    ]
    for payload, code in bad:
        refused = call("POST", "/print-jobs", "kiosk", json=payload)
        assert refused.status_code == 422, payload
        assert refused.json()["error"]["code"] == code
        assert refused.json()["error"]["message"]
    state = call("POST", "/print-jobs", "kiosk", json={**body, "state": "roto"})
    assert "printed" in state.json()["error"]["message"]
    assert " o " in state.json()["error"]["message"]
    for query in ("state=roto", "limit=0", "limit=abc"):
        refused = call("GET", f"/print-jobs?{query}", "supervisor")
        assert refused.status_code == 422, query
