"""The Printer service: jobs, failures that never raise, reprints and the finished-job hook."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.clock import VirtualClock
from kiosk.config import OfficeConfig
from kiosk.services.views import PrintJobReport
from printing import jobs
from printing.backends import DummyBackend, FileBackend
from printing.errors import PrinterError
from printing.jobs import JobState, Printer, PrintJob
from printing.layout import receipt_layout, ticket_layout
from tests.printing.conftest import RECEIPT, TICKET, WHEN
from tests.printing.escpos_decoder import decode


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(WHEN)


@pytest.fixture
def finished() -> list[PrintJob]:
    return []


@pytest.fixture
def backend() -> DummyBackend:
    return DummyBackend()


@pytest.fixture
def printer(backend: DummyBackend, clock: VirtualClock, finished: list[PrintJob]) -> Printer:
    return Printer(backend, width_mm=80, clock=clock, on_job_finished=finished.append)


def test_a_ticket_prints(printer: Printer, backend: DummyBackend, finished: list[PrintJob]
                         ) -> None:
    job = printer.print(ticket_layout(TICKET), "ticket", "ticket-123")
    assert job.ok and job.state is JobState.PRINTED
    assert (job.kind, job.reference, job.attempts, job.reprint) == ("ticket", "ticket-123", 1,
                                                                    False)
    assert job.created_at == job.finished_at == WHEN
    assert job.error_code is None and job.error_message is None
    assert backend.sent == [printer.render(ticket_layout(TICKET))]
    assert job.size_bytes == len(backend.sent[0])
    assert finished == [job] and printer.history == [job]


@pytest.mark.parametrize(("fail", "message"), [
    ("offline", "La impresora no responde (sin conexión)."),
    ("no_paper", "La impresora no tiene papel."),
    ("timeout", "Tiempo de espera agotado al imprimir."),
])
def test_printer_faults_give_failed_jobs_not_exceptions(
        printer: Printer, backend: DummyBackend, finished: list[PrintJob], fail: str,
        message: str) -> None:
    backend.fail = fail
    job = printer.print(receipt_layout(RECEIPT), "receipt", "receipt-45")
    assert job.state is JobState.FAILED and not job.ok
    assert (job.error_code, job.error_message) == (fail, message)
    assert finished == [job]


def test_failed_ticket_is_reprinted_marked(printer: Printer, backend: DummyBackend,
                                           clock: VirtualClock, finished: list[PrintJob]
                                           ) -> None:
    backend.fail = "no_paper"
    failed = printer.print(ticket_layout(TICKET), "ticket", "ticket-123")
    assert failed.state is JobState.FAILED
    backend.fail = None  # paper loaded
    clock.advance(timedelta(minutes=2))
    again = printer.reprint(failed)
    assert again.ok and again.reprint and again.error_code is None
    # The same job, one more attempt: the hub's row for it goes from failed to printed.
    assert (again.id, again.reference, again.attempts) == (failed.id, "ticket-123", 2)
    assert (again.created_at, again.finished_at) == (WHEN, WHEN + timedelta(minutes=2))
    decoded = decode(backend.sent[-1])
    assert decoded.text.count("REIMPRESIÓN") == 1
    banner = next(line for line in decoded.lines if line.text == "REIMPRESIÓN")
    assert banner.bold and banner.width == 2
    assert "A-023" in decoded.text
    assert [j.state for j in finished] == [JobState.FAILED, JobState.PRINTED]
    # A reprint of a reprint is still marked once.
    assert printer.reprint(again).attempts == 3
    assert decode(backend.sent[-1]).text.count("REIMPRESIÓN") == 1


def test_print_with_reprint_flag_marks_the_bytes(printer: Printer, backend: DummyBackend
                                                 ) -> None:
    job = printer.print(ticket_layout(TICKET), "ticket", "t", reprint=True)
    assert job.reprint
    assert "REIMPRESIÓN" in decode(backend.sent[-1]).text
    printer.print(ticket_layout(TICKET), "ticket", "t")
    assert "REIMPRESIÓN" not in decode(backend.sent[-1]).text


def test_retry_sends_the_same_job_again(printer: Printer, backend: DummyBackend) -> None:
    backend.fail = "offline"
    failed = printer.print(ticket_layout(TICKET), "ticket", "t")
    backend.fail = None
    retried = printer.retry(failed)
    assert (retried.id, retried.attempts, retried.state) == (failed.id, 2, JobState.PRINTED)
    assert retried.error_code is None
    assert "REIMPRESIÓN" not in decode(backend.sent[-1]).text
    with pytest.raises(ValueError, match="only a failed job"):
        printer.retry(retried)


def test_a_broken_hook_does_not_break_printing(backend: DummyBackend,
                                               caplog: pytest.LogCaptureFixture) -> None:
    def broken(job: PrintJob) -> None:
        raise RuntimeError("hub down")

    job = Printer(backend, on_job_finished=broken).print(ticket_layout(TICKET), "ticket", "t")
    assert job.ok
    assert "on_job_finished hook failed" in caplog.text


def test_render_errors_fail_the_job(printer: Printer, monkeypatch: pytest.MonkeyPatch,
                                    caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: object) -> bytes:
        raise KeyError("bug")

    monkeypatch.setattr(jobs, "render_bytes", broken)
    job = printer.print(ticket_layout(TICKET), "ticket", "t")
    assert (job.state, job.error_code) == (JobState.FAILED, "render_failed")
    assert job.error_message == "No se pudo preparar la impresión (KeyError)."


def test_unexpected_backend_errors_fail_the_job(printer: Printer, backend: DummyBackend,
                                                monkeypatch: pytest.MonkeyPatch,
                                                caplog: pytest.LogCaptureFixture) -> None:
    def explode(data: bytes, job_id: str | None = None) -> None:
        raise RuntimeError("driver bug")

    monkeypatch.setattr(backend, "send", explode)
    job = printer.print(ticket_layout(TICKET), "ticket", "t")
    assert (job.state, job.error_code) == (JobState.FAILED, "failed")
    assert "driver bug" in (job.error_message or "")


def test_job_report_is_json_and_fits_the_hub(printer: Printer, backend: DummyBackend) -> None:
    job = printer.print(ticket_layout(TICKET), "ticket", "t")
    report = json.loads(json.dumps(job.to_dict()))
    assert report["state"] == "printed" and report["kind"] == "ticket"
    assert report["created_at"].startswith("2026-11-20T13:15:00")
    assert "layout" not in report
    backend.fail = "no_paper"
    failed = printer.print(receipt_layout(RECEIPT), "receipt", "r-45")
    hub_report = PrintJobReport.model_validate(failed.to_dict())
    assert (hub_report.id, hub_report.state, hub_report.error_code) == (
        failed.id, "failed", "no_paper")


def test_from_config_uses_width_code_page_and_backend(tmp_path: Path) -> None:
    config = OfficeConfig(office_code="CAJ", office_name="CAC", printer_backend="file",
                          printer_target="cola", printer_width_mm=58, printer_codepage="cp850")
    printer = Printer.from_config(config, tmp_path)
    assert isinstance(printer.backend, FileBackend)
    job = printer.print(ticket_layout(TICKET), "ticket", "t")
    data = (tmp_path / "cola" / f"{job.id}.bin").read_bytes()
    decoded = decode(data)
    assert decoded.codepage == 2
    assert max(len(line.text) * line.width for line in decoded.lines) <= 32
    with pytest.raises(PrinterError, match="CP858, CP850 o CP1252"):
        Printer.from_config(replace(config, printer_codepage="CP437"), tmp_path)


def test_unknown_kind_is_a_programming_error(printer: Printer) -> None:
    with pytest.raises(ValueError, match="unknown print kind"):
        printer.print(ticket_layout(TICKET), "boleta", "t")
