"""Ventanillas: the office's counters, a new one, and which services each one serves in
which order (the first is called first)."""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.client.base import HubClient
from kiosk.rules.calling import PREFERENTIAL_MODE_TEXT, PreferentialMode
from kiosk.services.admin_views import CounterSetup
from kiosk.services.views import CounterView, ServiceView
from ui.admin import texts
from ui.admin.models import CountersModel, ServedModel
from ui.admin.widgets import AdminTab, Runner, buttons, form_layout, group, line, primary
from ui.counter.widgets import label, stretch, table

FORM_WIDTH = 480


class CountersTab(AdminTab):
    title = "Ventanillas"

    def __init__(self, client: HubClient, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(client, run, parent)
        self.counters: list[CounterView] = []
        self.services: list[ServiceView] = []
        self.editing: CounterView | None = None
        root = QHBoxLayout(self)
        root.setContentsMargins(4, 8, 4, 4)
        root.setSpacing(12)
        left = QVBoxLayout()
        left.addWidget(label("Cada ventanilla llama primero los turnos del primer servicio de "
                             "su lista; cuando no hay, los del segundo, y así.", "hint"))
        self.model = CountersModel()
        self.table = table()
        self.table.setModel(self.model)
        stretch(self.table, 2)
        left.addWidget(self.table, 1)
        root.addLayout(left, 1)

        box, column = group("Ventanilla")
        box.setFixedWidth(FORM_WIDTH)
        self.heading = label("Nueva ventanilla", "h2")
        column.addWidget(self.heading)
        form = form_layout()
        self.number = QSpinBox()
        self.number.setRange(1, 999)
        self.name = line("p. ej. Ventanilla 5", 60)
        # Ley 28683: preferential tickets go first; a dedicated counter lets regular turns move.
        self.preferential = QComboBox()
        for mode, text in PREFERENTIAL_MODE_TEXT.items():
            self.preferential.addItem(text, mode.value)
        form.addRow("&Número", self.number)
        form.addRow("N&ombre", self.name)
        column.addLayout(form)
        caption = label("Turnos &preferenciales (Ley 28683: siempre primero; una ventanilla "
                        "propia deja avanzar a los demás):", "hint")
        caption.setBuddy(self.preferential)
        column.addWidget(caption)
        column.addWidget(self.preferential)
        column.addWidget(label("Servicios que atiende, en orden de preferencia (elija uno "
                               "y muévalo):", "hint"))
        self.served = ServedModel()
        self.served_view = table()
        self.served_view.setModel(self.served)
        self.served_view.verticalHeader().setVisible(True)  # the rank: 1.º, 2.º, …
        self.served_view.setMinimumHeight(150)
        order = QHBoxLayout()
        order.addWidget(self.served_view, 1)
        moves = QVBoxLayout()
        self.up = QPushButton("▲ Subir")
        self.down = QPushButton("▼ Bajar")
        self.remove = QPushButton("Quitar")
        for widget in (self.up, self.down, self.remove):
            moves.addWidget(widget)
        moves.addStretch(1)
        order.addLayout(moves)
        column.addLayout(order)
        adding = QHBoxLayout()
        self.available = QComboBox()
        self.add = QPushButton("Agregar servicio")
        adding.addWidget(self.available, 1)
        adding.addWidget(self.add)
        column.addLayout(adding)
        self.save = primary("Agregar ventanilla")
        self.new = QPushButton("Nueva ventanilla")
        column.addLayout(buttons(self.save, self.new))
        column.addWidget(self.notice)
        column.addStretch(1)
        root.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)

        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.edit_row(current.row()))
        self.up.clicked.connect(lambda: self.move_service(-1))
        self.down.clicked.connect(lambda: self.move_service(1))
        self.remove.clicked.connect(self.remove_current)
        self.add.clicked.connect(self.add_service)
        self.save.clicked.connect(self.submit)
        self.new.clicked.connect(self.start_new)
        self.start_new()

    # --- the list -----------------------------------------------------------------------

    def load(self, select: int | None = None) -> None:
        client = self.client

        def work() -> tuple[list[ServiceView], list[CounterView]]:
            return client.admin_services(), client.admin_counters()

        self.run(work, lambda result: self.show_counters(result[0], result[1], select))

    def show_counters(self, services: list[ServiceView], counters: list[CounterView],
                      select: int | None = None) -> None:
        self.loads += 1
        self.services, self.counters = services, counters
        self.model.set_services(services)
        self.model.set_rows(counters)
        self.served.set_services(services)
        self._fill_available()
        wanted = select if select is not None else (
            self.editing.number if self.editing else None)
        row = self.model.find(wanted) if wanted is not None else -1
        if row >= 0:
            self.table.selectRow(row)
            self.edit_row(row)
        elif self.editing is None:
            self.number.setValue(max((c.number for c in counters), default=0) + 1)

    def _fill_available(self) -> None:
        chosen = set(self.served.codes())
        self.available.clear()
        for service in self.services:
            if service.code not in chosen:
                self.available.addItem(f"{service.prefix} · {service.name}"
                                       + ("" if service.active else " (inactivo)"),
                                       service.code)
        self.add.setEnabled(self.available.count() > 0)

    # --- the form -----------------------------------------------------------------------

    def start_new(self) -> None:
        self.editing = None
        self.table.clearSelection()
        self.heading.setText("Nueva ventanilla")
        self.number.setReadOnly(False)
        self.number.setValue(max((c.number for c in self.counters), default=0) + 1)
        self.name.clear()
        self.preferential.setCurrentIndex(0)
        self.served.set_codes([])
        self._fill_available()
        self.save.setText("Agregar ventanilla")
        self.name.setFocus()

    def edit_row(self, row: int) -> None:
        counter = self.model.row_at(row)
        if counter is None:
            return
        self.editing = counter
        self.heading.setText(f"{counter.name}")
        self.number.setValue(counter.number)
        self.number.setReadOnly(True)  # a counter's number is its identity
        self.name.setText(counter.name)
        self.preferential.setCurrentIndex(max(0, self.preferential.findData(counter.preferential)))
        self.served.set_codes(counter.services)
        self._fill_available()
        self.save.setText("Guardar ventanilla")

    def _current(self) -> int:
        return self.served_view.currentIndex().row()

    def _select(self, row: int) -> None:
        index = self.served.index(row)
        self.served_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def move_service(self, delta: int) -> None:
        row = self._current()
        if row < 0:
            self.notice.show_message("Elija primero un servicio de la lista.", "info")
            return
        self._select(self.served.move(row, delta))

    def remove_current(self) -> None:
        row = self._current()
        if self.served.remove(row):
            self._fill_available()
            if self.served.rowCount():
                self._select(min(row, self.served.rowCount() - 1))

    def add_service(self) -> None:
        code = self.available.currentData()
        if isinstance(code, str):
            self._select(self.served.add(code))
            self._fill_available()

    def submit(self) -> None:
        client, editing = self.client, self.editing
        try:
            setup = CounterSetup(number=self.number.value(), name=self.name.text().strip(),
                                 services=self.served.codes(),
                                 preferential=PreferentialMode(self.preferential.currentData()))
        except ValidationError as exc:
            self.notice.show_message(texts.spanish(exc), "error")
            return
        if editing is None:
            self.run(lambda: client.add_counter(setup), lambda added: self._saved(
                added, f"{added.name} agregada."))
        else:
            number = editing.number
            self.run(lambda: client.change_counter(number, setup), lambda saved: self._saved(
                saved, f"{saved.name} guardada."))

    def _saved(self, counter: CounterView, message: str) -> None:
        self.editing = counter
        if not counter.services:
            message += " Sin servicios, no llamará ningún turno."
        self.done(message)
        self.load(select=counter.number)

    def clear(self) -> None:
        super().clear()
        self.counters, self.services = [], []
        self.model.set_rows([])
        self.start_new()
