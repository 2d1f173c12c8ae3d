"""The hub's HTTP API on a real uvicorn server on loopback."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests

from kiosk.hub import SYSTEM, OfficeHub
from tests.conftest import ADMIN, CLERK, SUPERVISOR, RunningHub, signed_in

API = "/api/v1"


def call(server: RunningHub, method: str, path: str, token: str | None = None,
         **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    headers.update(kwargs.pop("headers", {}))
    return requests.request(method, server.url + API + path, headers=headers, timeout=10,
                            **kwargs)


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
    admin = signed_in(server.url, tokens["admin"], ADMIN)
    clerk = signed_in(server.url, tokens["counter"], CLERK, 1)
    for method, path in bad:
        response = call(server, method, path,
                        headers=clerk if path.startswith("/counters") else admin)
        assert response.status_code == 422, path
        assert response.json()["error"]["message"]


def test_domain_errors_keep_their_status_and_code(server: RunningHub, tokens: dict[str, str]
                                                  ) -> None:
    clerk = signed_in(server.url, tokens["counter"], CLERK, 1)
    assert call(server, "POST", "/tickets", headers=clerk,
                json={"service": "zz"}).status_code == 404
    closed = call(server, "POST", "/counters/1/call-next", headers=clerk)
    assert closed.status_code == 409
    assert closed.json()["error"] == {"code": "counter_not_open",
                                      "message": "La ventanilla 1 está cerrada."}
    assert call(server, "GET", "/nowhere", headers=clerk).json()["error"]["code"] == "not_found"


def test_call_next_answers_204_when_nobody_waits(server: RunningHub, tokens: dict[str, str]
                                                 ) -> None:
    clerk = signed_in(server.url, tokens["counter"], CLERK, 4)
    call(server, "POST", "/counters/4/open", headers=clerk)
    response = call(server, "POST", "/counters/4/call-next", headers=clerk)
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
                    headers=signed_in(server.url, tokens["supervisor"], SUPERVISOR))
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
