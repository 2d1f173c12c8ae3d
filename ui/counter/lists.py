"""The two list pages of the work area: «Buscar expediente» and «Cierre de caja»."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLineEdit, QTableView, QVBoxLayout, QWidget

from kiosk.services.expediente_views import CashClosing, ExpedienteSummary
from ui.counter import texts
from ui.counter.models import cash_lines_model, expediente_results_model
from ui.counter.widgets import Notice, button, label, stretch, table


class _EnterTable(QTableView):
    """A results table where Enter opens the current row."""

    activated_row = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    search_requested = Signal(str)
    open_requested = Signal(str)  # expediente number

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label("Buscar expediente", "h1"))
        row = QHBoxLayout()
        self.query = QLineEdit()
        self.query.setMaxLength(120)
        self.query.setPlaceholderText("N.° de expediente, código de seguimiento, DNI/RUC o "
                                      "nombre")
        self.go = button("Buscar (Enter)", None, "primary")
        row.addWidget(self.query, 1)
        row.addWidget(self.go)
        layout.addLayout(row)
        self.notice = Notice()
        layout.addWidget(self.notice)
        self.model = expediente_results_model()
        self.results = _EnterTable()
        table(self.results)
        self.results.setModel(self.model)
        layout.addWidget(self.results, 1)
        layout.addWidget(label("Enter o doble clic abre el expediente elegido.", "hint"))
        self.go.clicked.connect(self._search)
        self.query.returnPressed.connect(self._search)
        self.results.activated_row.connect(self._open_row)
        self.results.doubleClicked.connect(lambda index: self._open_row(index.row()))

    def _search(self) -> None:
        query = self.query.text().strip()
        if len(query) < 2:
            self.notice.show_message("Escriba al menos 2 caracteres.", "error")
            return
        self.notice.clear_message()
        self.search_requested.emit(query)

    def _open_row(self, row: int) -> None:
        found = self.model.row_at(row)
        if found is not None:
            self.open_requested.emit(found.number)

    def show_results(self, results: Sequence[ExpedienteSummary]) -> None:
        self.model.set_rows(results)
        stretch(self.results, 1)
        if results:
            self.notice.show_message(f"{len(results)} expediente(s) encontrado(s).", "info")
            self.results.setCurrentIndex(self.model.index(0, 0, QModelIndex()))
            self.results.selectRow(0)
            self.results.setFocus()
        else:
            self.notice.show_message("No se encontró ningún expediente.", "error")
            self.query.setFocus()
            self.query.selectAll()


class CashPanel(QWidget):
    closing_requested = Signal(object)  # date
    print_requested = Signal()
    save_requested = Signal()  # the A4 cierre as a PDF, signed when the clerk signs

    def __init__(self, tz: tzinfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label("Cierre de caja", "h1"))
        row = QHBoxLayout()
        row.addWidget(label("Día", wrap=False))
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setDate(QDate.currentDate())
        self.show_button = button("Consultar (Enter)", None)
        row.addWidget(self.day)
        row.addWidget(self.show_button)
        row.addStretch(1)
        self.print = button("Imprimir cierre", "Ctrl+P", "primary")
        self.print.setEnabled(False)
        self.save_pdf = button("Guardar cierre firmado (PDF)", None)
        self.save_pdf.setEnabled(False)
        row.addWidget(self.save_pdf)
        row.addWidget(self.print)
        layout.addLayout(row)
        self.clerk = label("", "h2")
        layout.addWidget(self.clerk)
        self.model = cash_lines_model(tz)
        self.lines = table()
        self.lines.setModel(self.model)
        layout.addWidget(self.lines, 1)
        self.totals = label("", "money")
        layout.addWidget(self.totals)
        self.notice = Notice()
        layout.addWidget(self.notice)
        self.closing: CashClosing | None = None
        self.show_button.clicked.connect(self.request)
        self.print.clicked.connect(self.print_requested)
        self.save_pdf.clicked.connect(self.save_requested)
        line = self.day.findChild(QLineEdit)
        if line is not None:
            line.returnPressed.connect(self.request)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.request()
            return
        super().keyPressEvent(event)

    def selected_day(self) -> date:
        chosen = self.day.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def request(self) -> None:
        self.closing_requested.emit(self.selected_day())

    def show_closing(self, closing: CashClosing) -> None:
        self.closing = closing
        day = closing.business_date
        self.day.setDate(QDate(day.year, day.month, day.day))
        self.clerk.setText(f"{closing.clerk} · {texts.day_text(closing.business_date)}")
        self.model.set_rows(closing.lines)
        stretch(self.lines, 2)
        order = list(texts.PAYMENT_METHODS)
        methods = sorted(closing.by_method.items(),
                         key=lambda item: (order.index(item[0]) if item[0] in order
                                           else len(order), item[0]))
        by_method = " · ".join(f"{texts.PAYMENT_METHODS.get(m, m)}: {texts.soles(a)}"
                               for m, a in methods)
        exempt = " · ".join(f"{e.name}: {e.count} ({texts.soles(e.amount)} no cobrado)"
                            for e in closing.exemptions)
        self.totals.setText(f"<b>{closing.count} recibo(s) · Total {texts.soles(closing.total)}"
                            f"</b>" + (f" · {by_method}" if by_method else "")
                            + (f"<br>Exonerados: {exempt}" if exempt else ""))
        self.print.setEnabled(True)
        self.save_pdf.setEnabled(True)
