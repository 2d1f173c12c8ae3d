"""What a caller is bound to, over HTTP: a clerk acts on the counter they opened, a counter PC
the admin bound to a counter is used there only, a kiosk reports its own prints, a rating
screen rates the ticket its counter just finished, once. Each refusal changes nothing."""

from __future__ import annotations

from typing import Any

import requests
from sqlalchemy import select

from kiosk.hub import SYSTEM, OfficeHub
from kiosk.ids import new_id
from kiosk.storage.tables import Event, Rating, Ticket
from tests.conftest import (
    ADMIN,
    CLERK,
    SECOND_CLERK,
    SUPERVISOR,
    RunningHub,
    advance,
    signed_in,
)

API = "/api/v1"


def post(server: RunningHub, path: str, headers: dict[str, str], body: Any = None
         ) -> requests.Response:
    return requests.post(server.url + API + path, json=body, headers=headers, timeout=30)


def device(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def error(response: requests.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_a_clerk_at_counter_2_cannot_work_counter_1(server: RunningHub, hub: OfficeHub,
                                                     tokens: dict[str, str]) -> None:
    """The issue's case: Luis, logged in at ventanilla 2, called and finished tickets of
    ventanilla 1 (credited to him). Now each is refused and nothing is recorded."""
    ana = signed_in(server.url, tokens["counter"], CLERK, 1)
    _, other_pc = hub.add_device(SYSTEM, "PC de la ventanilla 2", "counter")
    luis = signed_in(server.url, other_pc, SECOND_CLERK, 2)
    kiosk = device(tokens["kiosk"])
    first = post(server, "/tickets", kiosk, {"service": "partidas"}).json()
    second = post(server, "/tickets", kiosk, {"service": "partidas"}).json()
    assert post(server, "/counters/1/open", ana).status_code == 200
    assert error(post(server, "/counters/1/call-next", luis)) == (403, "other_counter")
    assert error(post(server, "/counters/1/call", luis, {"ticket_id": second["id"],
                                                         "reason": "x"})) == (403, "other_counter")
    assert error(post(server, "/counters/1/close", luis)) == (403, "other_counter")
    called = post(server, "/counters/1/call-next", ana).json()
    assert called["id"] == first["id"]
    for action in ("recall", "start", "no-show"):  # while it is called
        refused = post(server, f"/tickets/{first['id']}/{action}", luis)
        assert error(refused) == (403, "other_counter"), action
        assert "ventanilla 1" in refused.json()["error"]["message"]
    assert post(server, f"/tickets/{first['id']}/start", ana).json()["status"] == "serving"
    for action, body in (("finish", None), ("transfer", {"service": "caja"})):
        refused = post(server, f"/tickets/{first['id']}/{action}", luis, body)
        assert error(refused) == (403, "other_counter"), action
    with hub.store.read_session() as session:
        ticket = session.get(Ticket, first["id"])
        assert ticket is not None and (ticket.status, ticket.counter_number) == ("serving", 1)
        kinds = session.scalars(select(Event.kind).where(Event.stream_id == first["id"])
                                .order_by(Event.seq)).all()
    assert kinds == ["issued", "called", "started"]
    assert post(server, f"/tickets/{first['id']}/finish", ana).json()["status"] == "finished"


def test_a_counter_pc_bound_by_the_admin_is_used_at_its_counter_only(
        server: RunningHub, hub: OfficeHub, tokens: dict[str, str]) -> None:
    admin = signed_in(server.url, tokens["admin"], ADMIN)
    pc = hub.authenticate(tokens["counter"])
    bound = requests.patch(f"{server.url}{API}/admin/devices/{pc.id}", json={"counter": 3},
                           headers=admin, timeout=30)
    assert bound.status_code == 200 and bound.json()["counter"] == 3
    login = post(server, "/sessions", device(tokens["counter"]),
                 {"username": CLERK[0], "secret": CLERK[1], "counter": 2})
    assert error(login) == (403, "other_counter")
    assert "ventanilla 3" in login.json()["error"]["message"]
    # Without a counter, the clerk is at the bound one.
    chosen = post(server, "/sessions", device(tokens["counter"]),
                  {"username": CLERK[0], "secret": CLERK[1]}).json()
    assert chosen["counter"] == 3
    # Only a counter device is bound, and to a counter that exists.
    display = hub.authenticate(tokens["display"])
    assert error(requests.patch(f"{server.url}{API}/admin/devices/{display.id}",
                                json={"counter": 3}, headers=admin, timeout=30)) == (
        422, "invalid_binding")
    assert error(requests.patch(f"{server.url}{API}/admin/devices/{pc.id}",
                                json={"counter": 77}, headers=admin, timeout=30)) == (
        404, "unknown_counter")
    with hub.store.read_session() as session:
        audited = session.scalars(select(Event.data).where(Event.kind == "device_bound")).one()
    assert (audited["counter"], audited["who"]) == (3, ADMIN[0])


def test_the_kiosk_reports_its_own_prints_only(server: RunningHub, hub: OfficeHub,
                                               tokens: dict[str, str]) -> None:
    kiosk = device(tokens["kiosk"])
    _, other_kiosk = hub.add_device(SYSTEM, "Quiosco del segundo piso", "kiosk")
    mine = post(server, "/tickets", kiosk, {"service": "caja"}).json()
    theirs = post(server, "/tickets", device(other_kiosk), {"service": "caja"}).json()

    def job(kind: str, reference: str | None) -> dict[str, Any]:
        return {"id": new_id(), "kind": kind, "reference": reference, "state": "failed",
                "error_code": "paper_out"}

    assert post(server, "/print-jobs", kiosk, job("ticket", mine["id"])).status_code == 200
    assert post(server, "/print-jobs", kiosk, job("requirements", "RC-01")).status_code == 200
    for kind, reference in (("ticket", theirs["id"]), ("ticket", None), ("receipt", "R-1"),
                            ("cargo", "CAJ-2026-000001"), ("cierre", "2026-11-20:ana")):
        assert error(post(server, "/print-jobs", kiosk, job(kind, reference))) == (
            403, "print_job_foreign"), kind
    # What the kiosk may report alone, a clerk reports for the counter's printer.
    clerk = signed_in(server.url, tokens["counter"], CLERK, 1)
    assert post(server, "/print-jobs", clerk, job("receipt", "R-1")).status_code == 200


def test_a_rating_screen_rates_its_counters_last_ticket_once(
        server: RunningHub, hub: OfficeHub, tokens: dict[str, str], clock: Any) -> None:
    _, loose = hub.add_device(SYSTEM, "Pantalla de calificación sin asignar", "counter")
    _, screen_4 = hub.add_device(SYSTEM, "Calificación de la ventanilla 4", "counter", 4)
    _, screen_5 = hub.add_device(SYSTEM, "Calificación de la ventanilla 5", "counter", 5)
    clerk = signed_in(server.url, tokens["counter"], CLERK, 4)
    kiosk = device(tokens["kiosk"])
    post(server, "/counters/4/open", clerk)
    served = []
    for _ in range(2):
        post(server, "/tickets", kiosk, {"service": "caja"})
        called = post(server, "/counters/4/call-next", clerk).json()
        post(server, f"/tickets/{called['id']}/start", clerk)
        advance(clock, minutes=2)
        post(server, f"/tickets/{called['id']}/finish", clerk)
        served.append(called)
    earlier, last = served

    def rate(token: str, ticket: dict[str, Any]) -> requests.Response:
        return post(server, "/ratings", device(token), {"ticket": ticket["id"], "score": 4})

    assert error(rate(loose, last)) == (403, "device_not_bound")
    assert error(rate(screen_5, last)) == (409, "rating_other_counter")
    assert error(rate(screen_4, earlier)) == (409, "rating_not_latest")
    assert rate(screen_4, last).status_code == 201
    assert error(rate(screen_4, last)) == (409, "already_rated")
    assert error(rate(tokens["kiosk"], last)) == (403, "forbidden")
    # The screen learns whether its counter's ticket was finished, and nothing else.
    assert requests.get(f"{server.url}{API}/tickets/{last['id']}", headers=device(screen_4),
                        timeout=30).json()["status"] == "finished"
    assert error(requests.get(f"{server.url}{API}/tickets/{last['id']}",
                              headers=device(screen_5), timeout=30)) == (403, "other_counter")
    with hub.store.read_session() as session:
        assert session.scalars(select(Rating.ticket_id)).all() == [last["id"]]


def test_the_access_log_names_the_person(server: RunningHub, hub: OfficeHub,
                                         tokens: dict[str, str]) -> None:
    """A device alone no longer reads personal data; a person does, and the log says who."""
    assert error(requests.get(f"{server.url}{API}/persons?q=Quispe",
                              headers=device(tokens["supervisor"]), timeout=30)) == (
        401, "clerk_required")
    rosa = signed_in(server.url, tokens["supervisor"], SUPERVISOR)
    assert requests.get(f"{server.url}{API}/actas?q=Quispe", headers=rosa,
                        timeout=30).status_code == 200
    entries = requests.get(f"{server.url}{API}/audit/access", timeout=30,
                           headers=signed_in(server.url, tokens["admin"], ADMIN)).json()
    assert [(e["what"], e["who"]) for e in entries] == [("actas", "rosa")]
    assert error(requests.get(f"{server.url}{API}/audit/access",
                              headers=device(tokens["admin"]), timeout=30)) == (
        401, "clerk_required")


def test_a_person_whose_role_was_lowered_stops_at_once(server: RunningHub, hub: OfficeHub,
                                                       tokens: dict[str, str]) -> None:
    from kiosk.services.admin_views import UserChange

    rosa = signed_in(server.url, tokens["supervisor"], SUPERVISOR)
    assert post(server, "/day/close", rosa).status_code == 200
    hub.change_user(SYSTEM, "rosa", UserChange(role="counter"))
    refused = post(server, "/day/close", rosa)
    assert refused.status_code in (401, 403)
    assert refused.json()["error"]["code"] in ("wrong_device", "session_ended")


def test_an_upload_is_refused_before_its_body_is_read(server: RunningHub,
                                                      tokens: dict[str, str]) -> None:
    """A kiosk token announcing a 10 MB scan gets its 403 while the body has not even been
    sent: the caller is checked first, so refused uploads cost the hub nothing."""
    import socket
    from urllib.parse import urlsplit

    address = urlsplit(server.url)
    for token, expected in ((tokens["kiosk"], b" 403 "), (tokens["counter"], b" 401 ")):
        with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
            sock.sendall(
                f"POST {API}/expedientes/CAJ-2026-000001/attachments HTTP/1.1\r\n"
                f"Host: {address.hostname}\r\nAuthorization: Bearer {token}\r\n"
                "Content-Type: application/pdf\r\nX-File-Name: escaneo.pdf\r\n"
                f"Content-Length: {10 * 1024 * 1024}\r\n\r\n%PDF-1.4\n".encode())
            status_line = sock.recv(200).split(b"\r\n")[0]  # 10 s at most, then the test fails
        assert expected in status_line, status_line
