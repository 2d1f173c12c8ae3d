"""The queue panel: every action from its keyboard shortcut, against the real queue engine."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.errors import Conflict
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.views import CounterView, TicketView
from tests.ui.conftest import RecordedBoxes
from tests.ui.counter_support import COUNTER, ScriptedClient, issue
from ui.counter.state import CounterState
from ui.counter.window import CounterWindow


def hub_ticket(hub: OfficeHub, number: str) -> TicketView:
    snapshot = hub.queue(SYSTEM)
    counter = next(c for c in snapshot.counters if c.number == COUNTER)
    ticket_id = counter.current_ticket_id
    assert ticket_id is not None, f"{number} is not at the counter"
    return hub.ticket(SYSTEM, ticket_id)


def shown(window: CounterWindow, number: str, status: str) -> bool:
    held = window.state.held_ticket
    return held is not None and held.number == number and held.status == status \
        and window.queue.number.text() == number


def enabled(window: CounterWindow) -> set[str]:
    panel = window.queue
    buttons = {"call": panel.call, "recall": panel.recall, "start": panel.start,
               "no_show": panel.no_show, "transfer": panel.transfer, "finish": panel.finish,
               "pause": panel.pause, "close": panel.close_counter}
    return {name for name, button in buttons.items() if button.isEnabled()}


def call_first(qtbot: QtBot, window: CounterWindow, number: str) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: shown(window, number, "called"), timeout=10_000)


def test_f2_calls_the_next_ticket_and_shows_it_large(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub
) -> None:
    number = issue(hub, "partidas", "adulto_mayor")
    assert logged_in.queue.call.text() == "Llamar siguiente\nF2 · Espacio"
    call_first(qtbot, logged_in, number)
    assert number == "PA-001"
    assert "Registro Civil" in logged_in.queue.ticket_info.text()
    assert "Adulto mayor" in logged_in.queue.ticket_info.text()
    assert logged_in.queue.ticket_state.text().startswith("Llamado")
    assert enabled(logged_in) == {"recall", "start", "no_show", "transfer"}
    assert logged_in.queue.number.font().pointSize() != 0
    assert logged_in.queue.number.sizeHint().height() > \
        3 * logged_in.queue.ticket_info.sizeHint().height() / 2
    assert hub_ticket(hub, number).status == "called"


def test_call_next_with_nobody_waiting_says_so(qtbot: QtBot, logged_in: CounterWindow) -> None:
    qtbot.keyClick(logged_in, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: logged_in.queue.notice.isVisible(), timeout=10_000)
    assert logged_in.queue.notice.text() == "No hay personas en espera para esta ventanilla."
    assert logged_in.state.held_ticket is None


def test_space_calls_next_but_not_while_typing(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub
) -> None:
    number = issue(hub, "licencias")
    qtbot.keyClick(logged_in, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: logged_in.area.stack.currentWidget() is logged_in.form,
                    timeout=5_000)
    qtbot.keyClicks(logged_in.form.given_names, "Juan Carlos")
    qtbot.keyClick(logged_in.form.given_names, Qt.Key.Key_Space)
    assert logged_in.form.given_names.text() == "Juan Carlos "
    assert "call_next" not in logged_in._client.calls  # type: ignore[attr-defined]
    qtbot.keyClick(logged_in, Qt.Key.Key_Space)  # nothing focused wants it
    qtbot.waitUntil(lambda: shown(logged_in, number, "called"), timeout=10_000)


def test_recall_start_and_finish_from_the_keyboard(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub
) -> None:
    number = issue(hub)
    call_first(qtbot, logged_in, number)
    qtbot.keyClick(logged_in, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: logged_in.state.held_ticket is not None
                    and logged_in.state.held_ticket.recalls == 1, timeout=10_000)
    assert "rellamado 1×" in logged_in.queue.ticket_state.text()
    assert hub_ticket(hub, number).recalls == 1

    qtbot.keyClick(logged_in, Qt.Key.Key_F9)  # not yet: finishing needs a start
    assert not logged_in.queue.prompt.isVisible()
    qtbot.keyClick(logged_in, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: shown(logged_in, number, "serving"), timeout=10_000)
    assert enabled(logged_in) == {"transfer", "finish"}
    assert logged_in.queue.ticket_state.text().startswith("En atención")

    held = logged_in.state.held_ticket
    assert held is not None
    ticket_id = held.id
    qtbot.keyClick(logged_in, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: logged_in.queue.prompt.isVisible(), timeout=5_000)
    prompt = logged_in.queue.prompt
    assert prompt.choice.currentText() == "Atendido"
    assert [prompt.choice.itemText(i) for i in range(prompt.choice.count())] == \
        ["Atendido", "Observado", "Derivado", "Desistió"]
    prompt.choice.setCurrentIndex(prompt.choice.findData("observado"))
    qtbot.keyClick(prompt.choice, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: logged_in.state.held_ticket is None, timeout=10_000)
    assert logged_in.queue.number.text() == "Sin turno"
    assert f"Turno {number} finalizado." in logged_in.queue.notice.text()
    finished = hub.ticket(SYSTEM, ticket_id)
    assert (finished.status, finished.outcome) == ("finished", "observado")


def test_esc_cancels_a_prompt(qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub) -> None:
    number = issue(hub)
    call_first(qtbot, logged_in, number)
    qtbot.keyClick(logged_in, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: logged_in.queue.prompt.isVisible(), timeout=5_000)
    qtbot.keyClick(logged_in.queue.prompt.choice, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not logged_in.queue.prompt.isVisible(), timeout=5_000)
    assert shown(logged_in, number, "called")


def test_no_show_with_f6(qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub) -> None:
    number = issue(hub)
    call_first(qtbot, logged_in, number)
    qtbot.keyClick(logged_in, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: logged_in.state.held_ticket is None, timeout=10_000)
    assert logged_in.queue.notice.text() == f"Turno {number}: no se presentó."
    assert number in hub.queue(SYSTEM).missed


def test_transfer_with_f7_to_another_service(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub
) -> None:
    number = issue(hub, "partidas")
    call_first(qtbot, logged_in, number)
    qtbot.keyClick(logged_in, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: logged_in.queue.prompt.isVisible(), timeout=5_000)
    choice = logged_in.queue.prompt.choice
    codes = [choice.itemData(i) for i in range(choice.count())]
    assert "partidas" not in codes and "caja" in codes  # not to its own service
    choice.setCurrentIndex(choice.findData("caja"))
    qtbot.keyClick(choice, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: logged_in.state.held_ticket is None, timeout=10_000)
    assert logged_in.queue.notice.text() == f"Turno {number} transferido a Caja."
    caja = next(s for s in hub.queue(SYSTEM).services if s.service == "caja")
    assert [t.number for t in caja.tickets] == [number]


def test_pause_with_a_reason_and_resume_with_f10(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub
) -> None:
    qtbot.keyClick(logged_in, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: logged_in.queue.prompt.isVisible(), timeout=5_000)
    combo = logged_in.queue.prompt.choice
    assert combo.isEditable() and combo.currentText() == ""
    qtbot.keyClick(combo, Qt.Key.Key_Return)  # a pause needs a reason
    assert logged_in.queue.prompt.isVisible()
    assert "Elija o escriba" in logged_in.queue.prompt.title.text()
    qtbot.keyClicks(combo, "Refrigerio")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: logged_in.state.counter is not None
                    and logged_in.state.counter.state == "paused", timeout=10_000)
    counter = next(c for c in hub.counters(SYSTEM) if c.number == COUNTER)
    assert (counter.state, counter.pause_reason) == ("paused", "Refrigerio")
    assert logged_in.queue.counter_state.text() == "En pausa: Refrigerio"
    assert logged_in.queue.pause.text() == "Reanudar (F10)"
    assert enabled(logged_in) == {"pause", "close"}
    qtbot.keyClick(logged_in, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: logged_in.state.counter is not None
                    and logged_in.state.counter.state == "open", timeout=10_000)
    assert enabled(logged_in) == {"call", "pause", "close"}


def test_close_the_counter_with_f12_after_confirming_and_open_it_again(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, message_boxes: RecordedBoxes
) -> None:
    message_boxes.answer = False
    qtbot.keyClick(logged_in, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: len(message_boxes.shown) == 1, timeout=5_000)
    assert message_boxes.shown[0][:2] == ("confirm", "Cerrar ventanilla")
    assert logged_in.state.counter is not None and logged_in.state.counter.state == "open"
    message_boxes.answer = True
    qtbot.keyClick(logged_in, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: logged_in.state.counter is not None
                    and logged_in.state.counter.state == "closed", timeout=10_000)
    assert logged_in.queue.call.text() == "Abrir ventanilla\nF2"
    assert enabled(logged_in) == {"call"}
    qtbot.keyClick(logged_in, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: logged_in.state.counter is not None
                    and logged_in.state.counter.state == "open", timeout=10_000)
    assert next(c for c in hub.counters(SYSTEM) if c.number == COUNTER).state == "open"


def test_waiting_counts_refresh_on_the_timer_with_numbers_only(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, qtmodeltester: object
) -> None:
    for service in ("partidas", "partidas", "caja"):
        issue(hub, service)
    issue(hub, "partidas", "gestante")
    logged_in.refresh_timer.timeout.emit()
    model = logged_in.queue.waiting_model
    qtbot.waitUntil(lambda: model.waiting_for(own_only=False) == 4, timeout=10_000)
    rows = {model.index(r, 0).data(): [model.index(r, c).data() for c in range(1, 3)]
            for r in range(model.rowCount())}
    assert rows["A · Registro Civil (partidas)"] == ["3", "1"]
    assert rows["C · Caja"] == ["1", "0"]
    # The counter's own services first.
    assert [model.index(r, 0).data()[0] for r in range(2)] == ["L", "A"]
    assert logged_in.queue.waiting_total.text() == "3 personas esperan en sus servicios."
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_a_refused_action_is_explained_without_a_dialog(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, message_boxes: RecordedBoxes
) -> None:
    issue(hub)
    client: ScriptedClient = logged_in._client  # type: ignore[assignment]
    client.fail("call_next", Conflict("counter_busy", "La ventanilla 3 ya tiene el turno A-009."))
    qtbot.keyClick(logged_in, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: logged_in.queue.notice.isVisible(), timeout=10_000)
    assert logged_in.queue.notice.text() == "La ventanilla 3 ya tiene el turno A-009."
    assert logged_in.queue.notice.kind == "error"
    assert message_boxes.shown == []


def _counter(state: str) -> CounterView:
    return CounterView(number=3, name="Ventanilla 3", state=state, pause_reason=None,
                       current_ticket=None, current_ticket_id=None, services=["partidas"])


def _ticket(status: str) -> TicketView:
    from datetime import UTC, datetime

    return TicketView(id="t", number="A-001", service="partidas", preferential=None,
                      status=status, issued_at=datetime(2026, 11, 20, 13, tzinfo=UTC))


@pytest.mark.parametrize(("counter", "ticket", "legal"), [
    (None, None, set()),
    ("closed", None, {"open"}),
    ("paused", None, {"resume", "close"}),
    ("open", None, {"call", "pause", "close"}),
    ("open", "called", {"recall", "start", "no_show", "transfer"}),
    ("open", "serving", {"transfer", "finish"}),
    ("open", "finished", {"call", "pause", "close"}),
])
def test_legal_actions_follow_the_queue_rules(counter: str | None, ticket: str | None,
                                              legal: set[str]) -> None:
    state = CounterState(_counter(counter) if counter else None,
                         _ticket(ticket) if ticket else None)
    assert state.legal() == legal
