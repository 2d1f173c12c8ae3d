"""The counter window as a whole: it fits a 1366×768 counter PC, survives the hub going away,
and sends a clerk whose session ended back to the login."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.client.http import HttpHubClient
from kiosk.errors import HubUnavailable, Unauthorized
from kiosk.hub import OfficeHub
from tests.conftest import RunningHub
from tests.ui.counter_support import QUIET, ScriptedClient, issue, log_in
from ui.counter.window import CounterWindow

WIDTH, HEIGHT = 1366, 768


def fits(window: CounterWindow) -> bool:
    hint = window.minimumSizeHint()
    return hint.width() <= WIDTH and hint.height() <= HEIGHT \
        and (window.width(), window.height()) == (WIDTH, HEIGHT)


def test_every_screen_fits_a_counter_pc_without_scrolling(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub
) -> None:
    window = logged_in
    assert fits(window)
    issue(hub)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.state.held_ticket is not None, timeout=10_000)
    assert fits(window)
    # The queue panel's actions all show in full at once.
    panel = window.queue
    for button in (panel.call, panel.recall, panel.start, panel.no_show, panel.transfer,
                   panel.finish, panel.pause, panel.close_counter):
        assert button.isVisible()
        assert button.geometry().bottom() < panel.height()
        assert button.fontMetrics().horizontalAdvance(button.text().split("\n")[0]) \
            < button.width()
    window.open_form()
    qtbot.waitUntil(lambda: window.form.procedure.count() > 0, timeout=10_000)
    for index in range(window.form.procedure.count()):
        window.form.procedure.setCurrentIndex(index)
        assert fits(window), window.form.procedure.currentText()
    pages: list[QWidget] = [window.search, window.cash, window.transition_form,
                            window.payment_form, window.expediente, window.area.welcome]
    for page in pages:
        window.area.show_page(page)
        assert fits(window), type(page).__name__
    for page in (window.lock, window.login):
        window.stack.setCurrentWidget(page)
        assert fits(window), type(page).__name__


def test_a_queue_prompt_never_makes_the_window_taller(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub
) -> None:
    """Transfer/finish prompt, the ticket's expedientes and a two-line notice all at once:
    the waiting list scrolls, the window stays 1366×768."""
    window = logged_in
    for _ in range(4):
        issue(hub)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.state.held_ticket is not None, timeout=10_000)
    panel = window.queue
    panel.show_handled(["CAJ-2026-000001", "CAJ-2026-000002", "CAJ-2026-000003"])
    panel.notice.show_message("Turno A-001 transferido a Registro Civil (partidas). "
                              "Expedientes: CAJ-2026-000001, CAJ-2026-000002.", "info")
    for ask in (panel.ask_transfer, panel.ask_finish):
        ask()
        assert panel.prompt.isVisible() and not panel.notice.isVisible()  # room for it
        panel.notice.show_message("No se pudo contactar al hub para actualizar la cola de "
                                  "espera; se reintentará en unos segundos.", "error")
        QApplication.processEvents()  # let the layouts settle
        assert fits(window)
        assert panel.prompt.ok.geometry().bottom() < panel.prompt.height()
        assert panel.waiting_total.geometry().bottom() <= panel.height()
        panel.prompt.close_prompt()


def test_an_unreachable_hub_during_work_is_said_calmly_and_retried(
    qtbot: QtBot, logged_in: CounterWindow
) -> None:
    window = logged_in
    client: ScriptedClient = window._client  # type: ignore[assignment]
    client.fail("queue", HubUnavailable("hub_unavailable", "No se pudo contactar al hub."))
    window.refresh_timer.timeout.emit()
    qtbot.waitUntil(lambda: window.offline, timeout=10_000)
    assert window.work.offline.text() == "Sin conexión con el hub, reintentando…"
    assert window.work.offline.isVisible() and window.retry_timer.isActive()
    assert window.stack.currentWidget() is window.work  # nothing else changes
    window.retry_timer.timeout.emit()
    qtbot.waitUntil(lambda: not window.offline, timeout=10_000)
    assert not window.work.offline.isVisible()


def test_a_session_ended_at_the_hub_goes_back_to_the_login(
    qtbot: QtBot, logged_in: CounterWindow
) -> None:
    window = logged_in
    client: ScriptedClient = window._client  # type: ignore[assignment]
    client.fail("queue", Unauthorized("session_ended", "Su sesión terminó. Inicie sesión de "
                                                      "nuevo."))
    window.refresh_timer.timeout.emit()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login, timeout=10_000)
    assert window.login.notice.text() == "Su sesión terminó. Inicie sesión de nuevo."
    assert window.session is None and not window.refresh_timer.isActive()


def test_a_stale_poll_never_undoes_an_action(
    qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub
) -> None:
    """A periodic refresh that started before "call next" must not show the counter idle
    after the call's answer arrived."""
    window = logged_in
    number = issue(hub)
    before = window.shift.generation
    stale = window.shift.poll(window.counter_number or 0)  # what a poll begun now would see
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.state.held_ticket is not None, timeout=10_000)
    window.shift.apply(stale, before)  # ... arriving late
    held = window.state.held_ticket
    assert held is not None and held.number == number
    assert window.queue.number.text() == number


def test_the_same_window_works_over_http(
    qtbot: QtBot, hub: OfficeHub, server: RunningHub, tokens: dict[str, str]
) -> None:
    """`cac counter --hub URL` talks HTTP: login, open, call and start go through the API."""
    http = HttpHubClient(server.url, tokens["counter"], timeout=5)
    window = CounterWindow(http, None, QUIET)
    qtbot.addWidget(window)
    try:
        window.resize(WIDTH, HEIGHT)
        window.show()
        qtbot.waitUntil(lambda: window.login.counter.count() == 5, timeout=10_000)
        log_in(qtbot, window)
        number = issue(hub)
        window.queue_action("call", "")
        qtbot.waitUntil(lambda: window.state.held_ticket is not None, timeout=10_000)
        window.queue_action("start", "")
        qtbot.waitUntil(lambda: window.queue.ticket_state.text().startswith("En atención"),
                        timeout=10_000)
        assert window.queue.number.text() == number
    finally:
        window.shutdown()
        http.close()
