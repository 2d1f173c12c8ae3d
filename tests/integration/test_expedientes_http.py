"""Expedientes over the hub's HTTP API: raw-body attachments with percent-encoded names and
their own size limit, the kiosk's public view, clerk sessions on writes."""

from __future__ import annotations

import hashlib
import http.client
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import quote, urlsplit

import pytest
import requests

from kiosk.client.http import HttpHubClient
from kiosk.errors import InvalidInput
from kiosk.hub import OfficeHub
from kiosk.services.expediente_views import PaymentInput
from tests import files
from tests.conftest import CLERK, SUPERVISOR, RunningHub, signed_in
from tests.integration.test_expedientes import partida, row_counts
from tests.integration.test_expedientes_refusals import PDF

API = "/api/v1"
MB = 1024 * 1024


@pytest.fixture
def counter(server: RunningHub, tokens: dict[str, str]) -> Iterator[HttpHubClient]:
    client = HttpHubClient(server.url, tokens["counter"])
    client.login(*CLERK, counter=3)
    yield client
    client.close()


def test_an_attachment_over_http(server: RunningHub, hub: OfficeHub, counter: HttpHubClient
                                 ) -> None:
    number = counter.file_expediente(partida()).number
    content = files.pdf(size=300 * 1024)  # a 300 KB scan: far over the 64 KB JSON limit
    name = "Declaración jurada — Ñahui.pdf"
    view = counter.attach(number, name, "application/pdf", content)
    assert (view.file_name, view.size, view.sha256) == (
        name, len(content), hashlib.sha256(content).hexdigest())
    stored = hub.data_dir.root / "attachments" / "2026" / f"{view.sha256}.pdf"
    assert stored.read_bytes() == content
    assert counter.expediente(number).attachments == [view]
    with pytest.raises(InvalidInput) as caught:
        counter.attach(number, "foto.png", "image/png", PDF)
    assert caught.value.code == "attachment_type_mismatch"
    assert caught.value.message == (
        "El archivo «foto.png» se declaró como PNG, pero su contenido es un PDF. Adjunte el "
        "documento correcto.")


def test_a_file_just_over_the_limit_gets_the_hubs_own_message(counter: HttpHubClient) -> None:
    number = counter.file_expediente(partida()).number
    with pytest.raises(InvalidInput) as caught:
        counter.attach(number, "escaneo.pdf", "application/pdf", b"%PDF-" + b"x" * (10 * MB))
    assert caught.value.code == "attachment_too_large"
    assert caught.value.message.startswith("El archivo «escaneo.pdf» pesa 10.0 MB; el máximo "
                                           "es 10 MB.")


def test_a_far_too_big_upload_is_cut_off_unread(server: RunningHub, hub: OfficeHub,
                                                tokens: dict[str, str]) -> None:
    """The declared size alone is enough to refuse it: the hub never reads the body."""
    before = row_counts(hub)
    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
    try:
        connection.putrequest("POST", f"{API}/expedientes/CAJ-2026-000001/attachments")
        for header, value in (("Authorization", f"Bearer {tokens['counter']}"),
                              ("Content-Type", "application/pdf"),
                              ("X-File-Name", "enorme.pdf"),
                              ("Content-Length", str(50 * MB))):
            connection.putheader(header, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 413
    assert b'"code":"attachment_too_large"' in body
    assert "El archivo supera el máximo de 10 MB" in body.decode()
    assert row_counts(hub) == before


def test_other_routes_keep_the_64_kb_limit(server: RunningHub, tokens: dict[str, str]) -> None:
    big = b'{"amount": "8.50", "ticket_id": "' + b"x" * (100 * 1024) + b'"}'
    response = requests.post(server.url + API + "/expedientes/CAJ-2026-000001/payments",
                             data=big, timeout=10,
                             headers={"Authorization": f"Bearer {tokens['counter']}",
                                      "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


def test_the_kiosk_sees_no_names_or_documents(server: RunningHub, tokens: dict[str, str],
                                              counter: HttpHubClient) -> None:
    filed = counter.file_expediente(partida())
    kiosk = {"Authorization": f"Bearer {tokens['kiosk']}"}
    full = requests.get(f"{server.url}{API}/expedientes/{filed.number}", headers=kiosk,
                        timeout=10)
    assert full.status_code == 403
    assert full.json()["error"]["message"] == "Un dispositivo de tipo quiosco no puede hacer esto."
    public = requests.get(f"{server.url}{API}/expedientes/{quote(filed.tracking_code)}/public",
                          headers=kiosk, timeout=10)
    assert public.status_code == 200
    body = public.json()
    assert set(body) == {"number", "procedure_name", "status", "status_text", "filed_on",
                         "due_date", "observation_due", "silencio_positivo"}
    assert "10117410" not in public.text and "Quispe" not in public.text
    missing = requests.get(f"{server.url}{API}/expedientes/CAJ-2026-000777/public",
                           headers=kiosk, timeout=10)
    assert missing.status_code == 404
    assert missing.json()["error"]["message"].startswith(
        "No existe el expediente «CAJ-2026-000777» en esta oficina.")


def test_writes_without_a_clerk_session_get_401(server: RunningHub, tokens: dict[str, str]
                                                ) -> None:
    response = requests.post(f"{server.url}{API}/expedientes", timeout=10,
                             headers={"Authorization": f"Bearer {tokens['counter']}"},
                             json=partida().model_dump(mode="json"))
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "clerk_required",
        "message": "Inicie sesión con su usuario para registrar trámites."}


def test_cash_closing_over_http(server: RunningHub, tokens: dict[str, str],
                                counter: HttpHubClient) -> None:
    number = counter.file_expediente(partida()).number
    counter.pay(number, PaymentInput(amount=Decimal("8.50"), cash_received=Decimal("10")))
    supervisor = signed_in(server.url, tokens["supervisor"], SUPERVISOR)
    response = requests.get(f"{server.url}{API}/cash-closing", headers=supervisor, timeout=10,
                            params={"date": "2026-11-20", "username": "ana"})
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["total"], body["by_method"]) == (
        1, "8.50", {"efectivo": "8.50", "banco_nacion": "0.00"})
    bad = requests.get(f"{server.url}{API}/cash-closing", headers=supervisor, timeout=10,
                       params={"date": "ayer", "username": "ana"})
    assert bad.status_code == 422 and bad.json()["error"]["message"]


def test_malformed_expediente_bodies_get_spanish_422(server: RunningHub,
                                                     tokens: dict[str, str]) -> None:
    headers = signed_in(server.url, tokens["counter"], CLERK, 3)
    for body, fragment in (
            ({"procedure": "RC-01", "color": "rojo"}, "Dato desconocido «color»"),
            ({"procedure": "RC-01", "details": {"kind": "pasaporte"}}, "details"),
            ({"procedure": "RC-01", "pages": -1}, "«pages»")):
        response = requests.post(f"{server.url}{API}/expedientes", json=body, headers=headers,
                                 timeout=10)
        assert response.status_code == 422, body
        assert fragment in response.json()["error"]["message"]
