"""Control characters are refused wherever text comes into the hub, and names lose invisible
formatting (issue 14: NUL bytes, bidi overrides and zero-width characters were stored as typed;
the NUL rows then failed at central's PostgreSQL for good). Over HTTP, in-process, from the CLI
and from the files the office imports."""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

import pytest
import requests
from pydantic import BaseModel, ValidationError

from kiosk.api.app import Body
from kiosk.cli import main
from kiosk.client.inprocess import InProcessHubClient
from kiosk.config import DataDir
from kiosk.errors import InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import Input, LoginInput, PersonInput, TransitionInput
from kiosk.services.views import PrintJobReport
from tests import files
from tests.conftest import CLERK, RunningHub
from tests.integration.test_expedientes import partida, row_counts
from tests.integration.test_registry import GOOD_LINES, write_csv
from tests.integration.test_tupa import partida as tupa_partida

API = "/api/v1"
TICKET = "00000000-0000-7000-8000-000000000000"
# A name as pasted from a web page: a zero-width space, a right-to-left override, a soft hyphen,
# a no-break space and a decomposed «í» (i + combining acute accent).
PASTED = "Ana\u200b Mari\u0301a\u202e\u00a0Qui\u00adspe"
CLEAN = "Ana María Quispe"


def _admin_headers(hub: OfficeHub, token: str) -> dict[str, str]:
    device = hub.authenticate(token)
    session = hub.login(device, LoginInput(username="admin", secret="97531"))
    return {"Authorization": f"Bearer {token}", "X-Clerk-Session": session.token}


def _clerk_headers(hub: OfficeHub, token: str) -> dict[str, str]:
    session = hub.login(hub.authenticate(token),
                        LoginInput(username="ana", secret="2468", counter=3))
    return {"Authorization": f"Bearer {token}", "X-Clerk-Session": session.token}


# --- over HTTP ---------------------------------------------------------------------------------

PERSON = {"doc_type": "DNI", "doc_number": "12345678", "given_names": "Ana",
          "paternal_surname": "Quispe"}
PRINT_JOB = {"id": "00000000-0000-7000-8000-0000000000aa", "kind": "ticket",
             "reference": TICKET, "state": "failed"}

# (method, path, JSON body or None, query, extra headers, the field the message names)
REFUSED: list[tuple[str, str, Any, dict[str, str], dict[str, str], str]] = [
    ("POST", "/tickets", {"service": "caja\x00"}, {}, {}, "service"),
    ("POST", "/expedientes", {"procedure": "RC-01", "person": {**PERSON, "given_names": "A\x00"}},
     {}, {}, "person.given_names"),
    ("POST", "/expedientes", {"procedure": "RC-01", "person": {**PERSON, "phone": "9\n9"}},
     {}, {}, "person.phone"),
    ("POST", "/expedientes", {"procedure": "RC-01", "note": "con\ttabulación"}, {}, {}, "note"),
    ("POST", "/expedientes", {"procedure": "RC-01", "details": {
        "kind": "partida", "search_note": "nació en 1990\x1b[2J"}}, {}, {},
     "details.partida.search_note"),
    ("POST", "/counters/3/pause", {"reason": "Refrigerio\r\n"}, {}, {}, "reason"),
    ("POST", "/counters/3/call", {"ticket_id": TICKET, "reason": "urgente\x85"}, {}, {},
     "reason"),
    ("POST", "/admin/users", {"username": "marisol", "full_name": "Rosa\x07", "role": "counter"},
     {}, {}, "full_name"),
    ("POST", "/admin/counters", {"number": 9, "name": "V9", "services": ["caja\x00"]}, {}, {},
     "services"),
    ("PATCH", "/admin/office", {"office_name": "CAC\x9b31m"}, {}, {}, "office_name"),
    ("POST", "/print-jobs", {**PRINT_JOB, "error_message": "sin papel\x00"}, {}, {},
     "error_message"),
    ("POST", "/sessions", {"username": "ana\x00", "secret": "2468"}, {}, {}, "username"),
    ("GET", "/persons", None, {"q": "ana\x00"}, {}, "q"),
    ("GET", "/actas", None, {"q": "quispe", "kind": "naci\tmiento"}, {}, "kind"),
    ("GET", "/expedientes", None, {"q": "CAJ\x1f2026"}, {}, "q"),
    ("GET", "/cash-closing", None, {"username": "ana\t"}, {}, "username"),
    ("GET", "/audit/access", None, {"person": "4\n"}, {}, "person"),
    ("GET", "/tickets/abc%00def", None, {}, {}, "ticket_id"),
    ("GET", "/expedientes/CAJ-2026%01-000001", None, {}, {}, "number"),
    ("GET", "/procedures/RC%7F01", None, {}, {}, "code"),
    ("POST", "/expedientes/CAJ-2026-000001/attachments", None, {},
     {"X-File-Name": "solicitud%00.pdf", "Content-Type": "application/pdf"}, "X-File-Name"),
]


@pytest.mark.parametrize(("method", "path", "body", "query", "headers", "field"), REFUSED,
                         ids=[f"{m} {p} {f}" for m, p, _, _, _, f in REFUSED])
def test_control_characters_are_a_spanish_422_over_http(
        server: RunningHub, hub: OfficeHub, tokens: dict[str, str], method: str, path: str,
        body: Any, query: dict[str, str], headers: dict[str, str], field: str) -> None:
    person = (_clerk_headers(hub, tokens["counter"]) if path.startswith("/counters/")
              else _admin_headers(hub, tokens["admin"]))  # a counter's work is its clerk's
    headers = {**person, **headers}
    if body is not None:
        headers["Content-Type"] = "application/json"
    before = row_counts(hub)
    answer = requests.request(
        method, f"{server.url}{API}{path}", params=query, timeout=10, headers=headers,
        data=files.pdf() if body is None and method == "POST" else
        None if body is None else json.dumps(body))
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "invalid_text"
    assert error["message"].startswith(f"«{field}» contiene ")
    assert "que no se admite" in error["message"]
    assert row_counts(hub) == before


def test_a_broken_unicode_character_is_refused_over_http(server: RunningHub, hub: OfficeHub,
                                                          tokens: dict[str, str]) -> None:
    answer = requests.post(f"{server.url}{API}/tickets", data=b'{"service": "caja\\ud800"}',
                           headers={**_admin_headers(hub, tokens["admin"]),
                                    "Content-Type": "application/json"}, timeout=10)
    assert answer.status_code == 422
    assert answer.json()["error"]["message"].startswith("«service» contiene un carácter Unicode "
                                                        "roto")


def test_names_lose_invisible_formatting_over_http(server: RunningHub, hub: OfficeHub,
                                                   tokens: dict[str, str]) -> None:
    headers = _admin_headers(hub, tokens["admin"])
    answer = requests.post(f"{server.url}{API}/admin/users", headers=headers, timeout=10,
                           json={"username": "marisol", "full_name": PASTED, "role": "counter"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["user"]["full_name"] == CLEAN
    answer = requests.post(f"{server.url}{API}/admin/pairings", headers=headers, timeout=10,
                           json={"name": "Quiosco\u2066 2\u2069", "role": "kiosk"})
    assert answer.json()["name"] == "Quiosco 2"
    answer = requests.post(f"{server.url}{API}/admin/users", headers=headers, timeout=10,
                           json={"username": "nadie", "full_name": "\u200b\u200d",
                                 "role": "counter"})
    assert answer.status_code == 422
    assert answer.json()["error"]["message"].startswith(
        "«full_name» contiene solo caracteres invisibles.")


# --- in-process --------------------------------------------------------------------------------


def test_every_text_field_of_every_input_model_refuses_a_nul() -> None:
    """The rule is declared once (kiosk/rules/text.py): no input model, of the API's bodies or
    of the clients', has a text field that lets a NUL through, whatever else the data holds."""
    walked: set[str] = set()
    for model in _subclasses(Input) + _subclasses(Body):
        for field, info in model.model_fields.items():
            if not _holds_text(info.annotation):
                continue
            value: Any = ["a\x00b"] if _is_list(info.annotation) else "a\x00b"
            with pytest.raises(ValidationError) as refused:
                model.model_validate({field: value})
            assert any(e["type"] == "invalid_text" for e in refused.value.errors()), (
                model.__name__, field)
            walked.add(f"{model.__name__}.{field}")
    assert {"PersonInput.given_names", "ActaInput.place", "TransitionInput.note",
            "UserInput.full_name", "CounterSetup.services", "IssueTicketBody.service",
            "PrintJobBody.error_message", "OfficeSettingsChange.central_url",
            "EdificacionDetails.professional_name"} <= walked
    assert len(walked) > 70


def _subclasses(model: type[BaseModel]) -> list[type[BaseModel]]:
    found = []
    for sub in model.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def _holds_text(annotation: Any) -> bool:
    return annotation is str or any(_holds_text(a) for a in typing.get_args(annotation))


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) is list or any(
        _is_list(a) for a in typing.get_args(annotation))


def test_models_clean_names_and_keep_lines_of_notes() -> None:
    person = PersonInput(doc_number="12345678", given_names=PASTED, paternal_surname="Q")
    assert person.given_names == CLEAN
    assert TransitionInput(action="observe", note="Falta el DNI.\r\nVolverá.").note == (
        "Falta el DNI.\nVolverá.")
    for bad in ({"note": "uno\tdos"}, {"area": "Archivo\ncentral"}):
        with pytest.raises(ValidationError):
            TransitionInput(action="observe", **bad)
    wide = PersonInput(doc_number="1", given_names="ＡＢＣ\u3000Ñ", paternal_surname="Q")
    assert wide.given_names == "ＡＢＣ Ñ"  # full-width letters stay letters; spaces are plain


def test_text_arguments_of_the_in_process_client_are_checked(hub: OfficeHub,
                                                              tokens: dict[str, str]) -> None:
    counter = InProcessHubClient(hub, tokens["counter"])
    counter.login(*CLERK, counter=3)
    number = counter.file_expediente(partida()).number
    before = row_counts(hub)
    cases = [
        ("q", lambda: counter.find_persons("ana\x00")),
        ("q", lambda: counter.search_expedientes("CAJ\n")),
        ("reason", lambda: counter.pause_counter(3, "Refrigerio\t")),
        ("X-File-Name", lambda: counter.attach(number, "a\x00.pdf", "application/pdf",
                                               files.pdf())),
        ("username", lambda: counter.cash_closing(None, "ana\x1b")),
        ("number", lambda: counter.expediente(f"{number}\x00")),
        ("service", lambda: counter.issue_ticket("caja\x00")),
        ("error_message", lambda: counter.report_print(
            PrintJobReport(**{**PRINT_JOB, "error_message": "sin\x00papel"}))),
    ]
    for field, action in cases:
        with pytest.raises(InvalidInput) as refused:
            action()
        assert refused.value.code == "invalid_text", field
        assert refused.value.message.startswith(f"«{field}» contiene "), refused.value.message
    assert row_counts(hub) == before
    # A printer's message may span lines; it is kept.
    job = counter.report_print(PrintJobReport(
        **{**PRINT_JOB, "error_message": "Sin papel.\nCambie el rollo."}))
    assert job.error_message == "Sin papel.\nCambie el rollo."


def test_hub_names_are_cleaned_in_process(hub: OfficeHub) -> None:
    user, _ = hub.add_user(SYSTEM, "marisol", PASTED, "counter")
    assert user.full_name == CLEAN
    device, _ = hub.add_device(SYSTEM, "Pantalla\ufeff sala", "display")
    assert device.name == "Pantalla sala"
    with pytest.raises(InvalidInput) as refused:
        hub.add_device(SYSTEM, "Pantalla\x00", "display")
    assert refused.value.message.startswith("«name» contiene un carácter nulo")


# --- the CLI and imported files ----------------------------------------------------------------


def test_cli_names_are_cleaned_and_control_characters_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office = str(tmp_path / "caj")
    assert main(["init", "--data-dir", office, "--office", "CAJ", "--name",
                 "CAC\u202e Cajamarca\u200b"]) == 0
    assert DataDir(Path(office)).load_config().office_name == "CAC Cajamarca"
    capsys.readouterr()
    assert main(["user", "add", "--data-dir", office, "--username", "marisol", "--name", PASTED,
                 "--role", "counter", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["full_name"] == CLEAN
    assert main(["user", "add", "--data-dir", office, "--username", "luisa", "--name",
                 "Luisa\x07", "--role", "counter"]) == 2
    assert "«full_name» contiene un carácter de control (U+0007)" in capsys.readouterr().err
    assert main(["init", "--data-dir", str(tmp_path / "otra"), "--office", "CEL", "--name",
                 "CAC\tCelendín"]) == 2
    assert "«name» contiene una tabulación" in capsys.readouterr().err


def test_a_csv_of_actas_with_control_characters_is_refused_whole(
        hub: OfficeHub, tmp_path: Path) -> None:
    bad = "nacimiento;70009;3;15;14/03/1990;20/03/1990;Caja\x00marca;Rosa;Quispe;;;;;;"
    path = write_csv(tmp_path / "malo.csv", *GOOD_LINES, bad)
    with pytest.raises(InvalidInput) as refused:
        hub.import_actas(SYSTEM, path)
    assert ("línea 5, columna «lugar»: contiene un carácter nulo (U+0000), que no se admite."
            in refused.value.message)
    pasted = "nacimiento;70010;3;15;14/03/1990;20/03/1990;Cajamarca;Ro\u200bsa;Qui\u00adspe;;;;;;"
    hub.import_actas(SYSTEM, write_csv(tmp_path / "bueno.csv", pasted))
    assert hub.search_actas(SYSTEM, "70010")[0].titular_name == "Rosa Quispe"


def test_a_tupa_catalogue_with_control_characters_is_refused(hub: OfficeHub,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "tupa.toml"
    path.write_text(tupa_partida(name="Copia\\u0000 certificada"), encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        hub.import_catalogue(SYSTEM, path)
    assert refused.value.code == "invalid_catalogue"
    assert refused.value.message.startswith("tupa.toml: «catálogo.procedures[1].name» contiene "
                                            "un carácter nulo (U+0000)")
