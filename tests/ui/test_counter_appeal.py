"""At the counter a citizen files a recurso against a denial: «Recurso (Alt+R)» opens its form
(the kinds the hub admits today, the notification date, a note); the expediente then shows the
recurso in process, who decides it and by when. The supervisor's «Decididos por ley» line
names the recursos left undecided past their due date.

By hand: a licencia de edificación B filed and denied Fri 20 Nov 2026; a reconsideración filed
the same day is decided within 30 working days: Mon 23 Nov (1) … Fri 4 Dec (10), Mon 7 (11),
[8, 9 Dec], Thu 10 (12) … Thu 24 (22), [25 Dec], Mon 28 (23) … Thu 31 (26), [1 Jan], Mon 4 Jan
(27), Tue 5 (28), Wed 6 (29), Thu 7 Jan 2027 (30).
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.clock import VirtualClock
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import AppealInput, TransitionInput
from tests.conftest import LIMA
from tests.integration.test_expedientes import edificacion
from tests.integration.test_expedientes_law import supervisor_on
from tests.ui.supervisor_support import cells, hub_client, make_supervisor
from tests.ui.test_counter_flow import ALT
from ui.counter.window import CounterWindow
from ui.supervisor.periods import ExpedientesPanel

SHOTS = os.environ.get("CAC_SHOTS")


def denied(hub: OfficeHub) -> str:
    supervisor = supervisor_on(hub)
    filed = hub.file_expediente(supervisor, edificacion())
    hub.transition(supervisor, filed.number, TransitionInput(
        action="deny", note="Zonificación no compatible con vivienda"))
    return filed.number


def test_a_clerk_files_a_reconsideration_against_a_denial(
        qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, tmp_path: Path) -> None:
    window = logged_in
    number = denied(hub)
    window.open_expediente(number)
    panel = window.expediente
    qtbot.waitUntil(lambda: panel.expediente is not None and panel.expediente.number == number,
                    timeout=10_000)
    window.area.show_page(panel)
    assert panel.appeal.isVisible() and panel.appeal.text() == "Recurso (Alt+R)"
    assert not panel.appeal_line.isVisible()
    # Denied with its fee unpaid: the hub takes no payment, so «Cobrar» is not offered.
    assert panel.expediente is not None and panel.expediente.balance > 0
    assert not panel.pay.isEnabled()
    shots = Path(SHOTS) if SHOTS else tmp_path
    window.grab().save(str(shots / "counter-appeal-button.png"))
    qtbot.keyClick(window, Qt.Key.Key_R, ALT)
    form = window.appeal_form
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is form, timeout=5_000)
    assert [form.kind.itemData(i) for i in range(form.kind.count())] == [
        "reconsideracion", "apelacion"]
    assert form.kind.currentText() == "Reconsideración (la misma autoridad)"
    # 15 working days from the denial: Mon 23 Nov (1) … Mon 7 Dec (11), [8, 9], Thu 10 (12),
    # Fri 11 (13), Mon 14 (14), Tue 15 Dec (15).
    assert form.subtitle.text().endswith(
        "(TUO de la Ley 27444, art. 218.2): contados desde la decisión, hasta el 15/12/2026. Si "
        "se notificó después, escriba la fecha de notificación.")

    qtbot.keyClicks(form.notified, "21-11-2026")  # not DD/MM/AAAA: refused here
    qtbot.keyClick(form.notified, Qt.Key.Key_Return)
    assert form.notice.isVisible() and "escríbala como DD/MM/AAAA" in form.notice.text()
    form.notified.clear()
    qtbot.keyClicks(form.notified, "21/11/2026")  # tomorrow: the hub refuses it
    qtbot.keyClick(form.notified, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "posterior a hoy" in form.notice.text(), timeout=10_000)
    form.notified.clear()
    form.note.setText("Presenta certificado de parámetros urbanísticos")  # QTest types ASCII
    window.grab().save(str(shots / "counter-appeal-form.png"))
    qtbot.keyClick(form.note, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is panel
                    and bool(panel.expediente and panel.expediente.appeals), timeout=10_000)
    assert panel.notice.text() == ("Recurso de reconsideración registrado: resuelve Subgerencia "
                                   "de Obras Privadas hasta el 07/01/2027.")
    assert panel.appeal_line.isVisible() and panel.appeal_line.text() == (
        "Recurso de reconsideración contra la denegatoria: en trámite, resuelve Subgerencia de "
        "Obras Privadas hasta el 07/01/2027.")
    assert not panel.appeal.isVisible()  # one in process at a time
    assert panel.events.rowCount() == len(panel.expediente.events)  # type: ignore[union-attr]
    window.grab().save(str(shots / "counter-appeal-filed.png"))
    [appeal] = hub.expediente(SYSTEM, number).appeals
    assert (appeal.kind, appeal.notified_on, appeal.due_date, appeal.note) == (
        "reconsideracion", date(2026, 11, 20), date(2027, 1, 7),
        "Presenta certificado de parámetros urbanísticos")


def test_the_supervisor_sees_the_overdue_recursos_and_resolves_one(
        qtbot: QtBot, hub: OfficeHub, tokens: dict[str, str], clock: VirtualClock,
        tmp_path: Path) -> None:
    number = denied(hub)
    hub.file_appeal(supervisor_on(hub), number, AppealInput(kind="reconsideracion"))
    panel = ExpedientesPanel()
    qtbot.addWidget(panel)
    # What the supervisor window loads: the period report (any period: as of today).
    clock.set(datetime(2027, 1, 7, 18, 0, tzinfo=LIMA))
    panel.show_stats(hub.period_report(SYSTEM, date(2027, 1, 1), date(2027, 1, 7)).expedientes)
    assert "Recursos vencidos" not in panel.law_hint.text()
    assert cells(panel.appeals.model)[0][-1] == "07/01/2027"

    clock.set(datetime(2027, 1, 8, 8, 0, tzinfo=LIMA))  # sessions last a day: log in now
    window = make_supervisor(qtbot, hub_client(hub, tokens["supervisor"]))
    page = window.expedientes.appeals
    assert window.expedientes.law_hint.text().endswith(
        f"\nRecursos vencidos sin resolver hoy: 1 — {number} (reconsideración, vencía el "
        "07/01/2027; resuelve Subgerencia de Obras Privadas) (pestaña «Recursos»).")
    window.show_tab("expedientes")
    window.expedientes.tables.show_name("expedientes_recursos")
    assert window.current_table() == "expedientes_recursos"
    assert cells(page.model) == [[
        number, "Licencia de edificación — modalidad B", "Reconsideración", "la denegatoria",
        "20/11/2026", "Subgerencia de Obras Privadas", "07/01/2027 (vencido)"]]
    assert page.hint.text().startswith("Hoy: 1 recurso en trámite, 1 vencido")
    qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)  # nothing chosen
    assert page.notice.text() == "Elija en la tabla el recurso que se resolvió."
    page.view.selectRow(0)
    page.outcome.setCurrentIndex(page.outcome.findData("fundado"))
    qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)  # no reason
    assert page.notice.text() == "Escriba el motivo de la resolución."
    page.reason.setText("El certificado de parámetros admite vivienda unifamiliar")
    page.resolution.setText("RSG 004-2027-SGOP")
    shots = Path(SHOTS) if SHOTS else tmp_path
    window.grab().save(str(shots / "supervisor-appeals.png"))
    qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=10_000)
    assert page.notice.text() == (f"Recurso de reconsideración del expediente {number}: "
                                  "fundado. El expediente está «Aprobado».")
    view = hub.expediente(SYSTEM, number)
    assert (view.status, view.appeals[0].outcome, view.appeals[0].resolution,
            view.events[-1].who) == ("aprobado", "fundado", "RSG 004-2027-SGOP",
                                     "Rosa Huamán Cruz")
