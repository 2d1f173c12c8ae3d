"""A position past any database integer is refused as a bad request, never a server error
(the fuzzer found `after=70615302837317894144` reaching the database)."""

from __future__ import annotations

import pytest
import requests

from kiosk.storage.migrate import head_revision
from sync.central.server import CentralServer
from sync.wire import version_headers
from tests.conftest import RunningHub


@pytest.mark.parametrize("route", ["/sync/changes", "/sync/recover"])
def test_a_huge_position_is_a_bad_request(central: CentralServer, central_http: RunningHub,
                                          route: str) -> None:
    _office, token = central.add_office("CAJ", "CAC Cajamarca")
    headers = {"Authorization": f"Bearer {token}", **version_headers(head_revision(), "CAJ")}
    url = f"{central_http.url}/api/v1{route}"
    fine = requests.get(url, params={"after": 2**63 - 1}, headers=headers, timeout=10)
    assert fine.status_code == 200  # the largest position is still a position
    huge = requests.get(url, params={"after": 2**63}, headers=headers, timeout=10)
    assert huge.status_code == 422 and huge.json()["error"]["message"]
