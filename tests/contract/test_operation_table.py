"""The operation table (kiosk/client/base.py) is the one place an operation is declared: the
API's routes and their permission checks, and the in-process client, are made from it; the
HTTP client is written by hand, so it and the OpenAPI are held to the table here."""

from __future__ import annotations

import inspect
import types
import typing
from typing import Any, Literal, get_args

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from kiosk.api.app import create_app
from kiosk.client import HubClient, InProcessHubClient
from kiosk.client.http import HttpHubClient, pair_device
from kiosk.client.operations import TABLE, Operation
from kiosk.client.pairing import CA_PATH
from kiosk.hub import OfficeHub
from kiosk.rules.permissions import OPERATIONS
from kiosk.rules.queue import OUTCOMES, PREFERENTIAL_CATEGORIES
from kiosk.wire import PREFIX, Outcome, Preferential

CLIENT_OPERATIONS = [op for op in TABLE.values() if op.client]


def api_routes(app: FastAPI) -> list[APIRoute]:
    """The API's routes, in the order they are tried (included routers flattened)."""
    found: list[APIRoute] = []
    for route in app.routes:
        included = getattr(route, "original_router", None)
        for inner in (included.routes if included is not None else [route]):
            if isinstance(inner, APIRoute) and inner.path.startswith(PREFIX):
                found.append(inner)
    return found


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], APIRoute]:
    from pathlib import Path

    from kiosk.config import DataDir

    hub = OfficeHub.initialise(DataDir(Path(tmp_path_factory.mktemp("table")) / "o"), "CAJ",
                               "Oficina de prueba")
    try:
        app = create_app(hub)
        return {(method, route.path.removeprefix(PREFIX)): route
                for route in api_routes(app) for method in route.methods or ()}
    finally:
        hub.close()


def operation_of(route: APIRoute) -> str | None:
    found = [getattr(d.call, "operation", None) for d in route.dependant.dependencies]
    return next((op for op in found if op is not None), None)


def body_of(route: APIRoute) -> Any:
    if route.body_field is None:
        return None
    annotation = route.body_field.field_info.annotation
    if isinstance(annotation, types.UnionType):  # an optional body: `Model | None = None`
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    return annotation if isinstance(annotation, type) and annotation is not bytes else None


def test_every_route_is_an_operation_of_the_table_and_every_operation_a_route(
        routes: dict[tuple[str, str], APIRoute]) -> None:
    assert set(routes) == {(op.method, op.path) for op in TABLE.values()}


@pytest.mark.parametrize("op", TABLE.values(), ids=lambda op: op.name)
def test_the_route_is_the_one_the_table_declares(
        op: Operation, routes: dict[tuple[str, str], APIRoute]) -> None:
    route = routes[(op.method, op.path)]
    assert operation_of(route) == op.may
    assert op.may is None or op.may in OPERATIONS
    assert hasattr(OfficeHub, op.hub)
    assert (route.status_code or 200) == op.status
    assert body_of(route) == op.body
    if op.response is not None:
        assert route.response_model == op.response
    else:  # a CSV, a file, or no content
        assert route.response_model is None or op.status == 204


def test_the_client_interface_is_the_table() -> None:
    declared = {name for name, member in vars(HubClient).items()
                if inspect.isfunction(member) and not name.startswith("_")}
    assert declared == {op.name for op in CLIENT_OPERATIONS}


def signature(function: Any) -> list[tuple[str, Any, Any, Any]]:
    hints = typing.get_type_hints(function)
    return [(p.name, p.kind, p.default, hints.get(p.name))
            for p in inspect.signature(function).parameters.values() if p.name != "self"
            ] + [("return", None, None, hints.get("return"))]


@pytest.mark.parametrize("op", CLIENT_OPERATIONS, ids=lambda op: op.name)
def test_both_clients_have_the_operation_as_declared(op: Operation) -> None:
    assert signature(getattr(HttpHubClient, op.name)) == signature(op.declared)
    made = getattr(InProcessHubClient, op.name)
    assert inspect.signature(made) == inspect.signature(op.declared)


def test_a_pc_without_credential_pairs_through_the_routes_the_table_declares() -> None:
    outside = {op.name: op for op in TABLE.values() if not op.client}
    assert set(outside) == {"pair", "office_ca"}
    assert PREFIX + outside["office_ca"].path == CA_PATH
    assert inspect.getsource(pair_device).count(f'"{outside["pair"].path}"') == 1


@pytest.mark.parametrize(("literal", "keys"), [(Preferential, PREFERENTIAL_CATEGORIES),
                                               (Outcome, OUTCOMES)])
def test_the_wire_literals_are_the_rules_keys(literal: Any, keys: dict[str, str]) -> None:
    assert typing.get_origin(literal) is Literal
    assert set(get_args(literal)) == set(keys)
