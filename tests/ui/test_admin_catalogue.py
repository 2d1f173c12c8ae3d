"""Servicios and Ventanillas: a new service, its target wait, deactivation (confirmed), the
hub's refusals in Spanish with the form kept, and the order of a counter's services."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.hub import OfficeHub
from tests.ui.admin_support import admin_session, answered, cells, open_tab
from tests.ui.conftest import RecordedBoxes
from tests.ui.counter_support import type_text
from ui.admin.counters_tab import CountersTab
from ui.admin.services_tab import ServicesTab
from ui.admin.window import AdminWindow


def test_add_a_service(qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str],
                       admin_in: AdminWindow) -> None:
    tab = admin_in.services
    assert isinstance(tab, ServicesTab)
    tab.new.click()
    qtbot.keyClicks(tab.code, "defensoria")
    qtbot.keyClicks(tab.prefix, "d")
    type_text(qtbot, tab.name, "Defensoría del vecino")
    tab.sla.setValue(25)
    before = tab.loads
    tab.save.click()
    answered(qtbot, tab, before)
    assert tab.notice.kind == "info"
    assert tab.notice.text().startswith("Servicio «Defensoría del vecino» agregado")
    stored = {s.code: s for s in admin_session(hub).admin_services()}
    assert stored["defensoria"].prefix == "D" and stored["defensoria"].sla_minutes == 25
    row = tab.model.find("defensoria")
    assert cells(tab.model)[row] == ["D", "defensoria", "Defensoría del vecino", "25 min",
                                     "Activo"]
    assert tab.editing is not None and tab.editing.code == "defensoria"  # now editing it
    assert tab.code.isReadOnly()


def test_a_refusal_is_shown_and_the_form_keeps_what_was_typed(
        qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str], admin_in: AdminWindow) -> None:
    tab = admin_in.services
    taken = tab.model.rows[0]  # a prefix another service already has
    tab.new.click()
    qtbot.keyClicks(tab.code, "nuevo")
    qtbot.keyClicks(tab.prefix, taken.prefix)
    qtbot.keyClicks(tab.name, "Otro servicio")
    tab.save.click()
    qtbot.waitUntil(lambda: tab.notice.kind == "error", timeout=10_000)
    assert admin_in.last_error is not None
    assert tab.notice.text() == admin_in.last_error.message  # the hub's Spanish
    assert (tab.code.text(), tab.prefix.text(), tab.name.text()) == (
        "nuevo", taken.prefix, "Otro servicio")
    assert "nuevo" not in {s.code for s in admin_session(hub).admin_services()}
    # A form the window itself can tell is incomplete never reaches the hub.
    tab.name.clear()
    tab.save.click()
    assert tab.notice.text() == "Revise el nombre: falta o no es válido."


def test_a_letter_that_reads_as_a_digit_is_refused_in_spanish(
        qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str], admin_in: AdminWindow) -> None:
    tab = admin_in.services
    tab.new.click()
    qtbot.keyClicks(tab.code, "oficios")
    qtbot.keyClicks(tab.prefix, "o")
    qtbot.keyClicks(tab.name, "Oficios")
    tab.save.click()
    qtbot.waitUntil(lambda: tab.notice.kind == "error", timeout=10_000)
    assert tab.notice.text() == (
        "La letra O no sirve para turnos: en el ticket y en la pantalla se confunde con el "
        "número 0 («O-006» se lee «0-006»). Elija otra letra.")
    assert tab.prefix.text() == "o"  # kept, to be corrected
    assert "oficios" not in {s.code for s in admin_session(hub).admin_services()}


def test_change_the_target_and_deactivate(qtbot: QtBot, hub: OfficeHub,
                                          tokens: dict[str, str], admin_in: AdminWindow,
                                          message_boxes: RecordedBoxes) -> None:
    tab = admin_in.services
    service = tab.model.rows[1]
    tab.table.selectRow(1)
    assert tab.editing == service and tab.name.text() == service.name
    tab.sla.setValue(service.sla_minutes + 5)
    before = tab.loads
    tab.save.click()
    answered(qtbot, tab, before)
    admin = admin_session(hub)
    stored = {s.code: s for s in admin.admin_services()}
    assert stored[service.code].sla_minutes == service.sla_minutes + 5
    assert tab.notice.text() == f"Servicio «{service.name}» guardado."

    message_boxes.answer = False  # «No»: nothing changes
    tab.toggle.click()
    assert message_boxes.shown[-1][:2] == ("confirm", "Desactivar servicio")
    assert {s.code: s for s in admin.admin_services()}[service.code].active
    message_boxes.answer = True
    before = tab.loads
    tab.toggle.click()
    qtbot.waitUntil(lambda: tab.loads > before or tab.notice.kind == "error", timeout=10_000)
    assert tab.notice.kind == "info", tab.notice.text()
    assert not {s.code: s for s in admin.admin_services()}[service.code].active
    row = tab.model.find(service.code)
    assert cells(tab.model)[row][4] == "Inactivo"  # still listed, greyed
    assert tab.toggle.text() == "Activar servicio"


def test_the_order_of_a_counters_services(qtbot: QtBot, hub: OfficeHub,
                                          tokens: dict[str, str], admin_in: AdminWindow) -> None:
    tab = open_tab(qtbot, admin_in, "counters")
    assert isinstance(tab, CountersTab)
    admin = admin_session(hub)
    counter = next(c for c in admin.admin_counters() if len(c.services) >= 2)
    tab.table.selectRow(tab.model.find(counter.number))
    assert tab.served.codes() == counter.services
    tab.served_view.setCurrentIndex(tab.served.index(1))
    qtbot.mouseClick(tab.up, Qt.MouseButton.LeftButton)
    wanted = [counter.services[1], counter.services[0], *counter.services[2:]]
    assert tab.served.codes() == wanted
    assert tab.served_view.currentIndex().row() == 0  # the moved one stays chosen
    tab.served_view.setCurrentIndex(tab.served.index(0))
    missing = tab.available.itemData(0)
    tab.available.setCurrentIndex(0)
    tab.add.click()
    wanted.append(missing)
    assert tab.served.codes() == wanted
    before = tab.loads
    tab.save.click()
    answered(qtbot, tab, before)
    stored = next(c for c in admin.admin_counters() if c.number == counter.number)
    assert stored.services == wanted  # the hub keeps the order as given
    row = tab.model.find(counter.number)
    assert tab.table.currentIndex().row() == row
    assert tab.notice.text() == f"{stored.name} guardada."


def test_add_a_counter(qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str],
                       admin_in: AdminWindow) -> None:
    tab = open_tab(qtbot, admin_in, "counters")
    assert isinstance(tab, CountersTab)
    tab.new.click()
    number = tab.number.value()
    assert number == max(c.number for c in tab.model.rows) + 1  # the next free number
    qtbot.keyClicks(tab.name, f"Ventanilla {number}")
    first = tab.available.itemData(0)
    tab.add.click()
    before = tab.loads
    tab.save.click()
    answered(qtbot, tab, before)
    stored = next(c for c in admin_session(hub).admin_counters()
                  if c.number == number)
    assert (stored.name, stored.services) == (f"Ventanilla {number}", [first])
    # The same number again is the hub's to refuse; the window says it and keeps the form.
    tab.new.click()
    tab.number.setValue(number)
    qtbot.keyClicks(tab.name, "Repetida")
    tab.save.click()
    qtbot.waitUntil(lambda: tab.notice.kind == "error", timeout=10_000)
    assert admin_in.last_error is not None
    assert tab.notice.text() == admin_in.last_error.message
    assert tab.name.text() == "Repetida"


def test_the_order_of_the_services_on_the_kiosk(qtbot: QtBot, hub: OfficeHub,
                                                tokens: dict[str, str],
                                                admin_in: AdminWindow) -> None:
    tab = admin_in.services
    codes = [s.code for s in tab.model.rows]
    tab.table.selectRow(0)
    assert not tab.up.isEnabled() and tab.down.isEnabled()  # the first goes no higher
    before = tab.loads
    tab.down.click()
    answered(qtbot, tab, before)
    wanted = [codes[1], codes[0], *codes[2:]]
    assert [s.code for s in admin_session(hub).admin_services()] == wanted
    assert [s.code for s in tab.model.rows] == wanted
    assert tab.table.currentIndex().row() == 1 and tab.editing is not None
    assert tab.editing.code == codes[0]  # still the one being moved
    assert tab.notice.text().endswith("ahora es el 2.º en el quiosco.")
    kiosk = hub.authenticate(tokens["kiosk"])
    shown = [s.code for s in hub.services(kiosk)]
    assert shown == [c for c in wanted if c in shown]  # the kiosk shows the same order



def test_a_counter_becomes_the_preferential_one(qtbot: QtBot, hub: OfficeHub,
                                                tokens: dict[str, str],
                                                admin_in: AdminWindow) -> None:
    tab = open_tab(qtbot, admin_in, "counters")
    assert isinstance(tab, CountersTab)
    tab.table.selectRow(tab.model.find(1))
    assert tab.preferential.currentData() == "tambien"  # the default: preferential first
    tab.preferential.setCurrentIndex(tab.preferential.findData("solo"))
    before = tab.loads
    tab.save.click()
    answered(qtbot, tab, before)
    stored = next(c for c in admin_session(hub).admin_counters() if c.number == 1)
    assert stored.preferential == "solo"
    assert cells(tab.model)[tab.model.find(1)][3] == "Solo ellos"
    assert tab.preferential.currentData() == "solo"  # the form shows what was saved
