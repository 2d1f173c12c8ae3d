"""The counter's controllers without a window: each owns its hub calls, driven here against the
demo office through the in-process client, with a runner that runs the work at once (or when
the test says) instead of the window's worker thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.errors import CacError
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import (
    CashClosing,
    ExpedienteInput,
    ExpedienteView,
    PartidaDetails,
    PaymentInput,
    PersonInput,
)
from tests.conftest import CLERK
from tests.printing.escpos_decoder import decode
from tests.ui.counter_support import COUNTER, ScriptedClient, issue, printed_backend
from ui.counter import document_control
from ui.counter.cash_control import CashControl
from ui.counter.document_control import DocumentControl
from ui.counter.expediente_control import ExpedienteControl, Paid
from ui.counter.printer import HubCounterPrinter
from ui.counter.queue_control import Poll, QueueControl
from ui.kiosk.printer_port import PrintOutcome


@dataclass
class Runner:
    """The window's runner without threads: the work now (or, `held`, when `release()` is
    called), then its answer or refusal; a refusal nobody asked for is kept."""

    held: bool = False
    pending: list[Callable[[], None]] = field(default_factory=list)
    refusals: list[CacError] = field(default_factory=list)

    def __call__(self, work: Callable[[], Any], on_result: Callable[[Any], None],
                 on_error: Callable[[CacError], None] | None = None) -> None:
        def run() -> None:
            try:
                result = work()
            except CacError as exc:
                (on_error or self.refusals.append)(exc)
                return
            on_result(result)

        if self.held:
            self.pending.append(run)
        else:
            run()

    def release(self) -> None:
        pending, self.pending = self.pending, []
        for run in pending:
            run()


@pytest.fixture
def clerk_client(counter_client: ScriptedClient) -> ScriptedClient:
    counter_client.login(*CLERK, COUNTER)
    return counter_client


def filed(client: ScriptedClient) -> ExpedienteView:
    expediente: ExpedienteView = client.file_expediente(ExpedienteInput(
        procedure="RC-01", requirements_presented=[1, 2],
        person=PersonInput(doc_number="41234567", given_names="María Elena",
                           paternal_surname="Ñahui", maternal_surname="Quispe"),
        details=PartidaDetails(search_note="Nacida en Cajamarca hacia 1990")))
    return expediente


def test_the_queue_control_opens_its_counter_calls_and_drops_a_stale_poll(
    qapp: QApplication, hub: OfficeHub, clerk_client: ScriptedClient
) -> None:
    run = Runner()
    shift = QueueControl(clerk_client, run)  # type: ignore[arg-type]
    polls: list[Poll] = []
    shift.polled.connect(polls.append)
    started: list[bool] = []
    shift.started.connect(lambda: started.append(True))
    assert next(c for c in hub.counters(SYSTEM) if c.number == COUNTER).state == "closed"

    shift.start(COUNTER)
    assert started == [True] and shift.services and shift.procedures
    assert shift.state.counter is not None and shift.state.counter.state == "open"
    assert polls[-1].counter == shift.state.counter
    assert not shift.act("finish", "atendido", lambda *_: None)  # nothing held: not asked
    assert "finish" not in clerk_client.calls

    number = issue(hub)
    stale = shift.poll(COUNTER)  # a look begun before the call ...
    before = shift.generation
    answers: list[tuple[str, object]] = []
    assert shift.act("call", "", lambda action, answer: answers.append((action, answer)))
    held = shift.state.held_ticket
    assert held is not None and held.number == number and answers[0][0] == "call"
    shift.apply(stale, before)  # ... arriving after it changes nothing
    assert shift.state.held_ticket == held
    assert run.refusals == []


def test_the_queue_control_keeps_the_expedientes_of_the_held_ticket(
    qapp: QApplication, hub: OfficeHub, clerk_client: ScriptedClient
) -> None:
    shift = QueueControl(clerk_client, Runner())  # type: ignore[arg-type]
    handled: list[list[str]] = []
    shift.handled_changed.connect(lambda numbers: handled.append(list(numbers)))
    shift.start(COUNTER)
    shift.add_handled("E-1")  # no ticket held: belongs to nobody
    assert shift.handled == []
    issue(hub)
    shift.act("call", "", lambda *_: None)
    shift.add_handled("E-1")
    shift.add_handled("E-1")
    assert shift.handled == ["E-1"] and handled[-1] == ["E-1"]
    ticket_id = shift.ticket_id()
    assert ticket_id is not None
    shift.act("start", "", lambda *_: None)
    shift.act("finish", "atendido", lambda *_: None)
    assert shift.last_finished is not None and shift.last_finished.id == ticket_id
    shift.citizen_done()
    assert shift.handled == [] and handled[-1] == []


def test_a_payment_prints_its_receipt_and_the_hub_records_it(
    qapp: QApplication, clerk_client: ScriptedClient, counter_printer: HubCounterPrinter
) -> None:
    run = Runner()
    documents = DocumentControl(clerk_client, counter_printer, run)  # type: ignore[arg-type]
    expedientes = ExpedienteControl(clerk_client, documents, run)  # type: ignore[arg-type]
    expediente = filed(clerk_client)
    answers: list[Paid] = []
    expedientes.pay(expediente.number, PaymentInput(amount=expediente.balance),
                    answers.append, run.refusals.append)
    (payment, fresh, outcome), = answers
    assert outcome is not None and outcome.ok and fresh.balance == 0
    assert fresh.times_issued("receipt", payment.receipt_number) == 1
    assert expedientes.last_payment == payment
    assert payment.receipt_number in decode(printed_backend(counter_printer).sent[-1]).text


def test_a_second_cargo_is_a_reprint_and_a_press_in_flight_asks_nothing(
    qapp: QApplication, clerk_client: ScriptedClient, counter_printer: HubCounterPrinter
) -> None:
    run = Runner(held=True)
    documents = DocumentControl(clerk_client, counter_printer, run)  # type: ignore[arg-type]
    number = filed(clerk_client).number
    issued: list[tuple[Any, ExpedienteView]] = []

    def keep(result: Any, fresh: ExpedienteView) -> None:
        issued.append((result, fresh))

    assert documents.print_cargo(number, keep, run.refusals.append)
    assert not documents.print_cargo(number, keep, run.refusals.append)  # still printing
    run.release()
    assert documents.print_cargo(number, keep, run.refusals.append)  # done: may print again
    run.release()
    backend = printed_backend(counter_printer)
    first, second = (decode(sent).text for sent in backend.sent[-2:])
    assert "REIMPRESIÓN" not in first and "REIMPRESIÓN" in second
    assert [d.reprint for d in issued[-1][1].documents] == [False, True]
    assert all(isinstance(result, PrintOutcome) and result.ok for result, _ in issued)
    assert len(issued) == 2 and run.refusals == []


def test_an_attachment_too_large_is_refused_before_the_hub_is_asked(
    qapp: QApplication, clerk_client: ScriptedClient, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document_control, "ATTACHMENT_READ_LIMIT", 10)
    run = Runner()
    documents = DocumentControl(clerk_client, None, run)  # type: ignore[arg-type]
    scan = tmp_path / "escaneo.pdf"
    scan.write_bytes(b"%PDF-1.4 " + b"x" * 20)
    refused: list[CacError] = []
    documents.attach(filed(clerk_client).number, scan, lambda *_: None, refused.append)
    assert [error.code for error in refused] == ["attachment_too_large"]
    assert "escaneo.pdf" in refused[0].message and "attach" not in clerk_client.calls


def test_the_cash_closing_is_read_and_its_second_print_says_reprint(
    qapp: QApplication, clerk_client: ScriptedClient, counter_printer: HubCounterPrinter
) -> None:
    run = Runner()
    cash = CashControl(clerk_client, counter_printer, run)  # type: ignore[arg-type]
    expediente = filed(clerk_client)
    clerk_client.pay(expediente.number, PaymentInput(amount=expediente.balance))
    shown: list[CashClosing] = []
    cash.load(None, shown.append, run.refusals.append)
    closing = shown[-1]
    assert closing.total == expediente.balance and closing.printed == 0
    printed: list[tuple[PrintOutcome | None, CashClosing]] = []
    cash.print(closing, printed.append, run.refusals.append)
    cash.print(closing, printed.append, run.refusals.append)
    assert [fresh.printed for _outcome, fresh in printed] == [1, 2]
    first, second = (decode(sent).text for sent in printed_backend(counter_printer).sent[-2:])
    assert "REIMPRESIÓN" not in first and "REIMPRESIÓN" in second
    assert run.refusals == []
