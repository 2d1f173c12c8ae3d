"""The counter's login, idle lock and logout, against the demo office's clerks."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from kiosk.client.inprocess import InProcessHubClient
from kiosk.errors import HubUnavailable, RateLimited, Unauthorized
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import LoginInput
from tests.conftest import CLERK, RATED_AT
from tests.ui.conftest import RecordedBoxes
from tests.ui.counter_support import COUNTER, QUIET, ScriptedClient, log_in, make_window
from ui.counter.window import CounterWindow


def test_login_shows_the_clerk_and_opens_the_counter(
    qtbot: QtBot, counter_window: CounterWindow, hub: OfficeHub
) -> None:
    window = counter_window
    assert window.login.secret.echoMode() == QLineEdit.EchoMode.Password
    assert window.login.counter.currentData() == COUNTER
    assert window.login.office.text() == "CAC Cajamarca"
    log_in(qtbot, window)
    assert window.work.clerk.text() == f"Ana Torres Chávez · Ventanilla {COUNTER}"
    assert window.work.office.text() == "CAC Cajamarca"
    counter = next(c for c in hub.counters(SYSTEM) if c.number == COUNTER)
    assert counter.state == "open"
    assert window.queue.counter_state.text() == "Abierta"
    assert window.queue.call.isEnabled() and window.queue.call.hasFocus()
    assert window.session is not None and window.session.user.username == CLERK[0]


def test_a_wrong_pin_is_refused_calmly_and_can_be_retyped(
    qtbot: QtBot, counter_window: CounterWindow
) -> None:
    window = counter_window
    qtbot.keyClicks(window.login.username, CLERK[0])
    qtbot.keyClicks(window.login.secret, "0000")
    qtbot.keyClick(window.login.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.login.notice.isVisible(), timeout=10_000)
    assert "incorrecto" in window.login.notice.text()
    assert window.login.notice.kind == "error"
    assert window.stack.currentWidget() is window.login
    assert window.login.secret.text() == "" and window.login.secret.hasFocus()
    assert window.login.username.text() == CLERK[0]
    qtbot.keyClicks(window.login.secret, CLERK[1])
    qtbot.keyClick(window.login.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work, timeout=10_000)


def test_a_device_with_too_many_failures_is_told_when_to_retry(
    qtbot: QtBot, counter_window: CounterWindow, hub: OfficeHub, tokens: dict[str, str]
) -> None:
    device = hub.authenticate(tokens["counter"])  # the window's own device
    for n in range(hub.config.login_failures_per_device):
        with pytest.raises(Unauthorized):
            hub.login(device, LoginInput(username=f"usuario{n}", secret="000000"))
    window = counter_window
    qtbot.keyClicks(window.login.username, CLERK[0])
    qtbot.keyClicks(window.login.secret, CLERK[1])
    qtbot.keyClick(window.login.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.login.notice.kind == "error", timeout=10_000)
    assert isinstance(window.last_error, RateLimited)
    assert window.login.notice.text() == window.last_error.message
    assert "a las 08:05 (en 5 minutos)" in window.login.notice.text()
    assert window.stack.currentWidget() is window.login and window.login.enter.isEnabled()


def test_an_empty_pin_never_reaches_the_hub(
    qtbot: QtBot, counter_window: CounterWindow, counter_client: ScriptedClient
) -> None:
    qtbot.keyClicks(counter_window.login.username, CLERK[0])
    qtbot.mouseClick(counter_window.login.enter, Qt.MouseButton.LeftButton)
    assert counter_window.login.notice.text() == "Escriba su PIN o contraseña."
    assert "login" not in counter_window._client.calls  # type: ignore[attr-defined]


def test_idle_time_locks_the_screen_and_the_pin_unlocks_it(
    qtbot: QtBot, logged_in: CounterWindow
) -> None:
    window = logged_in
    assert window.idle.armed and window.idle.timer.isActive()
    assert window.idle.timer.interval() == 3_600 * 1000  # the test's; the office's otherwise
    window.idle.timer.timeout.emit()  # nobody touched the keyboard or the mouse
    assert window.stack.currentWidget() is window.lock
    assert "Ana Torres Chávez" in window.lock.who.text()
    assert not window.refresh_timer.isActive()

    qtbot.keyClicks(window.lock.secret, "9999")
    qtbot.keyClick(window.lock.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.lock.notice.isVisible(), timeout=10_000)
    assert "incorrecto" in window.lock.notice.text()
    assert window.stack.currentWidget() is window.lock

    qtbot.keyClicks(window.lock.secret, CLERK[1])
    qtbot.keyClick(window.lock.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work, timeout=10_000)
    assert window.idle.armed and window.refresh_timer.isActive()


def test_the_session_uses_the_offices_idle_time(
    qtbot: QtBot, counter_client: ScriptedClient
) -> None:
    window = make_window(qtbot, counter_client, None, replace(QUIET, idle_lock_s=None))
    log_in(qtbot, window)
    assert window.session is not None
    assert window.idle.timer.interval() == window.session.idle_lock_s * 1000 > 0
    window.shutdown()


def test_keyboard_and_mouse_input_restart_the_idle_countdown(
    qtbot: QtBot, logged_in: CounterWindow
) -> None:
    window = logged_in
    window.idle.timer.stop()
    qtbot.keyClick(window.area.search, Qt.Key.Key_Shift)
    assert window.idle.timer.isActive()
    window.idle.timer.stop()
    press = QMouseEvent(QEvent.Type.MouseButtonPress, QPoint(5, 5), QPoint(5, 5),
                        Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window.queue.waiting.viewport(), press)
    assert window.idle.timer.isActive()


def test_lock_screen_logout_goes_back_to_the_login(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub
) -> None:
    window = logged_in
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # Bloquear
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lock, timeout=5_000)
    qtbot.mouseClick(window.lock.sign_out, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login, timeout=10_000)
    assert window.session is None and not window.idle.armed
    assert window.login.secret.text() == ""
    # The session is over at the hub too: the client no longer acts as the clerk.
    assert window._client.real._session is None  # type: ignore[attr-defined]


def test_sign_out_asks_first(qtbot: QtBot, logged_in: CounterWindow,
                             message_boxes: RecordedBoxes) -> None:
    message_boxes.answer = False
    qtbot.mouseClick(logged_in.work.sign_out, Qt.MouseButton.LeftButton)
    assert message_boxes.shown[-1][0] == "confirm"
    assert logged_in.stack.currentWidget() is logged_in.work
    message_boxes.answer = True
    qtbot.mouseClick(logged_in.work.sign_out, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: logged_in.stack.currentWidget() is logged_in.login,
                    timeout=10_000)


def test_an_unreachable_hub_is_said_calmly_and_retried(
    qtbot: QtBot, counter_client: ScriptedClient
) -> None:
    unreachable = HubUnavailable("hub_unavailable", "No se pudo contactar al hub.")
    counter_client.fail("health", unreachable)
    window = CounterWindow(counter_client, None)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.retry_timer.setInterval(3_600_000)
    qtbot.waitUntil(lambda: window.offline, timeout=10_000)
    assert window.login.notice.text() == "Sin conexión con el hub, reintentando…"
    assert window.login.notice.kind == "offline"
    assert window.retry_timer.isActive()
    window.retry_timer.timeout.emit()
    qtbot.waitUntil(lambda: not window.offline, timeout=10_000)
    assert window.login.counter.count() == 5 and not window.login.notice.isVisible()
    window.shutdown()


def test_locked_account_message_comes_from_the_hub(
    qtbot: QtBot, counter_window: CounterWindow, hub: OfficeHub
) -> None:
    window = counter_window
    for _ in range(5):
        window.login.username.setText(CLERK[0])
        window.login.secret.setText("0000")
        window.login.submit()
        qtbot.waitUntil(lambda: window.login.enter.isEnabled(), timeout=10_000)
    window.login.secret.setText(CLERK[1])
    window.login.submit()
    qtbot.waitUntil(lambda: window.login.enter.isEnabled(), timeout=10_000)
    assert window.stack.currentWidget() is window.login
    assert "bloque" in window.login.notice.text().lower()


def test_input_to_another_window_does_not_keep_the_counter_unlocked(
    qtbot: QtBot, logged_in: CounterWindow
) -> None:
    """`cac app` runs the kiosk in the same process: a citizen's touch there is not the
    clerk's."""
    from PySide6.QtWidgets import QPushButton

    other = QPushButton("quiosco")
    qtbot.addWidget(other)
    other.show()
    logged_in.idle.timer.stop()
    qtbot.mouseClick(other, Qt.MouseButton.LeftButton)
    qtbot.keyClick(other, Qt.Key.Key_A)
    assert not logged_in.idle.timer.isActive()
    qtbot.keyClick(logged_in.queue.waiting, Qt.Key.Key_A)
    assert logged_in.idle.timer.isActive()


def test_enter_on_the_counter_list_signs_in(qtbot: QtBot, counter_window: CounterWindow) -> None:
    window = counter_window
    window.login.username.setText(CLERK[0])
    window.login.secret.setText(CLERK[1])
    window.login.counter.setFocus()
    qtbot.keyClick(window.login.counter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work, timeout=10_000)


def test_an_initial_pin_is_changed_before_the_work_page(
    qtbot: QtBot, counter_window: CounterWindow, hub: OfficeHub
) -> None:
    _, pin = hub.add_user(SYSTEM, "mario.rojas", "Mario Rojas Vílchez", "counter", None)
    window = counter_window
    qtbot.keyClicks(window.login.username, "mario.rojas")
    qtbot.keyClicks(window.login.secret, pin)
    qtbot.keyClick(window.login.secret, "\r")
    page = window.change_secret
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=10_000)
    assert page.who.text() == "Mario Rojas Vílchez"
    qtbot.keyClicks(page.current, pin)
    qtbot.keyClicks(page.new, "482915")
    qtbot.keyClicks(page.again, "482916")
    qtbot.keyClick(page.again, "\r")
    assert "no coinciden" in page.notice.text()
    qtbot.keyClicks(page.new, "1111")
    qtbot.keyClicks(page.again, "1111")
    qtbot.keyClick(page.again, "\r")
    qtbot.waitUntil(lambda: "6 a 12 dígitos" in page.notice.text() or
                    "fácil" in page.notice.text(), timeout=10_000)
    qtbot.keyClicks(page.new, "482915")
    qtbot.keyClicks(page.again, "482915")
    qtbot.keyClick(page.again, "\r")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work
                    and window.state.counter is not None, timeout=10_000)
    assert window.session is not None and not window.session.user.must_change
    assert window.work.clerk.text().startswith("Mario Rojas Vílchez")


# --- the window ends (issue 15: counter 1 stayed open and the next login offered counter 2) --


def counter_at(hub: OfficeHub, number: int) -> tuple[str, str | None]:
    counter = next(c for c in hub.counters(SYSTEM) if c.number == number)
    return counter.state, counter.current_ticket


def test_a_shutdown_closes_the_counter_and_the_next_start_offers_it_again(
    qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str]
) -> None:
    chosen = replace(QUIET, counter=None)  # no --counter: what the hub says this PC had
    window = make_window(qtbot, ScriptedClient(InProcessHubClient(hub, tokens["counter"])),
                         None, chosen)
    assert window.login.counter.currentData() == 1  # a new PC: the first closed counter
    window.login.counter.setCurrentIndex(window.login.counter.findData(2))
    log_in(qtbot, window)
    assert counter_at(hub, 2) == ("open", None)
    window.shutdown()  # `cac app` ends (SIGTERM, Ctrl+C, the window closed)
    window.shutdown()  # twice is harmless
    assert counter_at(hub, 2) == ("closed", None)  # the TV calls nobody to an empty window
    assert window._client.real._session is None  # type: ignore[attr-defined]

    again = make_window(qtbot, ScriptedClient(InProcessHubClient(hub, tokens["counter"])),
                        None, chosen)
    qtbot.waitUntil(lambda: again.login.counter.currentData() == 2, timeout=10_000)
    assert again.login.counter.isEnabled()
    log_in(qtbot, again)
    assert again.work.clerk.text() == "Ana Torres Chávez · Ventanilla 2"
    again.shutdown()


def test_a_shutdown_with_a_citizen_at_the_counter_pauses_it_until_the_clerk_is_back(
    qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str]
) -> None:
    window = make_window(qtbot, ScriptedClient(InProcessHubClient(hub, tokens["counter"])),
                         None)
    log_in(qtbot, window)
    ticket = hub.issue_ticket(SYSTEM, "partidas").number
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.state.held_ticket is not None, timeout=10_000)
    window.shutdown()
    assert counter_at(hub, COUNTER) == ("paused", ticket)
    from kiosk.services.queue import UNSTAFFED_REASON  # new with issue 15

    assert hub.queue(SYSTEM).counters[COUNTER - 1].pause_reason == UNSTAFFED_REASON

    again = make_window(qtbot, ScriptedClient(InProcessHubClient(hub, tokens["counter"])),
                        None)
    log_in(qtbot, again)  # resumed: open, with the same citizen's ticket
    qtbot.waitUntil(lambda: again.state.held_ticket is not None, timeout=10_000)
    assert again.queue.number.text() == ticket and again.queue.start.isEnabled()
    assert counter_at(hub, COUNTER) == ("open", ticket)
    again.shutdown()


def test_a_pc_bound_to_a_counter_offers_only_that_one(
    qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str]
) -> None:
    window = make_window(qtbot, ScriptedClient(InProcessHubClient(hub, tokens["rating"])),
                         None, replace(QUIET, counter=None))
    qtbot.waitUntil(lambda: window.login.counter.currentData() == RATED_AT, timeout=10_000)
    assert not window.login.counter.isEnabled()
    window.shutdown()
