"""Who may do what, over HTTP: every route of the hub's API, called by a device of every role
alone and with a person logged in on it, against the one table that says who may
(kiosk/rules/permissions.py OPERATIONS). One server for the whole walk."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Match

import kiosk.client.base  # noqa: F401  (declares the operations)
from kiosk.api.app import CLERK_HEADER, create_app
from kiosk.client.operations import TABLE, Operation
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.rules.permissions import OPERATIONS, Binding, Role, Rule
from tests.conftest import CLERK, START, DemoOffices, RunningHub, start_server, stop_server

API = "/api/v1"
TICKET = "00000000-0000-7000-8000-000000000000"
EXPEDIENTE = "CAJ-2026-000001"
PRINT_JOB = {"id": "00000000-0000-7000-8000-0000000000aa", "kind": "ticket",
             "reference": TICKET, "state": "printed"}
DAY = "from=2026-11-20&to=2026-11-20"

# One request per route (sample path values; bodies that change nothing another request needs:
# a wrong current PIN, another clerk's login, ids that do not exist).
REQUESTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/services", None),
    ("GET", "/queue", None),
    ("GET", "/counters", None),
    ("GET", "/sessions/counter", None),
    ("GET", "/calls?after=0", None),
    ("POST", "/tickets", {"service": "caja"}),
    ("GET", f"/tickets/{TICKET}", None),
    ("POST", f"/tickets/{TICKET}/recall", None),
    ("POST", f"/tickets/{TICKET}/start", None),
    ("POST", f"/tickets/{TICKET}/no-show", None),
    ("POST", f"/tickets/{TICKET}/reinstate", None),
    ("POST", f"/tickets/{TICKET}/finish", {"outcome": "atendido"}),
    ("POST", f"/tickets/{TICKET}/transfer", {"service": "caja"}),
    ("POST", "/counters/1/call-next", None),
    ("POST", "/counters/1/call", {"ticket_id": TICKET, "reason": "x"}),
    ("POST", "/counters/1/open", None),
    ("POST", "/counters/1/pause", {"reason": "Refrigerio"}),
    ("POST", "/counters/1/resume", None),
    ("POST", "/counters/1/close", None),
    ("POST", "/day/close", None),
    ("GET", f"/stats?{DAY}", None),
    ("GET", f"/tickets/export?{DAY}", None),
    ("GET", "/procedures", None),
    ("GET", "/procedures/RC-01", None),
    ("POST", "/print-jobs", PRINT_JOB),
    ("GET", "/print-jobs?state=failed&limit=50", None),
    ("GET", "/alerts", None),
    ("PUT", "/devices/self/health", {"voice": "ok"}),
    ("POST", "/devices/self/restarts", {"exit_code": 1}),
    ("GET", "/sync", None),
    ("GET", "/sync/attention", None),
    ("GET", "/audit/access", None),
    ("GET", "/supervisor/live", None),
    ("GET", f"/stats/history?{DAY}", None),
    ("GET", f"/stats/expedientes?{DAY}", None),
    ("GET", f"/stats/satisfaction?{DAY}", None),
    ("GET", f"/reports?{DAY}", None),
    ("GET", f"/reports/tables/por_servicio?{DAY}", None),
    ("POST", "/ratings", {"ticket": TICKET, "score": 5}),
    ("POST", "/sessions", {"username": "luis", "secret": "1357"}),
    ("POST", "/sessions/window-unlock", {"secret": "97531"}),
    ("DELETE", "/sessions/current", None),
    ("POST", "/sessions/current/secret", {"current": "000000", "new": "864209"}),
    ("GET", "/persons?q=Quispe&limit=5", None),
    ("GET", "/businesses?q=Quispe", None),
    ("GET", "/actas?q=Quispe&kind=nacimiento", None),
    ("POST", "/actas", {"kind": "nacimiento", "acta_number": "990001", "book": "1",
                        "folio": "1", "event_date": "2001-01-01", "registered_on": "2001-01-02",
                        "place": "Cajamarca", "titular_given": "Rosa",
                        "titular_paternal": "Quispe"}),
    ("GET", "/expedientes?q=Quispe+Mamani&limit=5", None),
    ("POST", "/expedientes", {"procedure": "RC-01"}),
    ("GET", f"/expedientes/{EXPEDIENTE}", None),
    ("POST", f"/expedientes/{EXPEDIENTE}/transitions", {"action": "approve"}),
    ("POST", f"/expedientes/{EXPEDIENTE}/nullity", {"reason": "Fiscalización posterior"}),
    ("POST", f"/expedientes/{EXPEDIENTE}/appeals", {"kind": "reconsideracion"}),
    ("POST", f"/expedientes/{EXPEDIENTE}/appeals/00000000-0000-7000-8000-0000000000cc/decision",
     {"outcome": "infundado", "reason": "Sin nueva prueba"}),
    ("POST", f"/expedientes/{EXPEDIENTE}/payments", {"amount": "8.50"}),
    ("POST", f"/expedientes/{EXPEDIENTE}/attachments", None),
    ("GET", f"/expedientes/{EXPEDIENTE}/attachments/00000000-0000-7000-8000-0000000000bb",
     None),
    ("POST", f"/expedientes/{EXPEDIENTE}/documents", {"document": "cargo"}),
    ("GET", f"/expedientes/{EXPEDIENTE}/public", None),
    ("POST", f"/expedientes/{EXPEDIENTE}/itse", {"result": "no_conforme", "note": "x"}),
    ("GET", "/supervisor/itse", None),
    ("POST", f"/expedientes/{EXPEDIENTE}/notice-consent",
     {"mobile": "987654321", "consent": True}),
    ("DELETE", f"/expedientes/{EXPEDIENTE}/notice-consent", None),
    ("GET", "/supervisor/notices", None),
    ("POST", "/reclamos", {"category": "tiempo_atencion", "doc_number": "12345678",
                           "full_name": "Rosa Quispe", "email": "rosa@example.pe",
                           "description": "Esperé dos horas."}),
    ("GET", "/reclamos?open_only=true", None),
    ("GET", "/reclamos/export?year=2026", None),
    ("POST", "/reclamos/drafts", {"ticket_id": "00000000-0000-0000-0000-000000000000",
                                  "draft": {"full_name": "Juana Mamani"}}),
    ("GET", "/reclamos/drafts/A-001", None),
    ("GET", "/reclamos/CAJ-LR-2026-000001", None),
    ("POST", "/reclamos/CAJ-LR-2026-000001/answer", {"answer": "Disculpe la demora.",
                                                     "delivery": "en_oficina"}),
    ("POST", "/suggestions", {"category": "instalaciones", "text": "Más sillas."}),
    ("GET", f"/stats/suggestions?{DAY}", None),
    ("PUT", "/admin/citas/caja", {"slot_minutes": 20, "walkin_percent": 50}),
    ("POST", "/admin/citas/caja/delegations", {"day": "2026-12-10", "places": 1}),
    ("GET", "/citas/services/caja/days/2026-12-10", None),
    ("POST", "/citas", {"service": "caja", "start": "2026-12-10T09:00:00-05:00",
                        "document": "12345678", "name": "Rosa Quispe"}),
    ("POST", "/citas/check-in", {"query": "C-7K3M9P"}),
    ("GET", "/citas/days/2026-12-10", None),
    ("POST", "/citas/C-7K3M9P/verify", {"document": "12345678"}),
    ("POST", "/citas/C-7K3M9P/cancel", {"document": "12345678"}),
    ("POST", "/citas/C-7K3M9P/change", {"start": "2026-12-10T09:20:00-05:00"}),
    ("GET", "/citas/C-7K3M9P", None),
    ("GET", f"/stats/citas?{DAY}", None),
    ("GET", "/cash-closing?date=2026-11-20&username=ana", None),
    ("GET", "/office/logo", None),
    ("GET", "/admin/services", None),
    ("POST", "/admin/services", {"code": "tesoreria", "name": "Tesorería", "prefix": "T",
                                 "sla_minutes": 10}),
    ("PATCH", "/admin/services/caja", {"sla_minutes": 12}),
    ("GET", "/admin/counters", None),
    ("POST", "/admin/counters", {"number": 9, "name": "Ventanilla 9", "services": ["caja"]}),
    ("PUT", "/admin/counters/3", {"number": 3, "name": "Ventanilla 3",
                                  "services": ["partidas"]}),
    ("GET", "/admin/users", None),
    ("POST", "/admin/users", {"username": "nuevo", "full_name": "Nuevo Usuario",
                              "role": "counter"}),
    ("PATCH", "/admin/users/nuevo", {"full_name": "Luis Quispe"}),
    ("POST", "/admin/users/nuevo/secret", None),
    ("POST", "/admin/users/nuevo/unlock", None),
    ("GET", "/admin/devices", None),
    ("PATCH", "/admin/devices/00000000-0000-7000-8000-0000000000dd", {"counter": 1}),
    ("POST", "/admin/devices/00000000-0000-7000-8000-0000000000dd/revoke", None),
    ("POST", "/admin/pairings", {"name": "Quiosco 2", "role": "kiosk"}),
    ("GET", "/admin/pairings", None),
    ("DELETE", "/admin/pairings/00000000-0000-7000-8000-0000000000ee", None),
    ("GET", "/admin/calendar?year=2026", None),
    ("POST", "/admin/calendar", {"day": "2026-12-31", "name": "Aniversario (prueba)"}),
    ("PATCH", "/admin/calendar/2026-12-30", {"name": "Aniversario del distrito"}),
    ("DELETE", "/admin/calendar/2026-12-30", None),
    ("GET", "/admin/office", None),
    ("PATCH", "/admin/office", {"idle_lock_minutes": 6}),
    ("PUT", "/admin/office/logo", None),
    ("POST", "/admin/printers/test", None),
    ("PUT", "/signing/certificate", {"content": "", "password": "x"}),
    ("POST", "/signing/unlock", {"password": "x"}),
    ("POST", f"/signing/documents/{EXPEDIENTE}", {"kind": "cargo", "content": ""}),
    ("POST", f"/signing/statements/{EXPEDIENTE}", {"kind": "cargo"}),
    ("POST", "/signing/statements-check", {"code": "x"}),
]

def _query_params(op: Operation) -> bool:
    return any(name not in op.path_params for name in op.signature().parameters)


# A route that takes no path value, no body and no query needs no sample of its own: its entry
# in the operation table is the request, so a new operation of that kind is walked as declared.
_SAMPLED = {(m, p.split("?")[0]) for m, p, _ in REQUESTS}
REQUESTS += [(op.method, op.path, None) for op in TABLE.values()
             if op.may is not None and op.client and op.method == "GET" and op.body is None
             and not op.path_params and not _query_params(op)
             and (op.method, op.path) not in _SAMPLED]
# Routes that need no credential at all: the hub's health, and a new PC learning the office's
# certificate authority and redeeming its code.
PUBLIC = {("GET", "/health"), ("POST", "/pair"), ("GET", "/pair/ca")}
# The person logged in on each staff device for the walk: username, PIN, counter.
PEOPLE = {"counter": (*CLERK, 1), "supervisor": ("rosa", "8642", None),
          "admin": ("admin", "97531", None)}
REFUSALS = ("forbidden", "clerk_required", "counter_required", "other_counter",
            "device_not_bound")


@dataclass
class Office:
    hub: OfficeHub
    server: RunningHub
    tokens: dict[str, str]
    app: FastAPI = field(init=False)
    sessions: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.app = create_app(self.hub)

    def call(self, method: str, path: str, role: str | None, *, person: bool = False,
             body: Any = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        if person:
            assert role is not None
            headers[CLERK_HEADER] = self.session(role)
        response = requests.request(method, self.server.url + API + path, headers=headers,
                                    json=body, timeout=30)
        if person and (method, path) in (("DELETE", "/sessions/current"),
                                         ("POST", "/sessions")):
            self.sessions.pop(role or "", None)  # logged out, or replaced by the new login
        return response

    def session(self, role: str, who: tuple[str, str, int | None] | None = None) -> str:
        if role not in self.sessions or who is not None:
            username, pin, counter = who or PEOPLE[role]
            response = requests.post(
                self.server.url + API + "/sessions", timeout=30,
                headers={"Authorization": f"Bearer {self.tokens[role]}"},
                json={"username": username, "secret": pin, "counter": counter})
            assert response.status_code == 200, response.text
            self.sessions[role] = response.json()["token"]
        return self.sessions[role]


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory, demo_offices: DemoOffices
           ) -> Iterator[Office]:
    root = tmp_path_factory.mktemp("matrix")
    hub = demo_offices.initialise(DataDir(Path(root) / "office"), VirtualClock(START))
    # The counter PC is bound to counter 1 (where its clerk logs in); «loose» is bound to none.
    tokens = {role.value: hub.add_device(SYSTEM, f"{role} de prueba", role,
                                         1 if role is Role.COUNTER else None)[1]
              for role in Role}
    tokens["loose"] = hub.add_device(SYSTEM, "ventanilla sin asignar", "counter")[1]
    running = start_server(hub)
    yield Office(hub, running, tokens)
    stop_server(running)
    hub.close()


def operation_of(route: APIRoute) -> str | None:
    """The operation a route's caller is checked for (`may(...)` in kiosk/api/app.py)."""
    found = [getattr(d.call, "operation", None) for d in route.dependant.dependencies]
    operations = [op for op in found if op is not None]
    assert len(operations) <= 1, route.path
    return operations[0] if operations else None


def template(path: str) -> str:
    return path.split("?")[0]


def api_routes(app: FastAPI) -> list[APIRoute]:
    """The API's routes, in the order the router tries them (included routers flattened)."""
    found: list[APIRoute] = []
    for route in app.routes:
        included = getattr(route, "original_router", None)  # FastAPI's included router
        for inner in (included.routes if included is not None else [route]):
            if isinstance(inner, APIRoute) and inner.path.startswith(API):
                found.append(inner)
    return found


def routes(app: FastAPI) -> dict[tuple[str, str], str | None]:
    """(method, path template) -> operation, for every route of the API."""
    return {(method, route.path.removeprefix(API).replace(":path}", "}")): operation_of(route)
            for route in api_routes(app) for method in route.methods}


def route_of(app: FastAPI, method: str, path: str) -> APIRoute:
    """The route a request reaches, as the router finds it (the first full match)."""
    scope = {"type": "http", "method": method, "path": API + template(path)}
    for route in api_routes(app):
        if route.matches(scope)[0] is Match.FULL:
            return route
    raise AssertionError((method, path))


def rule_of(office: Office, method: str, path: str) -> Rule:
    operation = operation_of(route_of(office.app, method, path))
    assert operation is not None, (method, path)
    return OPERATIONS[operation]


def test_every_route_declares_one_operation_of_the_table(office: Office) -> None:
    every = routes(office.app)
    public = {key for key, op in every.items() if op is None}
    assert public == PUBLIC
    assert {op for op in every.values() if op is not None} <= set(OPERATIONS)
    spec = requests.get(office.server.url + "/openapi.json", timeout=10).json()
    documented = {(m.upper(), p.removeprefix(API)) for p, ops in spec["paths"].items()
                  for m in ops}
    assert documented == set(every)
    # The matrix below walks every route.
    walked = {(m, route_of(office.app, m, p).path.removeprefix(API).replace(":path}", "}"))
              for m, p, _ in REQUESTS}
    assert walked | PUBLIC == set(every)


@pytest.mark.parametrize(("method", "path", "body"), REQUESTS,
                         ids=[f"{m} {template(p)}" for m, p, _ in REQUESTS])
def test_the_matrix_of_roles_and_people(office: Office, method: str, path: str,
                                        body: dict[str, Any] | None) -> None:
    rule = rule_of(office, method, path)
    for role in Role:
        alone = office.call(method, path, role.value, body=body)
        if role in rule.alone:
            assert refusal(alone) is None, (role, "alone", alone.text)
        elif role in rule.person:
            assert (alone.status_code, refusal(alone)) == (401, "clerk_required"), (
                role, alone.text)
        else:
            assert (alone.status_code, refusal(alone)) == (403, "forbidden"), (role, alone.text)
        if role.value not in PEOPLE:
            continue  # nobody logs in on a kiosk or a display
        with_person = office.call(method, path, role.value, person=True, body=body)
        if role in rule.roles():
            assert refusal(with_person) is None, (role, "person", with_person.text)
        else:
            assert (with_person.status_code, refusal(with_person)) == (403, "forbidden"), (
                role, with_person.text)
    assert office.call(method, path, None, body=body).status_code == 401
    office.tokens["stranger"] = "not-a-token"
    assert office.call(method, path, "stranger", body=body).status_code == 401


@pytest.mark.parametrize(("method", "path", "body"),
                         [r for r in REQUESTS if r[1].startswith("/counters/1/")],
                         ids=lambda value: str(value))
def test_a_clerk_acts_only_on_the_counter_they_opened(office: Office, method: str, path: str,
                                                      body: dict[str, Any] | None) -> None:
    assert rule_of(office, method, path).bound is Binding.COUNTER
    office.session("loose", ("luis", "1357", 2))
    response = office.call(method, path, "loose", person=True, body=body)
    assert (response.status_code, refusal(response)) == (403, "other_counter")
    assert "ventanilla 2" in response.json()["error"]["message"]


def refusal(response: requests.Response) -> str | None:
    """The authorisation refusal a response is, if it is one (a domain error is not)."""
    if response.status_code not in (401, 403):
        return None
    code = response.json()["error"]["code"]
    if response.status_code == 401 and code in ("no_credentials", "invalid_credentials"):
        return code
    return code if code in REFUSALS else None
