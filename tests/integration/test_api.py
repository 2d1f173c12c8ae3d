"""The hub's HTTP API on a real uvicorn server on loopback."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests

from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.permissions import PERMISSIONS
from tests.conftest import ROLES, RunningHub

API = "/api/v1"
TICKET = "00000000-0000-7000-8000-000000000000"
PROCEDURE = "RC-01"
EXPEDIENTE = "CAJ-2026-000001"
ATTACHMENT = "00000000-0000-7000-8000-0000000000bb"
DEVICE = "00000000-0000-7000-8000-0000000000dd"
PAIRING = "00000000-0000-7000-8000-0000000000ee"
PRINT_JOB = {"id": "00000000-0000-7000-8000-0000000000aa", "kind": "ticket",
             "reference": TICKET, "state": "printed"}

# Every endpoint with the permission that guards it.
ENDPOINTS: list[tuple[str, str, dict[str, Any] | None, str]] = [
    ("GET", "/services", None, "services.read"),
    ("GET", "/queue", None, "queue.read"),
    ("GET", "/counters", None, "counters.read"),
    ("GET", "/calls?after=0", None, "calls.read"),
    ("POST", "/tickets", {"service": "caja"}, "tickets.issue"),
    ("GET", f"/tickets/{TICKET}", None, "tickets.read"),
    ("POST", f"/tickets/{TICKET}/recall", None, "tickets.serve"),
    ("POST", f"/tickets/{TICKET}/start", None, "tickets.serve"),
    ("POST", f"/tickets/{TICKET}/no-show", None, "tickets.serve"),
    ("POST", f"/tickets/{TICKET}/reinstate", None, "tickets.serve"),
    ("POST", f"/tickets/{TICKET}/finish", {"outcome": "atendido"}, "tickets.serve"),
    ("POST", f"/tickets/{TICKET}/transfer", {"service": "caja"}, "tickets.serve"),
    ("POST", "/counters/1/call-next", None, "tickets.serve"),
    ("POST", "/counters/1/call", {"ticket_id": TICKET, "reason": "x"}, "tickets.serve"),
    ("POST", "/counters/1/open", None, "counters.operate"),
    ("POST", "/counters/1/pause", {"reason": "Refrigerio"}, "counters.operate"),
    ("POST", "/counters/1/resume", None, "counters.operate"),
    ("POST", "/counters/1/close", None, "counters.operate"),
    ("POST", "/day/close", None, "day.close"),
    ("GET", "/stats?from=2026-11-20&to=2026-11-20", None, "stats.read"),
    ("GET", "/tickets/export?from=2026-11-20&to=2026-11-20", None, "tickets.export"),
    ("GET", "/procedures", None, "procedures.read"),
    ("GET", f"/procedures/{PROCEDURE}", None, "procedures.read"),
    ("POST", "/print-jobs", PRINT_JOB, "prints.report"),
    ("GET", "/print-jobs?state=failed&limit=50", None, "prints.read"),
    ("GET", "/alerts", None, "alerts.read"),
    ("GET", "/sync", None, "sync.status"),
    ("GET", "/sync/attention", None, "sync.attention"),
    ("GET", "/audit/access", None, "audit.access"),
    # The supervisor's dashboard, the period report and its tables; ratings.
    ("GET", "/supervisor/live", None, "stats.read"),
    ("GET", "/stats/history?from=2026-11-20&to=2026-11-20", None, "stats.read"),
    ("GET", "/stats/expedientes?from=2026-11-20&to=2026-11-20", None, "stats.read"),
    ("GET", "/stats/satisfaction?from=2026-11-20&to=2026-11-20", None, "stats.read"),
    ("GET", "/reports?from=2026-11-20&to=2026-11-20", None, "stats.read"),
    ("GET", "/reports/tables/por_servicio?from=2026-11-20&to=2026-11-20", None,
     "reports.export"),
    ("POST", "/ratings", {"ticket": TICKET, "score": 5}, "ratings.submit"),
    # The demo administrator may log in on any staff device.
    ("POST", "/sessions", {"username": "admin", "secret": "97531"}, "sessions.login"),
    ("DELETE", "/sessions/current", None, "sessions.login"),
    ("POST", "/sessions/current/secret", {"current": "97531", "new": "864209"},
     "sessions.login"),
    # Expedientes (writes also need a clerk logged in: 401 «clerk_required» for a bare device).
    ("POST", "/expedientes", {"procedure": "RC-01"}, "expedientes.write"),
    ("GET", f"/expedientes/{EXPEDIENTE}", None, "expedientes.read"),
    ("POST", f"/expedientes/{EXPEDIENTE}/transitions", {"action": "approve"},
     "expedientes.write"),
    ("POST", f"/expedientes/{EXPEDIENTE}/payments", {"amount": "8.50"}, "payments.take"),
    ("POST", f"/expedientes/{EXPEDIENTE}/attachments", None, "expedientes.write"),
    ("GET", f"/expedientes/{EXPEDIENTE}/attachments/{ATTACHMENT}", None, "attachments.read"),
    ("POST", f"/expedientes/{EXPEDIENTE}/documents", {"document": "cargo"},
     "documents.record"),
    ("GET", f"/expedientes/{EXPEDIENTE}/public", None, "expedientes.public"),
    ("GET", "/cash-closing?date=2026-11-20&username=ana", None, "cash.read"),
    # --- citizens, civil registry and search
    ("GET", "/persons?q=Quispe&limit=5", None, "persons.read"),
    ("GET", "/businesses?q=Quispe", None, "persons.read"),
    ("GET", "/actas?q=Quispe&kind=nacimiento", None, "actas.read"),
    ("POST", "/actas", {"kind": "nacimiento", "acta_number": "990001", "book": "1",
                        "folio": "1", "event_date": "2001-01-01", "registered_on": "2001-01-02",
                        "place": "Cajamarca", "titular_given": "Rosa",
                        "titular_paternal": "Quispe"}, "actas.manage"),
    ("GET", "/expedientes?q=Quispe+Mamani&limit=5", None, "expedientes.read"),
    # --- the admin window (an admin user must be logged in too: 401 «clerk_required» without)
    ("GET", "/office/logo", None, "services.read"),
    ("GET", "/admin/services", None, "admin.read"),
    ("POST", "/admin/services", {"code": "tesoreria", "name": "Tesorería", "prefix": "T",
                                 "sla_minutes": 10}, "admin.write"),
    ("PATCH", "/admin/services/caja", {"sla_minutes": 12}, "admin.write"),
    ("GET", "/admin/counters", None, "admin.read"),
    ("POST", "/admin/counters", {"number": 9, "name": "Ventanilla 9", "services": ["caja"]},
     "admin.write"),
    ("PUT", "/admin/counters/1", {"number": 1, "name": "Ventanilla 1",
                                  "services": ["partidas"]}, "admin.write"),
    ("GET", "/admin/users", None, "admin.read"),
    ("POST", "/admin/users", {"username": "nuevo", "full_name": "Nuevo Usuario",
                              "role": "counter"}, "admin.write"),
    ("PATCH", "/admin/users/ana", {"full_name": "Ana Torres"}, "admin.write"),
    ("POST", "/admin/users/ana/secret", None, "admin.write"),
    ("POST", "/admin/users/ana/unlock", None, "admin.write"),
    ("GET", "/admin/devices", None, "admin.read"),
    ("POST", f"/admin/devices/{DEVICE}/revoke", None, "admin.write"),
    ("POST", "/admin/pairings", {"name": "Quiosco 2", "role": "kiosk"}, "admin.write"),
    ("GET", "/admin/pairings", None, "admin.read"),
    ("DELETE", f"/admin/pairings/{PAIRING}", None, "admin.write"),
    ("GET", "/admin/office", None, "admin.read"),
    ("PATCH", "/admin/office", {"idle_lock_minutes": 6}, "admin.write"),
    ("PUT", "/admin/office/logo", None, "admin.write"),
    ("POST", "/admin/printers/test", None, "admin.write"),
]
# Routes that need no credential at all: the hub's health, and a new PC redeeming its code.
PUBLIC = {("GET", "/health"), ("POST", "/pair")}

# Sample path values and the route templates they stand for.
PLACEHOLDERS = {TICKET: "{ticket_id}", ATTACHMENT: "{attachment_id}", "/1/": "/{number}/",
                "/tables/por_servicio": "/tables/{name}",
                f"/procedures/{PROCEDURE}": "/procedures/{code}", EXPEDIENTE: "{number}",
                DEVICE: "{device_id}", PAIRING: "{pairing_id}",
                "/admin/services/caja": "/admin/services/{code}",
                "/admin/counters/1": "/admin/counters/{number}",
                "/admin/users/ana": "/admin/users/{username}"}


def template(path: str) -> str:
    path = path.split("?")[0]
    for sample, placeholder in PLACEHOLDERS.items():
        path = path.replace(sample, placeholder)
    return path


def call(server: RunningHub, method: str, path: str, token: str | None = None,
         **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    headers.update(kwargs.pop("headers", {}))
    return requests.request(method, server.url + API + path, headers=headers, timeout=10,
                            **kwargs)


def test_every_route_of_the_api_is_in_the_matrix(server: RunningHub) -> None:
    spec = requests.get(server.url + "/openapi.json", timeout=10).json()
    documented = {(m.upper(), p.removeprefix(API)) for p, ops in spec["paths"].items()
                  for m in ops}
    covered = {(m, template(p)) for m, p, _, _ in ENDPOINTS}
    assert documented - PUBLIC == covered


@pytest.mark.parametrize(("method", "path", "body", "permission"), ENDPOINTS,
                         ids=[f"{m} {p.split('?')[0]}" for m, p, _, _ in ENDPOINTS])
def test_authorisation_matrix(server: RunningHub, tokens: dict[str, str], method: str,
                              path: str, body: dict[str, Any] | None, permission: str) -> None:
    allowed = {str(role) for role in PERMISSIONS[permission]}
    for role in ROLES:
        response = call(server, method, path, tokens[role], json=body)
        if role in allowed:
            assert response.status_code not in (401, 403) or (
                response.json()["error"]["code"] == "clerk_required"), (role, response.text)
        else:
            assert response.status_code == 403, (role, response.text)
            assert response.json()["error"]["code"] == "forbidden"
    anonymous = call(server, method, path, None, json=body)
    assert anonymous.status_code == 401
    assert call(server, method, path, "not-a-token", json=body).status_code == 401


def test_health_needs_no_credential(server: RunningHub) -> None:
    body = call(server, "GET", "/health").json()
    assert (body["status"], body["office"]) == ("ok", "CAJ")


def test_issue_a_ticket(server: RunningHub, tokens: dict[str, str]) -> None:
    response = call(server, "POST", "/tickets", tokens["kiosk"],
                    json={"service": "partidas", "preferential": "adulto_mayor"})
    assert response.status_code == 201
    body = response.json()
    assert {"id", "number", "service", "preferential", "issued_at", "ahead",
            "estimated_wait_min"} <= set(body)
    assert (body["number"], body["ahead"]) == ("PA-001", 0)
    assert len(body["estimated_wait_min"]) == 2


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        (b"{not json", 400, "invalid_json"),
        (b'{"service": "caja", "color": "rojo"}', 422, "invalid_request"),
        (b'{"service": 12}', 422, "invalid_request"),
        (b'{"service": "caja", "preferential": "vip"}', 422, "invalid_request"),
        (b"[1, 2, 3]", 422, "invalid_request"),
        (b"{}", 422, "invalid_request"),
        (b'{"service": "' + b"x" * 200_000 + b'"}', 413, "body_too_large"),
    ],
)
def test_bad_bodies_get_a_4xx_in_spanish(server: RunningHub, tokens: dict[str, str],
                                         raw: bytes, status: int, code: str) -> None:
    response = call(server, "POST", "/tickets", tokens["kiosk"], data=raw,
                    headers={"Content-Type": "application/json"})
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and error["message"]


def test_a_chunked_huge_body_is_refused(server: RunningHub, tokens: dict[str, str]) -> None:
    chunks = (b"x" * 8192 for _ in range(20))  # no Content-Length: sent chunked
    response = requests.post(server.url + API + "/tickets", data=chunks, timeout=10,
                             headers={"Authorization": f"Bearer {tokens['kiosk']}",
                                      "Content-Type": "application/json"})
    assert response.status_code == 413


def test_bad_query_and_path_values(server: RunningHub, tokens: dict[str, str]) -> None:
    bad = [
        ("GET", "/stats?from=ayer&to=2026-11-20"),
        ("GET", "/stats?from=2026-11-20"),
        ("GET", "/calls?after=-1"),
        ("GET", "/calls?after=70615302837317894144"),  # past any database integer (fuzzer)
        ("GET", "/calls?wait=3600"),
        ("POST", "/counters/abc/open"),
        ("POST", "/counters/0/open"),
    ]
    for method, path in bad:
        response = call(server, method, path, tokens["admin"])
        assert response.status_code == 422, path
        assert response.json()["error"]["message"]


def test_domain_errors_keep_their_status_and_code(server: RunningHub, tokens: dict[str, str]
                                                  ) -> None:
    counter = tokens["counter"]
    assert call(server, "POST", "/tickets", counter, json={"service": "zz"}).status_code == 404
    closed = call(server, "POST", "/counters/1/call-next", counter)
    assert closed.status_code == 409
    assert closed.json()["error"] == {"code": "counter_not_open",
                                      "message": "La ventanilla 1 está cerrada."}
    assert call(server, "GET", "/nowhere", counter).json()["error"]["code"] == "not_found"


def test_call_next_answers_204_when_nobody_waits(server: RunningHub, tokens: dict[str, str]
                                                 ) -> None:
    call(server, "POST", "/counters/4/open", tokens["counter"])
    response = call(server, "POST", "/counters/4/call-next", tokens["counter"])
    assert response.status_code == 204 and response.content == b""


def test_long_poll_wakes_when_a_ticket_is_called(server: RunningHub, hub: OfficeHub,
                                                 tokens: dict[str, str]) -> None:
    hub.open_counter(SYSTEM, 4)
    hub.issue_ticket(SYSTEM, "caja")
    result: dict[str, Any] = {}
    polling = threading.Event()

    def display() -> None:
        polling.set()
        result["body"] = call(server, "GET", "/calls?after=0&wait=30", tokens["display"]).json()

    thread = threading.Thread(target=display)
    thread.start()
    polling.wait(5)
    hub.call_next(SYSTEM, 4)
    thread.join(timeout=30)
    assert not thread.is_alive()
    calls = result["body"]["calls"]
    assert [(c["number"], c["counter"], c["counter_name"]) for c in calls] == [
        ("C-001", 4, "Ventanilla 4")]
    assert result["body"]["last_seq"] == calls[0]["seq"]
    # Nothing new after that: a short poll comes back empty with the same cursor.
    empty = call(server, "GET", f"/calls?after={calls[0]['seq']}&wait=0.2",
                 tokens["display"]).json()
    assert empty == {"calls": [], "last_seq": calls[0]["seq"]}


def test_the_queue_shows_numbers_never_people(server: RunningHub, tokens: dict[str, str]
                                              ) -> None:
    call(server, "POST", "/tickets", tokens["kiosk"], json={"service": "partidas"})
    body = call(server, "GET", "/queue", tokens["display"]).json()
    partidas = next(s for s in body["services"] if s["service"] == "partidas")
    assert partidas["tickets"][0]["number"] == "A-001"
    assert set(partidas["tickets"][0]) == {"number", "preferential", "waiting_s"}


def test_concurrent_issuing_never_duplicates_or_skips(server: RunningHub,
                                                      tokens: dict[str, str]) -> None:
    numbers: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()

    def kiosk() -> None:
        with requests.Session() as http:
            http.headers["Authorization"] = f"Bearer {tokens['kiosk']}"
            for _ in range(15):
                response = http.post(server.url + API + "/tickets", json={"service": "caja"},
                                     timeout=30)
                with lock:
                    if response.status_code == 201:
                        numbers.append(response.json()["number"])
                    else:
                        errors.append(response.text)

    threads = [threading.Thread(target=kiosk) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(numbers) == [f"C-{n:03d}" for n in range(1, 121)]


def test_export_is_csv(server: RunningHub, tokens: dict[str, str]) -> None:
    call(server, "POST", "/tickets", tokens["kiosk"], json={"service": "caja"})
    response = call(server, "GET", "/tickets/export?from=2026-11-20&to=2026-11-20",
                    tokens["supervisor"])
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines()[0].startswith("date,number,service,preferential")
    assert response.text.splitlines()[1].split(",")[1] == "C-001"


def test_procedures_over_http(server: RunningHub, tokens: dict[str, str]) -> None:
    listed = call(server, "GET", "/procedures", tokens["kiosk"]).json()
    assert [p["code"] for p in listed][:3] == ["RC-03", "RC-02", "RC-01"]
    low = call(server, "GET", "/procedures/LF-01", tokens["display"]).json()
    assert (low["fee_soles"], low["fee_basis"], low["effective_from"]) == (
        "263.20", "4.7855 % de la UIT 2026 (S/ 5,500.00)", "2025-01-01")
    assert low["requirements"][0] == {
        "number": 1, "mandatory": True,
        "text": "Solicitud con carácter de declaración jurada (formato gratuito), con RUC y "
                "DNI o carné de extranjería."}
    missing = call(server, "GET", "/procedures/XX-99", tokens["kiosk"])
    assert missing.status_code == 404
    assert missing.json()["error"] == {
        "code": "unknown_procedure",
        "message": "No existe el trámite «XX-99» en el catálogo de esta oficina."}
    too_long = call(server, "GET", "/procedures/" + "X" * 41, tokens["kiosk"])
    assert too_long.status_code == 422
