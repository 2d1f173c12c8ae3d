"""Usuarios and Dispositivos: a new user's initial PIN shown once (and it works), a new PIN,
unlocking, roles and the last administrator; pairing a device with the code shown large
(the device then pairs), cancelling a code, and revocation confirmed first."""

from __future__ import annotations

import contextlib

import pytest
from pytestqt.qtbot import QtBot

from kiosk.client.http import HttpHubClient, pair_device
from kiosk.client.inprocess import InProcessHubClient
from kiosk.errors import CacError, Unauthorized
from kiosk.hub import OfficeHub
from tests.conftest import RunningHub
from tests.ui.admin_support import ADMIN, admin_session, answered, cells, open_tab
from tests.ui.conftest import RecordedBoxes
from tests.ui.counter_support import type_text
from ui.admin import texts
from ui.admin.devices_tab import DevicesTab
from ui.admin.users_tab import UsersTab
from ui.admin.window import AdminWindow


def _users(qtbot: QtBot, window: AdminWindow) -> UsersTab:
    tab = open_tab(qtbot, window, "users")
    assert isinstance(tab, UsersTab)
    return tab


def _select(tab: UsersTab, username: str) -> None:
    tab.table.selectRow(tab.model.find(username))
    current = tab.current()
    assert current is not None and current.username == username


def test_a_new_user_gets_an_initial_pin_shown_once(qtbot: QtBot, hub: OfficeHub,
                                                   tokens: dict[str, str],
                                                   admin_in: AdminWindow) -> None:
    tab = _users(qtbot, admin_in)
    qtbot.keyClicks(tab.username, "mrojas")
    type_text(qtbot, tab.full_name, "María Rojas Salazar")
    tab.new_role.setCurrentIndex(tab.new_role.findData("counter"))
    before = tab.loads
    tab.add.click()
    answered(qtbot, tab, before)
    pin = tab.secret.value.text()
    assert tab.secret.isVisible() and pin.isdigit() and len(pin) == 6
    assert tab.secret.caption.text() == "PIN inicial de María Rojas Salazar (mrojas):"
    assert "no se volverá a mostrar" in tab.secret.detail.text()
    assert tab.username.text() == "" and tab.full_name.text() == ""  # ready for the next one
    row = tab.model.find("mrojas")
    assert cells(tab.model)[row][2:4] == ["Ventanilla", "Activo · debe cambiar su PIN"]
    # The PIN on screen is the one the hub stored: the clerk can log in (and must change it).
    counter = InProcessHubClient(hub, tokens["counter"])
    session = counter.login("mrojas", pin, 2)
    assert session.user.must_change
    counter.logout()
    tab.secret.close_button.click()  # «Ya lo anoté»: gone
    assert not tab.secret.isVisible() and tab.secret.value.text() == ""
    assert pin not in "".join(str(cell) for line in cells(tab.model) for cell in line)


def test_a_duplicate_user_is_refused_and_the_form_kept(qtbot: QtBot,
                                                       admin_in: AdminWindow) -> None:
    tab = _users(qtbot, admin_in)
    qtbot.keyClicks(tab.username, "ana")
    qtbot.keyClicks(tab.full_name, "Otra Ana")
    tab.add.click()
    qtbot.waitUntil(lambda: tab.notice.kind == "error", timeout=10_000)
    assert admin_in.last_error is not None
    assert tab.notice.text() == admin_in.last_error.message
    assert (tab.username.text(), tab.full_name.text()) == ("ana", "Otra Ana")
    assert tab.add.isEnabled() and not tab.secret.isVisible()


def test_reset_unlock_role_and_deactivate(qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str],
                                          admin_in: AdminWindow,
                                          message_boxes: RecordedBoxes) -> None:
    counter = InProcessHubClient(hub, tokens["counter"])
    for _attempt in range(hub.config.login_attempts):  # luis mistypes his PIN
        with contextlib.suppress(CacError):
            counter.login("luis", "0000", 1)
    tab = _users(qtbot, admin_in)
    hub_users = admin_session(hub)
    _select(tab, "luis")
    assert tab.unlock.isEnabled()
    assert cells(tab.model)[tab.model.find("luis")][3].startswith("Bloqueado hasta las ")
    before = tab.loads
    tab.unlock.click()
    answered(qtbot, tab, before)
    luis = next(u for u in hub_users.admin_users() if u.username == "luis")
    assert luis.locked_until is None
    assert cells(tab.model)[tab.model.find("luis")][3] == "Activo"
    assert tab.notice.text() == f"{luis.full_name} puede volver a ingresar."

    before = tab.loads
    tab.reset.click()
    assert message_boxes.shown[-1][:2] == ("confirm", "Nuevo PIN inicial")
    answered(qtbot, tab, before)
    pin = tab.secret.value.text()
    assert tab.secret.caption.text().startswith("Nuevo PIN inicial de Luis")
    assert counter.login("luis", pin, 1).user.must_change
    counter.logout()

    _select(tab, "luis")
    tab.role.setCurrentIndex(tab.role.findData("supervisor"))
    before = tab.loads
    tab.change_role.click()
    answered(qtbot, tab, before)
    assert next(u for u in hub_users.admin_users() if u.username == "luis").role == "supervisor"
    assert tab.notice.text() == f"{luis.full_name} ahora es supervisor."

    _select(tab, "luis")
    message_boxes.answer = False
    tab.toggle.click()
    assert next(u for u in hub_users.admin_users() if u.username == "luis").active
    message_boxes.answer = True
    before = tab.loads
    tab.toggle.click()
    answered(qtbot, tab, before)
    assert not next(u for u in hub_users.admin_users() if u.username == "luis").active
    assert cells(tab.model)[tab.model.find("luis")][3] == "Inactivo"
    assert tab.toggle.text() == "Activar"


def test_the_last_administrator_cannot_be_demoted(qtbot: QtBot, hub: OfficeHub,
                                                  admin_in: AdminWindow) -> None:
    tab = _users(qtbot, admin_in)
    _select(tab, ADMIN[0])
    tab.role.setCurrentIndex(tab.role.findData("counter"))
    tab.change_role.click()
    qtbot.waitUntil(lambda: tab.notice.kind == "error", timeout=10_000)
    assert admin_in.last_error is not None
    assert tab.notice.text() == admin_in.last_error.message
    assert "administrador" in tab.notice.text()
    assert next(u for u in admin_session(hub).admin_users()
                if u.username == ADMIN[0]).role == "admin"


def _devices(qtbot: QtBot, window: AdminWindow) -> DevicesTab:
    tab = open_tab(qtbot, window, "devices")
    assert isinstance(tab, DevicesTab)
    return tab


def _generate(qtbot: QtBot, tab: DevicesTab, name: str, role: str) -> str:
    type_text(qtbot, tab.name, name)
    tab.role.setCurrentIndex(tab.role.findData(role))
    before = tab.loads
    tab.generate.click()
    answered(qtbot, tab, before)
    assert tab.last_code is not None
    return tab.code.value.text()


def test_pairing_shows_the_code_and_the_device_then_pairs(
        qtbot: QtBot, hub: OfficeHub, server: RunningHub, admin_in: AdminWindow) -> None:
    tab = _devices(qtbot, admin_in)
    shown = _generate(qtbot, tab, "Quiosco del segundo piso", "kiosk")
    code = tab.last_code
    assert code is not None
    assert shown == texts.grouped_code(code.code) and len(shown) == 14
    assert shown[4] == shown[9] == "-"
    # The hub's certificate, to compare by eye; the tab says in two lines how it protects.
    assert ("Certificado del hub (SHA-256): "
            + texts.spaced_fingerprint(hub.office_ca.fingerprint)) in tab.code.detail.text()
    assert tab.tls_note.isVisible() and tab.tls_note.text().count("\n") == 1
    assert "HTTPS" in tab.tls_note.text()
    assert tab.code.isVisible()
    # Large: read from across the desk and typed on the new PC.
    assert tab.code.value.fontMetrics().height() > 2 * tab.name.fontMetrics().height()
    until = code.expires_at.astimezone(hub.config.tz)
    assert f"Válido hasta las {until:%H:%M}" in tab.code.detail.text()
    assert f"cac kiosk --hub DIRECCIÓN-DEL-HUB --pair {shown}" in tab.code.detail.text()
    assert [p.id for p in tab.pairings_model.rows] == [p.id for p in
                                                       admin_session(hub).pairings()]
    assert cells(tab.pairings_model) == [["Quiosco del segundo piso", "Quiosco",
                                          texts.when(code.expires_at, hub.config.tz)]]

    # The new PC types the code it was shown (over the LAN, it has no token yet).
    paired = pair_device(server.url, shown, True)
    assert paired.device.name == "Quiosco del segundo piso" and paired.device.role == "kiosk"
    kiosk = HttpHubClient(server.url, paired.token)
    try:
        assert kiosk.health().office == hub.health().office
        assert kiosk.services()  # the token works
    finally:
        kiosk.close()
    with pytest.raises(CacError):
        pair_device(server.url, shown, True)  # single use
    before = tab.loads
    admin_in.reload_current()  # F5
    answered(qtbot, tab, before)
    assert tab.pairings_model.rowCount() == 0
    assert not tab.code.isVisible()  # used: no longer on screen
    assert any(d.id == paired.device.id for d in tab.model.rows)


def test_a_pending_code_can_be_cancelled(qtbot: QtBot, hub: OfficeHub,
                                         admin_in: AdminWindow) -> None:
    tab = _devices(qtbot, admin_in)
    shown = _generate(qtbot, tab, "TV de la sala 2", "display")
    tab.pairings_table.selectRow(0)
    assert tab.cancel.isEnabled()
    before = tab.loads
    tab.cancel.click()
    answered(qtbot, tab, before)
    assert tab.notice.text() == "Código para «TV de la sala 2» anulado: ya no sirve."
    assert admin_session(hub).pairings() == [] and tab.pairings_model.rowCount() == 0
    assert not tab.code.isVisible()
    try:
        hub.pair(shown)
    except CacError as refused:
        assert refused.message  # the hub says why, in Spanish
    else:
        raise AssertionError("a cancelled code paired a device")


def test_revoking_a_device_asks_first(qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str],
                                      admin_in: AdminWindow,
                                      message_boxes: RecordedBoxes) -> None:
    tab = _devices(qtbot, admin_in)
    display = next(d for d in tab.model.rows if d.role == "display")
    tab.table.selectRow(tab.model.find(display.id))
    assert tab.revoke.isEnabled()
    message_boxes.answer = False
    tab.revoke.click()
    kind, title, text = message_boxes.shown[-1]
    assert (kind, title) == ("confirm", "Revocar equipo")
    assert f"«{display.name}» (pantalla de sala)" in text
    hub.authenticate(tokens["display"])  # «No»: still works
    message_boxes.answer = True
    before = tab.loads
    tab.revoke.click()
    answered(qtbot, tab, before)
    assert tab.notice.text() == f"«{display.name}» revocado."
    try:
        hub.authenticate(tokens["display"])
    except Unauthorized:
        pass
    else:
        raise AssertionError("a revoked device still authenticates")
    row = tab.model.find(display.id)
    assert cells(tab.model)[row][4].startswith("Revocado el ")
    tab.table.selectRow(row)
    assert not tab.revoke.isEnabled()  # nothing more to revoke


def test_the_window_cannot_revoke_its_own_device(qtbot: QtBot, hub: OfficeHub,
                                                 tokens: dict[str, str],
                                                 admin_in: AdminWindow) -> None:
    tab = _devices(qtbot, admin_in)
    own = hub.authenticate(tokens["admin"])
    tab.table.selectRow(tab.model.find(own.id))
    tab.revoke.click()
    qtbot.waitUntil(lambda: tab.notice.kind == "error", timeout=10_000)
    assert admin_in.last_error is not None
    assert tab.notice.text() == admin_in.last_error.message
    assert hub.authenticate(tokens["admin"]).id == own.id
    assert admin_in.session is not None  # still working


def test_a_counter_pc_is_bound_to_its_counter(qtbot: QtBot, hub: OfficeHub,
                                              tokens: dict[str, str],
                                              admin_in: AdminWindow) -> None:
    """Only a counter device can be bound; the binding is what the hub then enforces."""
    from ui.admin.widgets import choose

    tab = _devices(qtbot, admin_in)
    display = next(d for d in tab.model.rows if d.role == "display")
    tab.table.selectRow(tab.model.find(display.id))
    assert not tab.bind.isEnabled() and not tab.bound_counter.isEnabled()
    pc = hub.authenticate(tokens["counter"])
    tab.table.selectRow(tab.model.find(pc.id))
    assert tab.bind.isEnabled()
    assert [tab.bound_counter.itemText(i) for i in range(tab.bound_counter.count())] == [
        "Cualquiera", *[f"Ventanilla {n}" for n in range(1, 6)]]
    choose(tab.bound_counter, 2)
    before = tab.loads
    tab.bind.click()
    answered(qtbot, tab, before)
    assert tab.notice.text() == f"«{pc.name}» queda asignado a la ventanilla 2."
    assert hub.authenticate(tokens["counter"]).counter == 2
    assert cells(tab.model)[tab.model.find(pc.id)][2] == "2"
    # A new PC's code can carry its counter too, for a counter device only.
    tab.name.setText("Calificación de la ventanilla 2")
    choose(tab.role, "kiosk")
    assert not tab.pair_counter.isEnabled()
    choose(tab.role, "counter")
    assert tab.pair_counter.isEnabled()
    choose(tab.pair_counter, 2)
    before = tab.loads
    tab.generate.click()
    answered(qtbot, tab, before)
    assert tab.last_code is not None and tab.last_code.counter == 2
