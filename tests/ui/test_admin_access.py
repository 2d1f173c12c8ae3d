"""Accesos: the administrator answers «¿quién vio mis datos?» from the window (Ley 29733)."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from kiosk.hub import OfficeHub
from kiosk.services.devices import DeviceIdentity
from tests.integration.test_expedientes import add_acta, partida, person
from tests.ui.admin_support import answered, cells, open_tab
from ui.admin.access_tab import AccessTab
from ui.admin.window import AdminWindow


def test_the_clerks_views_of_a_person_are_listed_and_filtered(
        qtbot: QtBot, qtmodeltester: ModelTester, hub: OfficeHub, clerk: DeviceIdentity,
        admin_in: AdminWindow) -> None:
    filed = hub.file_expediente(clerk, partida(add_acta(hub)))
    hub.expediente(clerk, filed.number)  # ana opens the citizen's expediente
    dni = person().doc_number

    page = open_tab(qtbot, admin_in, "access")
    assert isinstance(page, AccessTab)
    rows = cells(page.model)
    opened = [r for r in rows if filed.number in r[6]]
    assert opened and opened[0][1] == "ana" and dni in opened[0][5]
    qtmodeltester.check(page.model)

    # By the citizen's DNI: only what showed that person.
    before = page.loads
    page.person.setText(dni)
    page.search.click()
    answered(qtbot, page, before)
    assert page.model.rowCount() >= 1
    assert all(dni in row[5] for row in cells(page.model))
    # A user who saw nothing: an empty list, said in words.
    before = page.loads
    page.person.clear()
    page.user.setText("luis")
    page.search.click()
    answered(qtbot, page, before)
    assert page.model.rowCount() == 0 and "Ningún acceso" in page.count.text()


def test_a_mistyped_date_is_explained_and_nothing_is_asked(
        qtbot: QtBot, admin_in: AdminWindow) -> None:
    page = open_tab(qtbot, admin_in, "access")
    assert isinstance(page, AccessTab)
    before = page.loads
    page.date_from.setText("2026-11-20")
    page.search.click()
    assert "dd/mm/aaaa" in page.notice.text()
    assert page.loads == before
