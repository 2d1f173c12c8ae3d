"""The counter's hoja de reclamación: a clerk files a citizen's reclamo of the Libro de
Reclamaciones (kiosk/rules/reclamos.py) and prints the hoja with its number and the answer's
day. The form says first what is not a reclamo and where it goes."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.rules.reclamos import CATEGORY_TEXT, NOT_RECLAMOS
from kiosk.services.reclamo_views import ReclamoDraft, ReclamoInput, ReclamoView
from printing.documents.common import long_date
from ui.counter.widgets import Notice, button, card, label

DOC_TYPES = (("DNI", "DNI"), ("CE", "Carné de extranjería"), ("CPP", "CPP / PTP"),
             ("PAS", "Pasaporte"))


class ReclamoForm(QWidget):
    """Ctrl+Enter files it (Enter makes a new line in the texts); what was typed survives a
    refusal from the hub."""

    filing_requested = Signal(object)  # ReclamoInput
    cancelled = Signal()
    draft_requested = Signal(str)  # a ticket number: what its citizen typed at the kiosk

    def __init__(self) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        box = card()
        outer.addWidget(box, 1)
        body = QVBoxLayout(box)
        body.setContentsMargins(20, 12, 20, 12)
        body.setSpacing(6)
        body.addWidget(label("Libro de Reclamaciones — hoja de reclamación", "h1"))
        self.elsewhere = label("<b>No son reclamos:</b> " + " · ".join(
            f"<b>{escape(e.what.split(' (')[0])}</b>: {escape(e.where)}" for e in NOT_RECLAMOS),
            "hint")
        self.elsewhere.setTextFormat(Qt.TextFormat.RichText)
        body.addWidget(self.elsewhere)
        # A citizen who started at the kiosk and asked for help: their ticket brings it.
        started = QHBoxLayout()
        started.addWidget(label("Empezado en el quiosco, turno:", "hint"))
        self.from_ticket = QLineEdit()
        self.from_ticket.setMaxLength(12)
        self.from_ticket.setMaximumWidth(110)
        self.from_ticket.setPlaceholderText("p. ej. R-004")
        started.addWidget(self.from_ticket)
        self.bring = QPushButton("Traer lo escrito")
        started.addWidget(self.bring)
        started.addStretch(1)
        body.addLayout(started)
        self.bring.clicked.connect(self._ask_draft)
        self.from_ticket.returnPressed.connect(self._ask_draft)
        self._draft_ticket: str | None = None
        form = QFormLayout()
        form.setVerticalSpacing(6)
        self.category = QComboBox()
        for category, text in CATEGORY_TEXT.items():
            self.category.addItem(text, str(category))
        self.doc_type = QComboBox()
        for doc_type, text in DOC_TYPES:
            self.doc_type.addItem(text, doc_type)
        self.doc_number = QLineEdit()
        self.doc_number.setMaxLength(20)
        self.full_name = QLineEdit()
        self.full_name.setMaxLength(200)
        self.address = QLineEdit()
        self.address.setMaxLength(200)
        self.phone = QLineEdit()
        self.phone.setMaxLength(20)
        self.email = QLineEdit()
        self.email.setMaxLength(120)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.request = QPlainTextEdit()
        self.request.setTabChangesFocus(True)
        self.request.setMaximumHeight(70)
        document = QHBoxLayout()
        document.addWidget(self.doc_type)
        document.addWidget(self.doc_number, 1)
        for text, widget in (("Categoría", self.category), ("Documento *", document),
                             ("Nombres y apellidos *", self.full_name),
                             ("Domicilio", self.address), ("Teléfono", self.phone),
                             ("Correo electrónico", self.email),
                             ("¿Qué ocurrió? *", self.description),
                             ("¿Qué pide?", self.request)):
            form.addRow(text, widget)
        body.addLayout(form, 1)
        body.addWidget(label("* obligatorio. Un correo o un domicilio: allí se envía la "
                             "respuesta.", "hint"))
        self.notice = Notice()
        body.addWidget(self.notice)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel = button("Volver", "Esc")
        self.confirm = QPushButton("Registrar e imprimir (Ctrl+Enter)")
        self.confirm.setObjectName("primary")
        self.confirm.setMinimumHeight(40)
        row.addWidget(self.cancel)
        row.addWidget(self.confirm)
        body.addLayout(row)
        self.confirm.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.cancelled)
        self.filed: ReclamoView | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.submit()
            return
        super().keyPressEvent(event)

    def _ask_draft(self) -> None:
        number = self.from_ticket.text().strip().upper()
        if number:
            self.draft_requested.emit(number)

    def fill(self, ticket: str, draft: ReclamoDraft) -> None:
        """What the citizen typed at the kiosk, to check and complete with them."""
        if draft.category is not None:
            self.category.setCurrentIndex(max(0, self.category.findData(draft.category)))
        self.doc_type.setCurrentIndex(max(0, self.doc_type.findData(draft.doc_type)))
        for field, value in ((self.doc_number, draft.doc_number),
                             (self.full_name, draft.full_name), (self.address, draft.address),
                             (self.phone, draft.phone), (self.email, draft.email)):
            field.setText(value or "")
        self.description.setPlainText(draft.description or "")
        self.request.setPlainText(draft.request or "")
        self._draft_ticket = ticket
        self.notice.show_message(f"Traído lo que escribió en el quiosco (turno {ticket}): "
                                 "revíselo con el ciudadano y complete lo que falte.", "info")

    def clear(self) -> None:
        self._draft_ticket = None
        self.from_ticket.clear()
        for field in (self.doc_number, self.full_name, self.address, self.phone, self.email):
            field.clear()
        self.description.clear()
        self.request.clear()
        self.category.setCurrentIndex(0)
        self.doc_type.setCurrentIndex(0)
        self.notice.clear_message()
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        self.confirm.setEnabled(not busy)

    def submit(self) -> None:
        if not self.confirm.isEnabled():
            return
        description = self.description.toPlainText().strip()
        if not (self.doc_number.text().strip() and self.full_name.text().strip()
                and description):
            self.show_error("Complete el documento, el nombre y qué ocurrió.")
            return
        try:
            hoja = ReclamoInput(
                category=self.category.currentData(), doc_type=self.doc_type.currentData(),
                doc_number=self.doc_number.text().strip(),
                full_name=self.full_name.text().strip(),
                address=self.address.text().strip() or None,
                phone=self.phone.text().strip() or None,
                email=self.email.text().strip() or None, description=description,
                request=self.request.toPlainText().strip() or None,
                from_ticket=self._draft_ticket)
        except ValueError:
            self.show_error("Revise lo escrito: un dato es demasiado largo o tiene caracteres "
                            "no permitidos.")
            return
        self.set_busy(True)
        self.filing_requested.emit(hoja)

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.notice.show_message(message, "error")

    def show_filed(self, reclamo: ReclamoView, printed: str) -> None:
        """Filed: the form is emptied for the next citizen and says the number."""
        self.clear()
        self.filed = reclamo
        self.notice.show_message(
            f"Reclamo {reclamo.number} registrado. La entidad debe responder a más tardar el "
            f"{long_date(reclamo.due_date)}. {printed}", "info")
