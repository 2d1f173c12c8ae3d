"""The «Reclamos» tab: the Libro de Reclamaciones of the office. Open reclamos by the day their
answer is due (overdue in red), the chosen one in full, its answer and how it reached the
citizen; the year's CSV for the PCM's platform. The rules and their sources are
kiosk/rules/reclamos.py; this only shows what the hub says and sends what the supervisor
writes."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from kiosk.rules.reclamos import DELIVERY_TEXT
from kiosk.services.reclamo_views import ReclamoAnswer, ReclamoBook, ReclamoView
from ui.counter.models import Column, RowsModel
from ui.counter.widgets import Notice, button, label, stretch
from ui.supervisor.widgets import data_table, panel

RED = (QColor("#fde2e1"), QColor("#8a1c14"))
GREEN = (QColor("#e3f4e6"), QColor("#1d5a2b"))
GREY = (QColor("#eef1f4"), QColor("#3b4652"))
NO_RECLAMOS = "No hay reclamos abiertos."
CHANNEL_TEXT = {"kiosco": "Quiosco", "ventanilla": "Ventanilla"}


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def situation(reclamo: ReclamoView) -> str:
    if reclamo.status == "respondido":
        return "Respondido"
    return "Vencido" if reclamo.overdue else "En plazo"


class ReclamosModel(RowsModel[ReclamoView]):
    def __init__(self) -> None:
        super().__init__([
            Column("Número", lambda r: r.number),
            Column("Registrado", lambda r: _day(r.filed_at.date()), numeric=True),
            Column("Responder hasta", lambda r: _day(r.due_date), numeric=True),
            Column("Situación", situation),
            Column("Categoría", lambda r: r.category_text),
            Column("Ciudadano", lambda r: r.full_name),
            Column("Canal", lambda r: CHANNEL_TEXT.get(r.channel, r.channel)),
        ])

    def extra(self, row: ReclamoView, column: int, role: int) -> Any:
        if column not in (2, 3):
            return None
        colours = (GREY if row.status == "respondido" else RED if row.overdue else GREEN)
        if role == Qt.ItemDataRole.BackgroundRole:
            return colours[0]
        if role == Qt.ItemDataRole.ForegroundRole:
            return colours[1]
        return None


class ReclamosPanel(QWidget):
    """Shows a `ReclamoBook`; the window asks the hub for it (F5 or «Actualizar») and sends
    `answer_requested` (number, ReclamoAnswer) and `export_requested` (year)."""

    answer_requested = Signal(str, object)
    export_requested = Signal(int)
    reload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book: ReclamoBook | None = None
        root, self.summary, self.reload = panel(self, "reclamosPanel", 6)
        self.rule = label("", "hint")
        root.addWidget(self.rule)
        options = QHBoxLayout()
        self.show_answered = QCheckBox("Mostrar también los respondidos")
        options.addWidget(self.show_answered)
        options.addStretch(1)
        options.addWidget(label("Año:", None, wrap=False))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        options.addWidget(self.year)
        self.export = button("Exportar CSV (plataforma PCM)", None)
        options.addWidget(self.export)
        root.addLayout(options)
        self.model = ReclamosModel()
        self.table = data_table("reclamosTable")
        self.table.setModel(self.model)
        stretch(self.table, 5)
        root.addWidget(self.table, 3)
        self.empty = label(NO_RECLAMOS, "hint")
        root.addWidget(self.empty)
        self.detail = label("", None)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        root.addWidget(self.detail)
        answer_row = QHBoxLayout()
        self.answer = QPlainTextEdit()
        self.answer.setPlaceholderText("Respuesta de la entidad al reclamo seleccionado")
        self.answer.setMaximumHeight(90)
        answer_row.addWidget(self.answer, 1)
        self.delivery = QComboBox()
        for code, text in DELIVERY_TEXT.items():
            self.delivery.addItem(text, str(code))
        self.send = button("Registrar respuesta", None)
        self.send.setObjectName("primary")
        side = QWidget()
        side_column = QHBoxLayout(side)
        side_column.setContentsMargins(0, 0, 0, 0)
        side_column.addWidget(label("Entregada por:", None, wrap=False))
        side_column.addWidget(self.delivery)
        side_column.addWidget(self.send)
        answer_row.addWidget(side)
        root.addLayout(answer_row)
        self.notice = Notice()
        root.addWidget(self.notice)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.send.clicked.connect(self._send)
        self.export.clicked.connect(lambda: self.export_requested.emit(self.year.value()))
        self.show_answered.toggled.connect(lambda _on: self.reload_requested.emit())
        self._show_current()

    @property
    def current(self) -> ReclamoView | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def show_book(self, book: ReclamoBook) -> None:
        chosen = self.current.number if self.current is not None else None
        self.book = book
        if self.year.value() == self.year.minimum():
            self.year.setValue(book.today.year)
        open_ = [r for r in book.reclamos if r.status == "abierto"]
        late = sum(r.overdue for r in open_)
        self.summary.setText(f"Reclamos abiertos: {len(open_)} · vencidos: {late}")
        confirmed = "" if book.days_confirmed else " (cifra por confirmar en la norma vigente)"
        self.rule.setText(f"Plazo de respuesta: {book.answer_working_days} días hábiles desde el "
                          f"registro, según el calendario de la oficina{confirmed}. Fuente: "
                          f"{book.days_source}.")
        self.model.set_rows(book.reclamos)
        self.empty.setVisible(not open_)
        rows = [r.number for r in book.reclamos]
        if chosen in rows:  # nothing chosen for the supervisor: the red rows stay visible
            self.table.selectRow(rows.index(chosen))
        self._show_current()

    def _show_current(self) -> None:
        reclamo = self.current
        open_ = reclamo is not None and reclamo.status == "abierto"
        for widget in (self.answer, self.delivery, self.send):
            widget.setEnabled(open_)
        if reclamo is None:
            self.detail.setText("Elija un reclamo de la lista para leerlo y responderlo.")
            return
        contact = " · ".join(part for part in (reclamo.email, reclamo.phone, reclamo.address)
                             if part)
        text = (f"<b>{reclamo.number}</b> — {reclamo.full_name} ({reclamo.doc_type} "
                f"{reclamo.doc_number}) · {contact}<br><b>Qué ocurrió:</b> "
                f"{_html(reclamo.description)}")
        if reclamo.request:
            text += f"<br><b>Qué pide:</b> {_html(reclamo.request)}"
        if reclamo.answer:
            text += (f"<br><b>Respuesta ({reclamo.delivery_text}):</b> {_html(reclamo.answer)}")
        self.detail.setText(text)
        if open_ and reclamo.email is None:
            self.delivery.setCurrentIndex(self.delivery.findData("domicilio"))

    def _send(self) -> None:
        reclamo = self.current
        text = self.answer.toPlainText().strip()
        if reclamo is None or not text:
            self.notice.show_message("Elija un reclamo abierto y escriba la respuesta.",
                                     "error")
            return
        try:
            answer = ReclamoAnswer(answer=text, delivery=self.delivery.currentData())
        except ValueError:
            self.notice.show_message("La respuesta es demasiado larga o tiene caracteres no "
                                     "permitidos.", "error")
            return
        self.send.setEnabled(False)
        self.answer_requested.emit(reclamo.number, answer)

    def answered(self, reclamo: ReclamoView) -> None:
        self.answer.clear()
        self.notice.show_message(f"Respuesta al reclamo {reclamo.number} registrada "
                                 f"({reclamo.delivery_text}).", "info")
        self.reload_requested.emit()

    def failed(self, message: str) -> None:
        self.send.setEnabled(self.current is not None and self.current.status == "abierto")
        self.notice.show_message(message, "error")


def _html(text: str) -> str:
    return escape(text).replace("\n", "<br>")
