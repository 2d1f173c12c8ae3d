"""The kiosk prints on its own printer and reports every job; a dead printer raises an alert."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.client.http import HttpHubClient
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import OfficeSettingsChange
from printing.backends import DummyBackend
from printing.encoding import printable_text
from printing.layout import TicketWords
from tests.conftest import SUPERVISOR, RunningHub
from tests.contract.test_admin_client import ADMIN, png
from tests.printing.escpos_decoder import decode
from tests.ui.test_kiosk import service_button
from tests.ui.test_kiosk_i18n import _messages
from ui.assets import I18N
from ui.kiosk.printer_adapter import HubReportingPrinter, printer_config, printer_for
from ui.kiosk.window import KioskWindow, ticket_words


@pytest.fixture
def clients(server: RunningHub, tokens: dict[str, str]) -> Iterator[dict[str, HttpHubClient]]:
    made = {role: HttpHubClient(server.url, tokens[role], timeout=5)
            for role in ("kiosk", "supervisor")}
    made["supervisor"].login(*SUPERVISOR)  # print jobs and alerts are a person's reads
    yield made
    for client in made.values():
        client.close()


@pytest.fixture
def printer(clients: dict[str, HttpHubClient], data_dir: DataDir) -> HubReportingPrinter:
    config = replace(data_dir.load_config(), printer_backend="dummy")
    return HubReportingPrinter(clients["kiosk"], config, data_dir.root)


def test_ticket_bytes_reach_the_printer_and_the_job_is_reported(
    qtbot: QtBot, clients: dict[str, HttpHubClient], printer: HubReportingPrinter
) -> None:
    window = KioskWindow(clients["kiosk"], printer)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.start, timeout=10_000)
    backend = printer.printer.backend
    assert isinstance(backend, DummyBackend)

    qtbot.mouseClick(service_button(window.start, "partidas"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket, timeout=10_000)
    printed = decode(backend.sent[0])
    assert "A-001" in printed.text and "CAC Cajamarca" in printed.text
    # No QR: the ticket's place in the queue is known in the office only, no phone can open it.
    assert printed.ends_with_cut and printed.qr_payloads == []
    jobs = clients["supervisor"].print_jobs()
    assert [(j.kind, j.state) for j in jobs] == [("ticket", "printed")]
    assert clients["supervisor"].alerts() == []

    backend.fail = "no_paper"
    qtbot.mouseClick(service_button(window.start, "caja"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ticket.number.text() == "C-001", timeout=10_000)
    assert window.ticket.printed.property("failed") is True
    failed = clients["supervisor"].print_jobs(state="failed")
    assert len(failed) == 1 and "papel" in (failed[0].error_message or "")
    alerts = clients["supervisor"].alerts()
    assert alerts and "papel" in alerts[0].message

    # Paper changed: one touch prints the same ticket again, marked, and the alert clears.
    assert window.ticket.reprint.isVisible()
    backend.fail = None
    qtbot.mouseClick(window.ticket.reprint, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ticket.printed.property("failed") is False, timeout=10_000)
    reprinted = decode(backend.sent[-1])
    assert "REIMPRESIÓN" in reprinted.text and "C-001" in reprinted.text
    assert not window.ticket.reprint.isVisible()
    assert clients["supervisor"].print_jobs(state="failed") == []
    assert clients["supervisor"].alerts() == []
    window.close()


def test_reports_the_hub_missed_are_sent_with_the_next_job(
    printer: HubReportingPrinter, clients: dict[str, HttpHubClient], server: RunningHub
) -> None:
    ticket = clients["kiosk"].issue_ticket("partidas")
    real_report = clients["kiosk"].report_print
    calls: list[str] = []

    def flaky(report):  # type: ignore[no-untyped-def]
        calls.append(report.id)
        if len(calls) == 1:
            from kiosk.errors import HubUnavailable
            raise HubUnavailable("hub_unavailable", "sin hub")
        return real_report(report)

    clients["kiosk"].report_print = flaky  # type: ignore[method-assign]
    first = printer.print_ticket(ticket, "Partidas")
    second = printer.print_ticket(ticket, "Partidas")
    assert first.ok and second.ok
    reported = {j.id for j in clients["supervisor"].print_jobs()}
    assert reported == {first.job_id, second.job_id}


def test_without_a_config_the_kiosk_prints_to_files(tmp_path, clients) -> None:  # type: ignore[no-untyped-def]
    adapter = printer_for(clients["kiosk"], DataDir(tmp_path / "kiosk-pc"))
    ticket = clients["kiosk"].issue_ticket("caja")
    assert adapter.print_ticket(ticket, "Caja").ok
    files = list((tmp_path / "kiosk-pc" / "impresiones").glob("*.bin"))
    assert len(files) == 1 and "C-001" in decode(files[0].read_bytes()).text


def test_a_pc_with_an_empty_folder_prints_the_office_the_admin_saved(
    tmp_path: Path, server: RunningHub, tokens: dict[str, str],
    clients: dict[str, HttpHubClient]
) -> None:
    """A LAN kiosk whose own data folder is empty (no config.toml) prints the office's name
    and municipality as the admin saved them in the hub, and a later change without a
    restart once what it knew is old (here: at once)."""
    admin = HttpHubClient(server.url, tokens["admin"], timeout=5)
    admin.login(*ADMIN)
    admin.change_office_settings(OfficeSettingsChange(
        office_name="CAC Baños del Inca",
        municipality="Municipalidad Distrital de Los Baños del Inca"))
    folder = DataDir(tmp_path / "kiosk-pc")
    adapter = printer_for(clients["kiosk"], folder)
    assert not folder.exists()  # this PC has no office of its own
    assert adapter.print_ticket(clients["kiosk"].issue_ticket("caja"), "Caja").ok
    [first] = (folder.root / "impresiones").glob("*.bin")
    printed = decode(first.read_bytes())
    assert [line.text for line in printed.lines[:2]] == [
        "Municipalidad Distrital de Los Baños del Inca", "CAC Baños del Inca"]
    assert printed.qr_payloads == []

    fresh = HubReportingPrinter(clients["kiosk"],
                                replace(printer_config(folder), printer_backend="dummy"),
                                folder.root, identity_max_age_s=0)
    assert fresh.print_ticket(clients["kiosk"].issue_ticket("caja"), "Caja").ok
    admin.change_office_settings(OfficeSettingsChange(
        municipality="Municipalidad Provincial de Cajamarca"))
    admin.close()
    assert fresh.print_ticket(clients["kiosk"].issue_ticket("caja"), "Caja").ok
    backend = fresh.printer.backend
    assert isinstance(backend, DummyBackend)
    assert decode(backend.sent[0]).lines[0].text == "Municipalidad Distrital de Los Baños del Inca"
    assert decode(backend.sent[1]).lines[0].text == "Municipalidad Provincial de Cajamarca"


def test_the_office_logo_set_by_the_admin_is_on_every_ticket(
    server: RunningHub, tokens: dict[str, str], clients: dict[str, HttpHubClient],
    printer: HubReportingPrinter
) -> None:
    admin = HttpHubClient(server.url, tokens["admin"], timeout=5)
    try:
        admin.login(*ADMIN)
        assert admin.set_logo(png()).has_logo
    finally:
        admin.close()
    issued = clients["kiosk"].issue_ticket("partidas")
    assert printer.print_ticket(issued, "Partidas").ok
    backend = printer.printer.backend
    assert isinstance(backend, DummyBackend)
    printed = decode(backend.sent[-1])
    assert len(printed.images) == 1 and printed.images[0].black > 0
    assert printed.commands.index("image") < printed.commands.index("line")
    assert issued.number in printed.text


def _flat(text: str) -> str:
    """The printed words with line breaks as spaces (a long line wraps on 58 mm paper)."""
    return " ".join(word for line in text.splitlines() for word in printable_text(line).split())


def _fixed_parts(template: str) -> list[str]:
    """A template's words around its numbers: «Personas delante: %1» -> «Personas delante»."""
    parts = (part.strip(" :–-") for part in re.split(r"%\d", template))
    return [_flat(part) for part in parts if len(part.strip(" :–-")) > 3]


@pytest.mark.parametrize("language", ["qu", "ay"])
def test_a_ticket_prints_in_the_kiosk_language_throughout(
    qtbot: QtBot, clients: dict[str, HttpHubClient], printer: HubReportingPrinter,
    hub: OfficeHub, language: str
) -> None:
    translated = {source: text for source, (text, _kind) in
                  _messages(I18N / f"kiosk_{language}.ts").items()}
    spanish = TicketWords()
    window = KioskWindow(clients["kiosk"], printer)
    qtbot.addWidget(window)
    window.show()
    backend = printer.printer.backend
    assert isinstance(backend, DummyBackend)
    try:
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.start, timeout=10_000)
        printed: list[str] = []
        for counter_open in (False, True):  # no counter for partidas yet; then ventanilla 2
            if counter_open:
                hub.open_counter(SYSTEM, 2)
            qtbot.mouseClick(window.start.language_buttons[language], Qt.MouseButton.LeftButton)
            qtbot.mouseClick(window.start.preferential_buttons["discapacidad"],
                             Qt.MouseButton.LeftButton)
            qtbot.mouseClick(service_button(window.preferential, "partidas"),
                             Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: window.stack.currentWidget() is window.ticket
                            and len(backend.sent) > len(printed), timeout=10_000)
            text = _flat(decode(backend.sent[-1]).text)
            printed.append(text)
            wanted = [spanish.people_ahead, spanish.preferential, spanish.call,
                      spanish.wait_range if counter_open else spanish.no_counter]
            for template in wanted:
                for part in _fixed_parts(translated[template]):
                    assert part in text, (template, part, text)
            for word in (translated["Discapacidad"], translated["Partidas"]):
                assert _flat(word) in text
            qtbot.mouseClick(window.ticket.done, Qt.MouseButton.LeftButton)
        # Paper jammed: the reprint is marked in the same language.
        job = printer.history[-1]
        printer.reprint(job.id)
        printed.append(_flat(decode(backend.sent[-1]).text))
        assert _fixed_parts(translated[spanish.reprint])[0] in printed[-1]
        # Not half Spanish: no Spanish sentence of the ticket is left on any of them.
        for template in asdict(spanish).values():
            if isinstance(template, str):
                for part in _fixed_parts(template):
                    assert not any(part in text for text in printed), (part, printed)
    finally:
        window.reset()  # the translator is the application's: later tests expect Spanish
        window.close()


def test_the_kiosk_spanish_ticket_says_what_the_layout_says() -> None:
    """Each ticket text is written once: the kiosk's Spanish is the layout's own."""
    kiosk, layout = asdict(ticket_words()), asdict(TicketWords())
    assert kiosk.pop("categories").keys() == layout.pop("categories").keys()
    assert kiosk == layout


def test_paper_says_the_hubs_time_not_this_pcs(clients: dict[str, HttpHubClient],
                                               data_dir: DataDir, clock: VirtualClock) -> None:
    """A PC whose clock is wrong (this one's says today; the hub's virtual clock says 20 Nov
    2026) prints the hub's time: its time at the last answer plus what this PC's monotonic
    clock counted since."""
    ticks = [5_000.0]
    printer = HubReportingPrinter(clients["kiosk"], printer_config(data_dir), data_dir.root,
                                  monotonic=lambda: ticks[0])
    assert printer.hub_now() == clock.now()
    ticks[0] += 90  # a minute and a half later on this PC; the identity is still fresh
    assert printer.hub_now() == clock.now() + timedelta(seconds=90)
