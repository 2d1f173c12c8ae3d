"""Every date parameter of the hub API, walked from its OpenAPI with the extreme dates a
date type allows: out-of-range dates are a 422 in Spanish, never a server error (issue 14:
`GET /audit/access?to=9999-12-31` overflowed adding a day past `date.max`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import requests

from kiosk.client.inprocess import InProcessHubClient
from kiosk.errors import InvalidInput
from kiosk.hub import OfficeHub
from kiosk.services.expediente_views import LoginInput
from tests.conftest import RunningHub

EXTREMES = ("0001-01-01", "9999-12-31")
# A value for each path parameter of a route that takes dates.
PATH_VALUES = {"name": "por_servicio"}


def _admin_headers(hub: OfficeHub, token: str) -> dict[str, str]:
    device = hub.authenticate(token)
    session = hub.login(device, LoginInput(username="admin", secret="97531"))
    return {"Authorization": f"Bearer {token}", "X-Clerk-Session": session.token}


def _date_operations(spec: dict[str, Any]) -> list[tuple[str, str, list[str], list[str]]]:
    """(method, path, its date query parameters, its required parameters) of every route."""
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            parameters = operation.get("parameters", [])
            dates = [p["name"] for p in parameters if p["in"] == "query"
                     and _is_date(p.get("schema", {}))]
            if dates:
                required = [p["name"] for p in parameters if p.get("required")]
                found.append((method, path, dates, required))
    return found


def _is_date(schema: dict[str, Any]) -> bool:
    if schema.get("format") == "date":
        return True
    return any(_is_date(s) for s in schema.get("anyOf", []))


def test_every_date_parameter_refuses_extreme_dates(server: RunningHub, hub: OfficeHub,
                                                    tokens: dict[str, str]) -> None:
    headers = _admin_headers(hub, tokens["admin"])
    spec = requests.get(f"{server.url}/openapi.json", timeout=10).json()
    operations = _date_operations(spec)
    walked = {f"{method.upper()} {path}" for method, path, _, _ in operations}
    # The routes known to take dates are all found (the walk is not vacuous).
    assert {"GET /api/v1/audit/access", "GET /api/v1/stats", "GET /api/v1/cash-closing",
            "GET /api/v1/tickets/export", "GET /api/v1/reports"} <= walked
    for method, path, dates, required in operations:
        url = server.url + path.format(**PATH_VALUES)
        for extreme in EXTREMES:
            for only in [*dates, None]:  # each date alone at the extreme, then all of them
                query = {name: (extreme if only in (None, name) else "2026-11-20")
                         for name in dates if name in required or only in (None, name)}
                if "username" in required or path.endswith("/cash-closing"):
                    query["username"] = "ana"
                answer = requests.request(method, url, params=query, headers=headers,
                                          timeout=30)
                where = f"{method.upper()} {path} {query}"
                assert answer.status_code == 422, (where, answer.status_code, answer.text)
                error = answer.json()["error"]
                assert error["code"] in ("invalid_date", "invalid_period"), where
                assert "fecha" in error["message"] or "periodo" in error["message"], where


@pytest.mark.parametrize("extreme", [date.min, date.max])
def test_extreme_dates_in_process(hub: OfficeHub, tokens: dict[str, str], extreme: date
                                  ) -> None:
    admin = InProcessHubClient(hub, tokens["admin"])
    admin.login("admin", "97531")
    calls = [
        lambda: admin.stats(extreme, extreme),
        lambda: admin.ticket_history(extreme, extreme),
        lambda: admin.expediente_stats(extreme, extreme),
        lambda: admin.satisfaction_stats(extreme, extreme),
        lambda: admin.period_report(extreme, extreme),
        lambda: admin.export_tickets(extreme, extreme),
        lambda: admin.audit_access(date_from=extreme),
        lambda: admin.audit_access(date_to=extreme),
        lambda: admin.cash_closing(extreme, "ana"),
    ]
    for call in calls:
        with pytest.raises(InvalidInput) as refused:
            call()
        assert refused.value.code == "invalid_date", refused.value.code
        assert str(extreme.year) in refused.value.message
