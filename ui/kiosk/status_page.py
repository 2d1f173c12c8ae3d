""""Consultar": a citizen types the number on their cargo and sees where the expediente is.

The kiosk asks the office hub (on the LAN), so it works without internet. It only ever gets
the public status: procedure, state and dates, never names.

A signed document's QR read by a scanner (it types the statement's URL and Enter) is checked
by the hub with the office keys it holds (decision 46): `scanned` carries the text.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from html import escape

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.expediente_views import PublicStatus
from kiosk.services.signing_views import StatementVerdict
from ui.kiosk.widgets import page_button

translate = QCoreApplication.translate

MAX_DIGITS = 6  # CAJ-2026-000123: the yearly sequence has six digits
MIN_SCAN, MAX_SCAN = 40, 400  # a statement is some 215 characters, its URL more


def status_word(status: str) -> str:
    words = {
        "recibido": translate("Kiosk", "Recibido, en trámite"),
        "observado": translate("Kiosk", "Observado: debe corregir"),
        "en_area": translate("Kiosk", "En evaluación"),
        "aprobado": translate("Kiosk", "Aprobado: puede recogerlo"),
        "denegado": translate("Kiosk", "Denegado"),
        "entregado": translate("Kiosk", "Entregado"),
        "anulado": translate("Kiosk", "Anulado"),
    }
    return words.get(status, status)


def day_text(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def expediente_number(office: str, year: int, digits: str) -> str:
    return f"{office}-{year}-{int(digits):06d}"


class StatusPage(QWidget):
    """A numeric keypad, the year, and the answer in large type."""

    scanned = Signal(str)  # a QR statement a scanner typed (then Enter)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the scanner types here
        self._scan = ""
        self.verdict: StatementVerdict | None = None
        self.office = ""
        self.year = 0  # the hub's office year, from clear(): never this PC's date
        self.digits = ""
        self._year_offset = 0  # 0: this year, 1: the year before
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 24, 36, 24)
        layout.setSpacing(14)
        self.title = QLabel()
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        self.typed = QLabel()
        self.typed.setObjectName("typed")
        self.typed.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.typed)
        # Keypad and answer side by side on a landscape panel, one above the other on a
        # portrait kiosk (see resizeEvent).
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(14)
        layout.addLayout(self.body, 1)
        pad = QVBoxLayout()
        pad.setSpacing(12)
        years = QHBoxLayout()
        # "Volver" shares the row with the years: the page fits a 768-pixel-high panel.
        self.back = page_button("back")
        years.addWidget(self.back)
        self.year_buttons: dict[int, QPushButton] = {}
        for offset in (1, 0):
            button = page_button("year")
            button.setCheckable(True)
            button.clicked.connect(partial(self._choose_year, offset))
            self.year_buttons[offset] = button
            years.addWidget(button)
        pad.addLayout(years)
        keypad = QGridLayout()
        keypad.setSpacing(12)
        self.keys: dict[str, QPushButton] = {}
        for index, key in enumerate("123456789"):
            self.keys[key] = page_button("key")
            keypad.addWidget(self.keys[key], index // 3, index % 3)
        self.erase = page_button("back")
        self.keys["0"] = page_button("key")
        self.search = page_button("primary")
        for wide in (self.erase, self.search):
            wide.setMinimumHeight(60)  # as tall as the digits: one row of equal keys
        keypad.addWidget(self.erase, 3, 0)
        keypad.addWidget(self.keys["0"], 3, 1)
        keypad.addWidget(self.search, 3, 2)
        for key, button in self.keys.items():
            button.setText(key)
            button.clicked.connect(partial(self.press, key))
        self.erase.clicked.connect(self.backspace)
        pad.addLayout(keypad, 1)
        self.body.addLayout(pad, 3)
        self.result = QLabel()
        self.result.setObjectName("statusResult")
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.result, 2)
        self.found: PublicStatus | None = None
        self.problem: str | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        landscape = event.size().width() > event.size().height()
        self.body.setDirection(QBoxLayout.Direction.LeftToRight if landscape
                               else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)

    # --- typing -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            text, self._scan = self._scan, ""
            if len(text) >= MIN_SCAN:
                self.scanned.emit(text)
            return
        typed = event.text()
        if typed and typed.isprintable():
            self._scan = (self._scan + typed)[-MAX_SCAN:]
            return
        super().keyPressEvent(event)

    def clear(self, office: str, year: int) -> None:
        self.office, self.year, self.digits = office, year, ""
        self.found, self.problem, self.verdict, self._scan = None, None, None, ""
        self.setFocus()
        self._year_offset = 0
        self.retranslate()

    def press(self, key: str) -> None:
        if len(self.digits) < MAX_DIGITS and not (key == "0" and not self.digits):
            self.digits += key
        self.found, self.problem, self.verdict = None, None, None
        self.retranslate()

    def backspace(self) -> None:
        self.digits = self.digits[:-1]
        self.found, self.problem, self.verdict = None, None, None
        self.retranslate()

    def _choose_year(self, offset: int) -> None:
        self._year_offset = offset
        self.found, self.problem, self.verdict = None, None, None
        self.retranslate()

    @property
    def chosen_year(self) -> int:
        return self.year - self._year_offset

    @property
    def number(self) -> str | None:
        if not self.digits or not self.office or not self.year:
            return None
        return expediente_number(self.office, self.chosen_year, self.digits)

    # --- answers ----------------------------------------------------------------------------

    def show_status(self, status: PublicStatus) -> None:
        self.found, self.problem, self.verdict = status, None, None
        self.retranslate()

    def show_problem(self, message: str) -> None:
        self.found, self.problem, self.verdict = None, message, None
        self.retranslate()

    def show_verdict(self, verdict: StatementVerdict) -> None:
        self.found, self.problem, self.verdict = None, None, verdict
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(translate("Kiosk", "Escriba el número de su expediente"))
        self.typed.setText(self.number or translate("Kiosk", "Está en su cargo"))
        for offset, button in self.year_buttons.items():
            button.setText(str(self.year - offset) if self.year else "")
            button.setChecked(offset == self._year_offset)
        self.erase.setText(translate("Kiosk", "Borrar"))
        self.search.setText(translate("Kiosk", "Buscar"))
        self.search.setEnabled(self.number is not None)
        self.back.setText(translate("Kiosk", "Volver"))
        if self.problem is not None:
            self.result.setText(f"<p>{self.problem}</p>")
            return
        if self.verdict is not None:
            verdict = self.verdict
            head = (translate("Kiosk", "Documento auténtico") if verdict.valid else
                    translate("Kiosk", "Firma revocada") if verdict.status == "revoked" else
                    translate("Kiosk", "No se pudo verificar"))
            color = "#1b6e2a" if verdict.valid else "#a02020"
            rows = "".join(f"<tr><td><b>{escape(label)}</b>&nbsp;&nbsp;</td>"
                           f"<td>{escape(value)}</td></tr>"
                           for label, value in _compact(verdict.rows))
            self.result.setText(f"<p style='font-size:40px;color:{color}'><b>{head}</b></p>"
                                f"<p>{escape(verdict.message)}</p><table>{rows}</table>")
            return
        status = self.found
        if status is None:
            self.result.setText("")
            return
        lines = [f"<p style='font-size:44px'><b>{status_word(status.status)}</b></p>",
                 f"<p>{status.procedure_name}</p>",
                 "<p>" + translate("Kiosk", "Presentado el {0} · vence el {1}").format(
                     day_text(status.filed_on), day_text(status.due_date)) + "</p>"]
        if status.status == "observado" and status.observation_due is not None:
            lines.append("<p><b>" + translate(
                "Kiosk", "Tiene hasta el {0} para corregir. Acérquese a una ventanilla."
            ).format(day_text(status.observation_due)) + "</b></p>")
        if status.silencio_positivo:
            lines.append("<p><b>" + translate(
                "Kiosk", "Pasó el plazo sin respuesta: rige el silencio positivo. "
                         "Consulte en ventanilla.") + "</b></p>")
        self.result.setText("".join(lines))


def _compact(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A verdict's rows for the kiosk's one screen: without the digest, and a cargo's
    requirements presented as their numbers in one row (the paper lists them by number)."""
    kept = [(label, value) for label, value in rows
            if label not in ("Huella del contenido", "Requisito presentado")]
    numbers = [value.split(".", 1)[0] for label, value in rows
               if label == "Requisito presentado"]
    if numbers:
        at = next((i for i, (label, _) in enumerate(kept) if label == "Total pagado"),
                  len(kept))
        kept.insert(at, ("Requisitos presentados", ", ".join(numbers)))
    return kept
