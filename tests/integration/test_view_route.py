"""`ViewRoute` encodes a route's answer in one pass: the same status and the same bytes as
FastAPI's own four passes, for every kind of answer a hub route gives (served on loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import requests
import uvicorn
from fastapi import APIRouter, FastAPI, Response
from fastapi.routing import APIRoute

from kiosk.api.routing import ViewRoute
from kiosk.services.views import View
from tests.conftest import RunningHub, start_uvicorn, stop_server


class Entry(View):
    number: str
    waiting_s: int


class Snapshot(View):
    business_date: date
    at: datetime
    name: str
    longest: int | None
    entries: list[Entry]


class Detailed(Entry):
    note: str  # a subclass's field: not in the declared model, so not in the answer


SNAPSHOT = Snapshot(business_date=date(2026, 12, 2), at=datetime(2026, 12, 2, 13, 5, 7, 120,
                                                                  tzinfo=UTC),
                    name="Atención al ciudadano — «Señora Ñusta»", longest=None,
                    entries=[Entry(number=f"A{i:03d}", waiting_s=i * 61) for i in range(40)])


def make_router(route_class: type[APIRoute]) -> APIRouter:
    api = APIRouter(prefix="/api", route_class=route_class)

    @api.get("/snapshot")
    def snapshot() -> Snapshot:
        return SNAPSHOT

    @api.post("/entries", status_code=201)
    def made() -> Entry:
        return Detailed(number="B007", waiting_s=3, note="interna")

    @api.get("/entries")
    def entries() -> list[Entry]:
        return SNAPSHOT.entries[:5]

    @api.get("/async")
    async def awaited() -> Snapshot:
        return SNAPSHOT

    @api.get("/plain")
    def plain() -> Entry:
        value: Any = {"number": "C001", "waiting_s": "12"}  # FastAPI's validation converts it
        return value  # type: ignore[no-any-return]

    @api.get("/nobody", response_model=Entry)
    def nobody() -> Response:
        return Response(status_code=204)

    return api


def make_app(route_class: type[APIRoute]) -> FastAPI:
    app = FastAPI()
    app.include_router(make_router(route_class))
    return app


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[RunningHub, RunningHub]]:
    running = [start_uvicorn(uvicorn.Server(uvicorn.Config(make_app(route_class),
                                                           lifespan="off", log_level="warning")))
               for route_class in (APIRoute, ViewRoute)]
    yield running[0], running[1]
    for server in running:
        stop_server(server)


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/snapshot"), ("POST", "/entries"), ("GET", "/entries"), ("GET", "/async"),
    ("GET", "/plain"), ("GET", "/nobody")])
def test_the_answer_is_the_one_fastapi_gives(servers: tuple[RunningHub, RunningHub],
                                             method: str, path: str) -> None:
    fastapi_own, one_pass = servers
    expected = requests.request(method, f"{fastapi_own.url}/api{path}", timeout=10)
    answer = requests.request(method, f"{one_pass.url}/api{path}", timeout=10)
    assert (answer.status_code, answer.content) == (expected.status_code, expected.content)
    assert answer.headers.get("content-type") == expected.headers.get("content-type")
    assert answer.headers.get("content-length") == expected.headers.get("content-length")


def test_the_answers_really_are_views(servers: tuple[RunningHub, RunningHub]) -> None:
    """What the comparison above compares (so it cannot pass on two empty answers)."""
    _, one_pass = servers
    body = requests.get(f"{one_pass.url}/api/snapshot", timeout=10).json()
    assert body["name"] == SNAPSHOT.name and len(body["entries"]) == len(SNAPSHOT.entries)
    assert Snapshot.model_validate(body) == SNAPSHOT
    made = requests.post(f"{one_pass.url}/api/entries", timeout=10)
    assert made.status_code == 201 and "note" not in made.json()
    assert requests.get(f"{one_pass.url}/api/plain", timeout=10).json()["waiting_s"] == 12


def test_the_openapi_schema_is_unchanged(servers: tuple[RunningHub, RunningHub]) -> None:
    fastapi_own, one_pass = servers
    schemas = [requests.get(f"{server.url}/openapi.json", timeout=10).json()
               for server in (fastapi_own, one_pass)]
    assert schemas[0]["paths"] and schemas[0] == schemas[1]


def test_views_take_the_one_pass_and_the_rest_fastapi_s_path() -> None:
    routes = {(route.path, *route.methods): route for route in make_router(ViewRoute).routes
              if isinstance(route, ViewRoute)}
    encoded = routes[("/api/snapshot", "GET")].endpoint()
    assert isinstance(encoded, Response) and encoded.body == SNAPSHOT.model_dump_json().encode()
    assert routes[("/api/entries", "POST")].endpoint().status_code == 201
    assert routes[("/api/plain", "GET")].endpoint() == {"number": "C001", "waiting_s": "12"}
