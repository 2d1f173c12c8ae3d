"""The «Reclamos» tab against a real hub: three reclamos filed at the kiosk on Fri 20 Nov,
Mon 23 Nov and Tue 1 Dec 2026 (due Thu 7 Jan, Fri 8 Jan and Mon 18 Jan 2027: 30 working days
over the 8, 9 and 25 Dec and 1 Jan holidays, counted by hand), looked at on Fri 8 Jan 2027:
the first is late (red), the others due; the supervisor answers the late one, exports the
year's CSV; the satisfaction tab counts the suggestions box."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.clock import VirtualClock
from kiosk.hub import OfficeHub
from kiosk.services.reclamo_views import ReclamoInput, SuggestionInput
from kiosk.storage.tables import Reclamo
from tests.conftest import LIMA, START
from tests.ui.conftest import ChosenFiles
from tests.ui.supervisor_support import cells, headers, hub_client, make_supervisor, parse_csv
from ui.supervisor.reclamos_panel import RED
from ui.supervisor.window import TABS

SHOT = "/tmp/reclamos-supervisor.png"


def _file(hub: OfficeHub, tokens: dict[str, str], clock: VirtualClock, when: datetime,
          name: str, category: str) -> str:
    clock.set(when)
    kiosk = hub.authenticate(tokens["kiosk"])
    return hub.file_reclamo(kiosk, ReclamoInput(
        category=category, doc_number="41234567", full_name=name, email="c@example.pe",
        description=f"Reclamo de {name}.")).number


def test_the_supervisor_sees_the_late_ones_in_red_answers_and_exports(
        qtbot: QtBot, hub: OfficeHub, clock: VirtualClock, tokens: dict[str, str],
        file_dialogs: ChosenFiles, tmp_path: Path) -> None:
    first = _file(hub, tokens, clock, START, "Rosa Quispe", "tiempo_atencion")
    second = _file(hub, tokens, clock, datetime(2026, 11, 23, 9, 0, tzinfo=LIMA),
                   "Juan Pérez", "informacion")
    third = _file(hub, tokens, clock, datetime(2026, 12, 1, 9, 0, tzinfo=LIMA),
                  "Ana Ñahui", "acceso")
    clock.set(datetime(2027, 1, 8, 9, 0, tzinfo=LIMA))

    window = make_supervisor(qtbot, hub_client(hub, tokens["supervisor"]))
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert TABS[6] == "reclamos" and window.current_tab() == "reclamos"
    panel = window.reclamos_panel
    qtbot.waitUntil(lambda: panel.book is not None, timeout=10_000)
    assert headers(panel.model) == ["Número", "Registrado", "Responder hasta", "Situación",
                                    "Categoría", "Ciudadano", "Canal"]
    assert cells(panel.model) == [
        [first, "20/11/2026", "07/01/2027", "Vencido", "Tiempo de atención", "Rosa Quispe",
         "Quiosco"],
        [second, "23/11/2026", "08/01/2027", "En plazo", "Información", "Juan Pérez",
         "Quiosco"],
        [third, "01/12/2026", "18/01/2027", "En plazo",
         "Acceso a la atención o al servicio", "Ana Ñahui", "Quiosco"]]
    late = panel.model.index(0, 3)
    assert panel.model.data(late, Qt.ItemDataRole.BackgroundRole) == RED[0]
    assert panel.model.data(panel.model.index(1, 3), Qt.ItemDataRole.BackgroundRole) != RED[0]
    assert panel.summary.text() == "Reclamos abiertos: 3 · vencidos: 1"
    assert "30 días hábiles" in panel.rule.text() and "por confirmar" in panel.rule.text()
    window.grab().save(SHOT)

    panel.table.selectRow(0)
    assert "Reclamo de Rosa Quispe." in panel.detail.text()
    panel.answer.setPlainText("Se reforzó la atención en horas punta.")
    panel.delivery.setCurrentIndex(panel.delivery.findData("correo_electronico"))
    panel.send.click()
    qtbot.waitUntil(lambda: panel.book is not None and len(panel.book.reclamos) == 2,
                    timeout=10_000)
    assert [row[0] for row in cells(panel.model)] == [second, third]
    assert "Respuesta al reclamo" in panel.notice.text()
    with hub.store.read_session() as session:
        answered = session.execute(select(Reclamo.status, Reclamo.delivery, Reclamo.answer)
                                   .where(Reclamo.number == first)).one()
    assert tuple(answered) == ("respondido", "correo_electronico",
                               "Se reforzó la atención en horas punta.")

    file_dialogs.save_to = tmp_path / "reclamos"
    panel.year.setValue(2026)
    panel.export.click()
    qtbot.waitUntil(lambda: (tmp_path / "reclamos.csv").exists(), timeout=10_000)
    heading, rows = parse_csv((tmp_path / "reclamos.csv").read_text(encoding="utf-8"))
    assert heading[0] == "numero_reclamo" and [r[0] for r in rows] == [first, second, third]
    assert rows[0][heading.index("estado")] == "respondido"


def test_the_satisfaction_tab_counts_the_suggestions_box(
        qtbot: QtBot, hub: OfficeHub, clock: VirtualClock, tokens: dict[str, str]) -> None:
    clock.set(START)
    kiosk = hub.authenticate(tokens["kiosk"])
    for category, text in (("instalaciones", "Más sillas."), ("instalaciones", "Un bebedero."),
                           ("atencion", "Muy amables.")):
        hub.submit_suggestion(kiosk, SuggestionInput(category=category, text=text))
    window = make_supervisor(qtbot, hub_client(hub, tokens["supervisor"]))
    window.show_tab("satisfaction")
    shown = window.satisfaction
    qtbot.waitUntil(lambda: shown.suggestion_stats is not None, timeout=10_000)
    text = shown.suggestions.text()
    assert "Buzón de sugerencias:</b> 3" in text
    assert "Atención del personal 1" in text and "Instalaciones 2" in text
    assert "«Muy amables.»" in text
