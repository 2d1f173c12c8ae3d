"""The small forms of an expediente: a transition (observe, derive, …), a payment and a
recurso against its decision.

Both are pages of the work area, not modal dialogs: the keyboard stays in the window, Enter
confirms, Esc goes back, and what was typed survives a refusal from the hub.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import QDate, QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import InvalidInput
from kiosk.rules.comision_tecnica import NOTE_REQUIRED as DICTAMEN_NOTE_REQUIRED
from kiosk.rules.itse import CERTIFICATE_VALIDITY_YEARS, certificate_valid_until
from kiosk.services.expediente_views import (
    ActaView,
    AppealInput,
    ExpedienteView,
    PaymentInput,
    TransitionInput,
)
from kiosk.services.itse_views import ItseInput
from ui.counter import texts
from ui.counter.expediente_form import ActaPicker
from ui.counter.widgets import Notice, button, card, label


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


MONEY = QRegularExpression(r"^\s*(S/\s*)?\d{0,7}([.,]\d{0,2})?\s*$")


class _Page(QWidget):
    """A form on a card with a notice and Cancelar / confirm buttons; Enter confirms."""

    submitted = Signal()
    cancelled = Signal()

    def __init__(self, confirm_text: str) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.card = card()
        outer.addWidget(self.card)
        outer.addStretch(1)
        self.body = QVBoxLayout(self.card)
        self.body.setContentsMargins(20, 16, 20, 16)
        self.body.setSpacing(10)
        self.title = label("", "h1")
        self.subtitle = label("", "hint")
        self.body.addWidget(self.title)
        self.body.addWidget(self.subtitle)
        self.form = QFormLayout()
        self.form.setVerticalSpacing(10)
        self.body.addLayout(self.form)
        self.notice = Notice()
        self.body.addWidget(self.notice)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel = button("Volver", "Esc")
        self.confirm = QPushButton(f"{confirm_text} (Enter)")
        self.confirm.setObjectName("primary")
        self.confirm.setMinimumHeight(40)
        row.addWidget(self.cancel)
        row.addWidget(self.confirm)
        self.body.addLayout(row)
        self._confirm_text = confirm_text
        self._busy = False
        self.confirm.clicked.connect(self._submit)
        self.cancel.clicked.connect(self.cancelled)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
            return
        super().keyPressEvent(event)

    def _submit(self) -> None:
        if not self._busy:
            self.submitted.emit()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.confirm.setEnabled(not busy)
        self.confirm.setText("Un momento…" if busy else f"{self._confirm_text} (Enter)")

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.notice.show_message(message, "error")


class TransitionForm(_Page):
    def __init__(self) -> None:
        super().__init__("Confirmar")
        self.note = QLineEdit()
        self.note.setMaxLength(500)
        self.area = QComboBox()
        self.area.setEditable(True)
        self.area.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for area in texts.AREAS:
            self.area.addItem(area)
        self.result = QComboBox()
        for code, text in texts.INSPECTION_RESULTS.items():
            self.result.addItem(text, code)
        # inspect, conforme: the ITSE certificate (kiosk/rules/itse.py: valid two years).
        self.certificate_number = QLineEdit()
        self.certificate_number.setMaxLength(30)
        self.certificate_number.setPlaceholderText("N.° del certificado de ITSE")
        self.certificate_date = QDateEdit()
        self.certificate_date.setCalendarPopup(True)
        self.certificate_date.setDisplayFormat("dd/MM/yyyy")
        self.certificate_validity = label("", "hint")
        self.result.currentIndexChanged.connect(self._inspection_changed)
        self.certificate_date.dateChanged.connect(self._show_validity)
        # review: the Comisión Técnica's dictamen.
        self.dictamen = QComboBox()
        for code, text in texts.DICTAMEN_RESULTS.items():
            self.dictamen.addItem(text, code)
        self.dictamen.currentIndexChanged.connect(self._dictamen_changed)
        self.risk = label("")
        # link_acta: the same acta search as when filing a partida.
        self.acta_picker = ActaPicker(results_height=130)
        self.form.addRow("Acta", self.acta_picker)
        self.form.addRow("Nota", self.note)
        self.form.addRow("Área", self.area)
        self.form.addRow("Resultado", self.result)
        self.form.addRow("Nivel de riesgo", self.risk)
        self.form.addRow("N.° de certificado", self.certificate_number)
        self.form.addRow("Fecha de emisión", self.certificate_date)
        self.form.addRow("", self.certificate_validity)
        self.form.addRow("Dictamen", self.dictamen)
        self.action = ""
        self.number = ""
        self._today = date.today()  # given by open_for
        for field in (self.risk, self.certificate_number, self.certificate_date,
                      self.certificate_validity, self.dictamen):
            self._show_row(field, False)  # each action shows its own (open_for)

    def open_for(self, expediente: ExpedienteView, action: str, today: date | None = None
                 ) -> None:
        """`today`: the day the certificate's date starts at (the hub checks it is not after
        the office's today)."""
        self.action = action
        if today is not None:
            self._today = today
        self.number = expediente.number
        self.title.setText(texts.ACTION_TITLES.get(action, action))
        self.subtitle.setText(f"Expediente {expediente.number} · {expediente.procedure_name} · "
                              f"{expediente.applicant_name}")
        self.note.clear()
        required = action in texts.NOTE_REQUIRED
        self.note.setPlaceholderText("Obligatoria: el ciudadano debe saber el motivo"
                                     if required else "Opcional")
        self._show_row(self.area, action == "derive")
        self._show_row(self.result, action == "inspect")
        self._show_row(self.risk, action == "inspect")
        self._show_row(self.dictamen, action == "review")
        self.risk.setText(texts.RISKS.get(expediente.variant or "", expediente.variant or "")
                          if expediente.category == "licencia_funcionamiento" else "")
        self.result.setCurrentIndex(0)
        self.dictamen.setCurrentIndex(0)
        self.certificate_number.clear()
        self.certificate_date.setDate(_qdate(self._today))
        self._inspection_changed()
        self._dictamen_changed()
        if action == "review" and expediente.review_due is not None:
            self.subtitle.setText(f"{self.subtitle.text()}\nDictamen hasta el "
                                  f"{texts.day_text(expediente.review_due)}"
                                  + (" (vencido)" if expediente.review_overdue else ""))
        self._show_row(self.acta_picker, action == "link_acta")
        if action == "derive":
            index = self.area.findText(expediente.area)
            self.area.setCurrentIndex(index if index >= 0 else 0)
        self.acta_picker.clear()
        if action == "link_acta":
            self.acta_picker.kind = expediente.variant or ""
            note = str(expediente.details.get("search_note") or "").strip()
            if note:
                self.subtitle.setText(f"{self.subtitle.text()}\nDatos para la búsqueda: {note}")
            if expediente.details.get("relation") == "titular":  # the applicant is the titular
                self.acta_picker.query.setText(expediente.applicant_name)
        self.notice.clear_message()
        self.set_busy(False)
        (self.area if action == "derive" else self.result if action == "inspect"
         else self.dictamen if action == "review"
         else self.acta_picker.query if action == "link_acta" else self.note).setFocus()

    def show_actas(self, actas: list[ActaView]) -> None:
        self.acta_picker.show_actas(actas, "No se encontró el acta: revise los nombres o el "
                                           "número, o busque con menos palabras.")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and self.acta_picker.query.hasFocus():
            return  # Enter in the acta's search box searches; it does not confirm
        super().keyPressEvent(event)

    def _show_row(self, field: QWidget, visible: bool) -> None:
        self.form.setRowVisible(field, visible)

    def _inspection_changed(self, _index: int = 0) -> None:
        """A certificate only for a conforme ITSE."""
        shown = self.action == "inspect" and self.result.currentData() == "conforme"
        for field in (self.certificate_number, self.certificate_date,
                      self.certificate_validity):
            self._show_row(field, shown)
        self._show_validity()

    def _show_validity(self) -> None:
        issued = _pydate(self.certificate_date.date())
        self.certificate_validity.setText(
            f"Vigente hasta el {texts.day_text(certificate_valid_until(issued))} "
            f"({CERTIFICATE_VALIDITY_YEARS.value} años, {CERTIFICATE_VALIDITY_YEARS.source})")

    def _dictamen_changed(self, _index: int = 0) -> None:
        if self.action != "review":
            return
        required = self.dictamen.currentData() in DICTAMEN_NOTE_REQUIRED
        self.note.setPlaceholderText("Obligatoria: las observaciones de la Comisión Técnica"
                                     if required else "Opcional")

    def build_itse(self) -> ItseInput:
        """The ITSE as the hub records it (result and, when conforme, its certificate)."""
        result = self.result.currentData()
        conforme = result == "conforme"
        number = self.certificate_number.text().strip() or None
        if conforme and number is None:
            raise InvalidInput("certificate_required",
                               "Escriba el número del certificado de ITSE.")
        return ItseInput(result=result, note=self.note.text().strip() or None,
                         certificate_number=number if conforme else None,
                         certificate_date=_pydate(self.certificate_date.date())
                         if conforme else None)

    def build(self, ticket_id: str | None) -> TransitionInput:
        note = self.note.text().strip() or None
        if self.action in texts.NOTE_REQUIRED and note is None:
            raise InvalidInput("note_required", "Escriba el motivo en la nota.")
        area = self.area.currentText().strip() or None if self.action == "derive" else None
        if self.action == "derive" and area is None:
            raise InvalidInput("area_required", "Elija o escriba el área de destino.")
        result = self.result.currentData() if self.action == "inspect" else None
        dictamen = self.dictamen.currentData() if self.action == "review" else None
        if dictamen in DICTAMEN_NOTE_REQUIRED and note is None:
            raise InvalidInput("note_required",
                               "Escriba en la nota las observaciones de la Comisión Técnica.")
        acta_id = None
        if self.action == "link_acta":
            acta = self.acta_picker.acta
            if acta is None:
                raise InvalidInput("acta_missing", "Busque el acta y elíjala en la lista.")
            acta_id = acta.id
        return TransitionInput(action=self.action, note=note, area=area,
                               inspection_result=result, dictamen=dictamen,
                               ticket_id=ticket_id, acta_id=acta_id)


class PaymentForm(_Page):
    def __init__(self) -> None:
        super().__init__("Cobrar e imprimir recibo")
        self.due = label("", "money")
        self.amount = QLineEdit()
        self.amount.setValidator(QRegularExpressionValidator(MONEY, self.amount))
        self.amount.setReadOnly(True)  # the hub takes the balance exactly, no partial payments
        self.amount.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.method = QComboBox()
        for code, text in texts.PAYMENT_METHODS.items():
            self.method.addItem(text, code)
        self.voucher = QLineEdit()
        self.voucher.setMaxLength(30)
        self.voucher.setPlaceholderText("N.° de operación del voucher")
        self.cash = QLineEdit()
        self.cash.setValidator(QRegularExpressionValidator(MONEY, self.cash))
        self.cash.setPlaceholderText("Lo que entrega el ciudadano")
        self.change = label("", "h2")
        self.form.addRow("Derecho", self.due)
        self.form.addRow("Importe S/", self.amount)
        self.form.addRow("Forma de pago", self.method)
        self.form.addRow("Voucher", self.voucher)
        self.form.addRow("Recibido S/", self.cash)
        self.form.addRow("Vuelto", self.change)
        self.number = ""
        self.balance = Decimal("0")
        self.method.currentIndexChanged.connect(self._method_changed)
        self.amount.textChanged.connect(self._update_change)
        self.cash.textChanged.connect(self._update_change)

    def open_for(self, expediente: ExpedienteView) -> None:
        self.number = expediente.number
        self.balance = expediente.balance
        self.title.setText(f"Cobrar — expediente {expediente.number}")
        self.subtitle.setText(f"{expediente.procedure_name} · {expediente.applicant_name}")
        self.due.setText(f"{texts.soles(expediente.fee)} · pagado {texts.soles(expediente.paid)}"
                         f" · saldo {texts.soles(expediente.balance)}")
        self.amount.setText(f"{expediente.balance:.2f}")
        self.method.setCurrentIndex(0)
        self.voucher.clear()
        self.cash.clear()
        self.notice.clear_message()
        self.set_busy(False)
        self._method_changed()
        self.cash.setFocus()

    def _method_changed(self) -> None:
        cash = self.method.currentData() == "efectivo"
        self.form.setRowVisible(self.voucher, not cash)
        self.form.setRowVisible(self.cash, cash)
        self.form.setRowVisible(self.change, cash)
        self._update_change()

    def _update_change(self) -> None:
        amount = texts.parse_soles(self.amount.text())
        received = texts.parse_soles(self.cash.text())
        if amount is None or received is None:
            self.change.setText("—")
        elif received < amount:
            self.change.setText(f"Faltan {texts.soles(amount - received)}")
        else:
            self.change.setText(texts.soles(received - amount))

    def build(self, ticket_id: str | None) -> PaymentInput:
        amount = texts.parse_soles(self.amount.text())
        if amount is None or amount <= 0:
            raise InvalidInput("amount_missing", "Escriba el importe a cobrar.")
        method = str(self.method.currentData())
        voucher = self.voucher.text().strip() or None
        received = texts.parse_soles(self.cash.text())
        if method == "banco_nacion":
            if voucher is None:
                raise InvalidInput("voucher_missing",
                                   "Escriba el número de operación del voucher del Banco de la "
                                   "Nación.")
            received = None
        else:
            voucher = None
            if received is not None and received < amount:
                raise InvalidInput("cash_short", f"El efectivo recibido no alcanza: faltan "
                                                 f"{texts.soles(amount - received)}.")
        return PaymentInput(amount=amount, method=method,
                            voucher_number=voucher, cash_received=received,
                            ticket_id=ticket_id)


class AppealForm(_Page):
    """A recurso the citizen files against the decision: which one, when they were notified
    (the 15 working days count from then; empty: the day of the decision), what they ask."""

    def __init__(self) -> None:
        super().__init__("Registrar recurso")
        self.kind = QComboBox()
        self.notified = QLineEdit()
        self.notified.setPlaceholderText("DD/MM/AAAA — vacío: el día de la decisión")
        self.notified.setMaxLength(10)
        self.note = QLineEdit()
        self.note.setMaxLength(500)
        self.note.setPlaceholderText("Opcional: qué pide el ciudadano, en breve")
        self.form.addRow("Recurso", self.kind)
        self.form.addRow("Notificado el", self.notified)
        self.form.addRow("Nota", self.note)
        self.number = ""

    def open_for(self, expediente: ExpedienteView) -> None:
        self.number = expediente.number
        self.title.setText("Registrar un recurso contra la decisión")
        due = expediente.appeal_filing_due
        self.subtitle.setText(
            f"Expediente {expediente.number} · {expediente.procedure_name} · "
            f"{expediente.status_text}. Se presenta dentro de 15 días hábiles desde la "
            "notificación (TUO de la Ley 27444, art. 218.2)"
            + (f": contados desde la decisión, hasta el {texts.day_text(due)}. Si se notificó "
               "después, escriba la fecha de notificación." if due else "."))
        self.kind.clear()
        for kind in expediente.appeal_kinds:
            self.kind.addItem(texts.APPEAL_KINDS.get(kind, kind), kind)
        self.notified.clear()
        self.note.clear()
        self.notice.clear_message()
        self.set_busy(False)
        self.kind.setFocus()

    def build(self, ticket_id: str | None) -> AppealInput:
        typed = self.notified.text().strip()
        notified: date | None = None
        if typed:
            try:
                notified = datetime.strptime(typed, "%d/%m/%Y").date()
            except ValueError:
                raise InvalidInput("invalid_notification",
                                   f"Fecha de notificación no válida «{typed}»: escríbala "
                                   "como DD/MM/AAAA (por ejemplo 04/12/2026).") from None
        return AppealInput(kind=self.kind.currentData(), notified_on=notified,
                           note=self.note.text().strip() or None, ticket_id=ticket_id)
