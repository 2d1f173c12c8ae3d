"""The admin window's login, lock, initial PIN, ended session and the hub away."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.client.http import HttpHubClient
from kiosk.client.inprocess import InProcessHubClient
from kiosk.errors import HubUnavailable, RateLimited, Unauthorized
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import UserInput
from kiosk.services.expediente_views import LoginInput
from tests.conftest import CLERK, RunningHub
from tests.ui.admin_support import (
    ADMIN,
    admin_session,
    answered,
    log_in,
    make_admin,
    open_tab,
)
from tests.ui.conftest import ChosenFiles, RecordedBoxes
from tests.ui.counter_support import ScriptedClient
from ui.admin.screenshot import sample_logo_png
from ui.admin.settings_tabs import OfficeTab
from ui.admin.window import AdminWindow


def test_the_administrator_logs_in_and_sees_the_services(qtbot: QtBot, hub: OfficeHub,
                                                         tokens: dict[str, str],
                                                         admin_window: AdminWindow) -> None:
    window = admin_window
    assert window.login.office.text() == hub.health().name
    assert not window.login.counter.isVisibleTo(window.login)  # no counter to choose here
    log_in(qtbot, window)
    assert window.work.who.text() == next(
        u.full_name for u in admin_session(hub).admin_users()
        if u.username == ADMIN[0])
    assert window.work.office.text() == f"{hub.health().name} · Administración"
    codes = [s.code for s in window.services.model.rows]
    assert codes == [s.code for s in admin_session(hub).admin_services()]
    qtbot.waitUntil(lambda: window.sync_line.status is not None, timeout=10_000)
    assert window.sync_line.text() == hub.sync_status(hub.authenticate(tokens["admin"])).summary


def test_a_clerk_or_a_wrong_pin_is_refused_in_spanish(qtbot: QtBot,
                                                      admin_window: AdminWindow) -> None:
    window = admin_window
    qtbot.keyClicks(window.login.username, CLERK[0])
    qtbot.keyClicks(window.login.secret, CLERK[1])
    qtbot.keyClick(window.login.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.login.notice.kind == "error", timeout=10_000)
    assert window.last_error is not None  # the hub refuses a clerk on an admin device
    assert window.login.notice.text() == window.last_error.message
    assert "administrador" in window.login.notice.text()
    assert window.session is None and window.stack.currentWidget() is window.login
    assert window.login.secret.text() == "" and window.login.username.text() == CLERK[0]

    window.login.username.setText(ADMIN[0])
    window.login.notice.clear_message()
    qtbot.keyClicks(window.login.secret, "11111")
    qtbot.keyClick(window.login.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.login.notice.kind == "error", timeout=10_000)
    assert window.last_error is not None
    assert window.login.notice.text() == window.last_error.message  # the hub's own words
    assert window.stack.currentWidget() is window.login


def test_a_new_administrator_changes_the_initial_pin_first(qtbot: QtBot, hub: OfficeHub,
                                                           tokens: dict[str, str],
                                                           admin_window: AdminWindow) -> None:
    created = admin_session(hub).add_admin_user(
        UserInput(username="jefe", full_name="Jorge Vera Luna", role="admin"))
    window = admin_window
    log_in_start = (created.user.username, created.initial_secret)
    qtbot.keyClicks(window.login.username, log_in_start[0])
    qtbot.keyClicks(window.login.secret, log_in_start[1])
    qtbot.keyClick(window.login.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.change_secret,
                    timeout=10_000)
    assert window.services.loads == 0  # nothing is asked before the PIN is changed
    page = window.change_secret
    qtbot.keyClicks(page.current, created.initial_secret)
    qtbot.keyClicks(page.new, "240815")
    qtbot.keyClicks(page.again, "240815")
    qtbot.keyClick(page.again, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work
                    and window.services.loads > 0, timeout=10_000)
    assert window.session is not None and not window.session.user.must_change
    jefe = next(u for u in admin_session(hub).admin_users()
                if u.username == "jefe")
    assert not jefe.must_change


def test_lock_hides_the_secrets_and_the_pin_unlocks(qtbot: QtBot, admin_in: AdminWindow
                                                    ) -> None:
    window = admin_in
    users = open_tab(qtbot, window, "users")
    window.users.username.setText("mrojas")
    window.users.full_name.setText("María Rojas Salazar")
    window.users.add.click()
    qtbot.waitUntil(lambda: window.users.secret.isVisible(), timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # Bloquear
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lock, timeout=5_000)
    assert window.users.secret.value.text() == "" and not window.users.secret.isVisibleTo(users)
    qtbot.keyClicks(window.lock.secret, ADMIN[1])
    qtbot.keyClick(window.lock.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work, timeout=10_000)
    assert window.current_tab() == "users"


def test_idle_time_locks_the_window(qtbot: QtBot, admin_in: AdminWindow) -> None:
    window = admin_in
    assert window.idle.armed
    window.idle.timer.timeout.emit()
    assert window.stack.currentWidget() is window.lock
    assert "sin actividad" in window.lock.hint.text()


def test_sign_out_asks_and_clears_everything(qtbot: QtBot, admin_in: AdminWindow,
                                             message_boxes: RecordedBoxes) -> None:
    window = admin_in
    window.work.sign_out.click()
    assert message_boxes.shown[-1][0:2] == ("confirm", "Cerrar sesión")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login, timeout=10_000)
    assert window.session is None
    assert window.services.model.rowCount() == 0 and window.services.loads == 0


def test_a_session_ended_elsewhere_goes_back_to_the_login(qtbot: QtBot, hub: OfficeHub,
                                                          tokens: dict[str, str],
                                                          admin_in: AdminWindow) -> None:
    window = admin_in
    # Another administrator (on another PC) gives this one a new initial PIN: their
    # sessions end, this window's too.
    created = admin_session(hub).add_admin_user(
        UserInput(username="jefe", full_name="Jorge Vera Luna", role="admin"))
    second = InProcessHubClient(hub, hub.add_device(SYSTEM, "Otra PC", "admin")[1])
    second.login(created.user.username, created.initial_secret)
    second.change_secret(created.initial_secret, "240815")
    second.reset_user_secret(ADMIN[0])
    window.show_tab("counters")  # the next question to the hub finds the session ended
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login, timeout=10_000)
    assert window.last_error is not None
    assert window.login.notice.text() == window.last_error.message
    assert window.session is None


def test_the_hub_away_is_said_and_the_window_retries(qtbot: QtBot, admin_client: ScriptedClient,
                                                     admin_in: AdminWindow) -> None:
    window = admin_in
    admin_client.fail("admin_counters", HubUnavailable(
        "hub_unavailable", "No se puede conectar con el hub de la oficina."))
    window.show_tab("counters")
    qtbot.waitUntil(lambda: window.offline, timeout=10_000)
    assert window.banner.kind == "offline"
    assert window.banner.text().startswith("No se puede conectar con el hub de la oficina.")
    assert window.counters.loads == 0
    window.retry_timer.timeout.emit()  # the retry asks again
    qtbot.waitUntil(lambda: window.counters.loads > 0 and not window.offline, timeout=10_000)
    assert window.banner.kind == ""
    assert window.counters.model.rowCount() > 0


def test_a_device_that_is_not_an_admin_is_told_so(qtbot: QtBot, hub: OfficeHub,
                                                  tokens: dict[str, str]) -> None:
    window = make_admin(qtbot, InProcessHubClient(hub, tokens["supervisor"]))
    try:
        qtbot.keyClicks(window.login.username, ADMIN[0])
        qtbot.keyClicks(window.login.secret, ADMIN[1])
        qtbot.keyClick(window.login.secret, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.login.notice.kind == "error"
                        or window.services.notice.kind == "error"
                        or window.banner.kind == "error", timeout=10_000)
        assert window.last_error is not None
        shown = [window.login.notice.text(), window.services.notice.text(),
                 window.banner.text()]
        assert any(window.last_error.message in text for text in shown if text)
    finally:
        window.shutdown()


def test_the_window_over_http(qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str],
                              server: RunningHub, tmp_path: Path,
                              file_dialogs: ChosenFiles) -> None:
    """`cac admin --hub URL --token T`: the same window through the HTTP client."""
    client = HttpHubClient(server.url, tokens["admin"])
    window = make_admin(qtbot, client)
    try:
        log_in(qtbot, window)
        tab = window.services
        tab.new.click()
        qtbot.keyClicks(tab.code, "registro")
        qtbot.keyClicks(tab.prefix, "V")  # a letter no demo service has
        qtbot.keyClicks(tab.name, "Registro de visitas")
        before = tab.loads
        tab.save.click()
        answered(qtbot, tab, before)
        assert "registro" in {s.code for s in admin_session(hub).admin_services()}
        office = open_tab(qtbot, window, "office")
        assert isinstance(office, OfficeTab)
        logo = tmp_path / "escudo.png"
        logo.write_bytes(sample_logo_png())
        file_dialogs.next = logo
        office.choose_logo.click()
        qtbot.waitUntil(lambda: office.logo.image is not None, timeout=10_000)
        assert admin_session(hub).office_logo() == logo.read_bytes()
        window.show_tab("services")  # the same code again: refused over HTTP in Spanish too
        tab.new.click()
        qtbot.keyClicks(tab.code, "registro")
        qtbot.keyClicks(tab.prefix, "W")
        qtbot.keyClicks(tab.name, "Otra vez")
        tab.save.click()
        qtbot.waitUntil(lambda: tab.notice.kind == "error", timeout=10_000)
        assert window.last_error is not None
        assert window.last_error.code == "service_exists"
        assert tab.notice.text() == window.last_error.message
    finally:
        window.shutdown()
        client.close()


def test_too_many_failures_say_when_to_retry_over_http(qtbot: QtBot, hub: OfficeHub,
                                                       tokens: dict[str, str],
                                                       server: RunningHub) -> None:
    """The hub's 429 reaches the login page as its Spanish message, with the time."""
    device = hub.authenticate(tokens["admin"])
    for n in range(hub.config.login_failures_per_device):
        with pytest.raises(Unauthorized):
            hub.login(device, LoginInput(username=f"usuario{n}", secret="000000"))
    client = HttpHubClient(server.url, tokens["admin"])
    window = make_admin(qtbot, client)
    try:
        qtbot.keyClicks(window.login.username, ADMIN[0])
        qtbot.keyClicks(window.login.secret, ADMIN[1])
        qtbot.keyClick(window.login.secret, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.login.notice.kind == "error", timeout=10_000)
        assert isinstance(window.last_error, RateLimited)
        assert window.login.notice.text() == window.last_error.message
        assert "a las 08:05 (en 5 minutos)" in window.login.notice.text()
        assert window.session is None and window.login.enter.isEnabled()
    finally:
        window.shutdown()
        client.close()
