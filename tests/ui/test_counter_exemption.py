"""At the counter an exemption is chosen in the filing form, among those the law grants for
the chosen procedure: the first copy of a birth record is free (Ley 29462), its S/ 0.00
receipt prints with the legal basis. A CPP/PTP card is one of the documents offered."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.hub import SYSTEM, OfficeHub
from printing.documents import payment_receipt_layout
from printing.escpos_render import render_bytes
from printing.preview import preview_png
from tests.printing.escpos_decoder import decode
from tests.ui.test_counter_flow import CTRL, open_form, type_applicant
from ui.counter.window import CounterWindow

# Where to keep the screenshots a person looks at (unset: the test's own folder).
SHOTS = os.environ.get("CAC_SHOTS")


def test_the_first_copy_is_filed_free_and_its_receipt_names_the_law(
        qtbot: QtBot, logged_in: CounterWindow, hub: OfficeHub, tmp_path: Path) -> None:
    window = logged_in
    form = window.form
    assert form.doc_type.findData("CPP") >= 0  # the permit card many Venezuelans hold
    open_form(qtbot, window, "RC-02")  # a marriage record: no exemption applies
    assert not form.exemption.isEnabled() and form.exemption.currentText() == "No corresponde"
    form.choose("RC-01")
    assert form.exemption.isEnabled()
    offered = [form.exemption.itemData(i) for i in range(form.exemption.count())]
    assert offered == [None, "primera_copia_nacimiento", "copia_para_dni"]
    type_applicant(qtbot, window)
    qtbot.keyClicks(form.partida.query, "Elmer Quispe")
    qtbot.keyClick(form.partida.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.partida.acta is not None, timeout=10_000)
    form.partida.relation.setCurrentIndex(form.partida.relation.findData("padre_madre"))
    qtbot.mouseClick(form.all_requirements, Qt.MouseButton.LeftButton)
    form.exemption.setCurrentIndex(form.exemption.findData("primera_copia_nacimiento"))
    shots = Path(SHOTS) if SHOTS else tmp_path
    window.grab().save(str(shots / "counter-exemption-form.png"))

    qtbot.keyClick(form.note, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: window.area.stack.currentWidget() is window.expediente,
                    timeout=10_000)
    shown = window.expediente.expediente
    assert shown is not None
    filed = hub.expediente(SYSTEM, shown.number)
    assert (filed.exemption, filed.fee, filed.exempted) == (
        "primera_copia_nacimiento", Decimal("0.00"), Decimal("8.50"))
    assert window.expediente.facts["balance"][1].text() == "S/ 0.00"
    [receipt] = filed.payments
    layout = payment_receipt_layout(receipt, "CAC Cajamarca", "https://cac.example/t/x",
                                    expediente=filed, municipality="Municipalidad de Cajamarca")
    (shots / "receipt-exemption.png").write_bytes(preview_png(layout, 80))
    text = " ".join(decode(render_bytes(layout, 80)).text.split())
    assert "Base legal: Ley 29462" in text and "TOTAL S/ 0.00" in text
