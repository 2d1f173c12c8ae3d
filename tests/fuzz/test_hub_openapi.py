"""The hub's API fuzzed from its own OpenAPI (schemathesis): whatever the body, path or query,
no request gets a 500, and afterwards the store is still sound and its audit chain whole.

Every operation is tried with an administrator's credential and a clerk logged in (the widest
reach), with valid-looking and with invalid data. Bounded for CI; CAC_FUZZ_EXAMPLES raises the
examples per operation and mode. (schemathesis' pytest plugin does not run under pytest 9, so
the operations are driven through its Python API.)
"""

from __future__ import annotations

import os
import sqlite3

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import LoginInput
from tests.conftest import RunningHub

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("CAC_FUZZ_EXAMPLES", "6"))


def _admin_headers(hub: OfficeHub, token: str) -> dict[str, str]:
    device = hub.authenticate(token)
    session = hub.login(device, LoginInput(username="admin", secret="97531", counter=None))
    return {"Authorization": f"Bearer {token}", "X-Clerk-Session": session.token}


def test_no_request_gets_a_server_error(server: RunningHub, hub: OfficeHub,
                                        tokens: dict[str, str]) -> None:
    headers = _admin_headers(hub, tokens["admin"])
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    tried: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def call(case: schemathesis.Case) -> None:
                if case.path.endswith("/calls"):  # the long-poll would only make it slow
                    case.query = {**(case.query or {}), "wait": 0}
                case.call_and_validate(base_url=server.url, headers=headers, timeout=30,
                                       checks=[not_a_server_error])

            try:
                call()
            except Unsatisfiable:
                # An operation with nothing to get wrong (no body, no parameters) has no
                # invalid request to make.
                assert mode is GenerationMode.NEGATIVE
        tried.append(f"{operation.method.upper()} {operation.path}")
    spec = requests.get(f"{server.url}/openapi.json", timeout=10).json()
    documented = {f"{m.upper()} {p}" for p, ops in spec["paths"].items() for m in ops}
    assert set(tried) == documented  # every route of the API was fuzzed
    db = sqlite3.connect(hub.data_dir.database)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        db.close()
    assert hub.verify_audit(SYSTEM).ok
