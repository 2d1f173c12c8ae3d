"""The counter's Citas page: a clerk books a cita for a citizen on the phone (service, day,
a free slot, DNI, name, an optional contact), reads back the booking code, and sees the day's
bookings, where a cita can be cancelled or moved to another free slot of its service («Cambiar
hora», then a slot of any day, then «Mover aquí»). The hub decides every place
(kiosk/rules/citas.py); the page only shows what it answers."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.cita_views import CitaDayView, CitaInput, CitaPlanView, CitaView
from ui.counter.widgets import Notice, button, label

DAY_COLUMNS = ("Hora", "Servicio", "Código", "DNI", "Nombre", "Contacto", "Estado")


class CitasPanel(QWidget):
    slots_requested = Signal(str, object)  # service code, date
    booking_requested = Signal(object)  # CitaInput
    day_requested = Signal(object)  # date
    cancel_requested = Signal(str)  # booking code
    change_requested = Signal(str, object)  # booking code, the new slot's start

    def __init__(self, tz: tzinfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label("Citas", "h1"))
        row = QHBoxLayout()
        self.service = QComboBox()
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.show_slots = button("Ver horarios", None)
        row.addWidget(label("Servicio", wrap=False))
        row.addWidget(self.service, 1)
        row.addWidget(label("Día", wrap=False))
        row.addWidget(self.day)
        row.addWidget(self.show_slots)
        layout.addLayout(row)
        body = QHBoxLayout()
        self.slots = QListWidget()
        self.slots.setObjectName("slots")
        body.addWidget(self.slots, 1)
        form = QFormLayout()
        self.document = QLineEdit()
        self.document.setPlaceholderText("8 dígitos")
        self.document.setMaxLength(12)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Nombres y apellidos")
        self.name.setMaxLength(120)
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("Celular o correo (opcional)")
        self.contact.setMaxLength(120)
        form.addRow("&DNI", self.document)
        form.addRow("&Nombre", self.name)
        form.addRow("C&ontacto", self.contact)
        # Without it the contact is only for the office; with it, the reminder the day before.
        self.consent = QCheckBox("Autoriza el recordatorio de la cita (Ley 29733)")
        form.addRow("", self.consent)
        self.book = button("Reservar cita", None, "primary")
        form.addRow(self.book)
        self.move_here = button("Mover aquí", None, "primary")
        self.move_here.setVisible(False)
        form.addRow(self.move_here)
        self.booked = label("", "h2")
        self.booked.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.booked)
        holder = QWidget()
        holder.setLayout(form)
        body.addWidget(holder, 1)
        layout.addLayout(body, 1)
        self.notice = Notice()
        layout.addWidget(self.notice)
        top = QHBoxLayout()
        self.day_title = label("", "h2")
        top.addWidget(self.day_title, 1)
        self.cancel = button("Cancelar cita", None)
        self.cancel.setEnabled(False)
        top.addWidget(self.cancel)
        self.change = button("Cambiar hora", None)
        self.change.setEnabled(False)
        top.addWidget(self.change)
        layout.addLayout(top)
        self.listing = QTableWidget(0, len(DAY_COLUMNS))
        self.listing.setHorizontalHeaderLabels(DAY_COLUMNS)
        self.listing.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.listing.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.listing.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.listing.verticalHeader().setVisible(False)
        self.listing.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.listing, 1)
        self.citas: list[CitaView] = []
        self.plans: list[CitaPlanView] = []
        self._slots_note = ""  # what the notice says of the day shown, if anything
        self.moving: CitaView | None = None  # the cita whose new slot the clerk is choosing
        self.show_slots.clicked.connect(self.request_slots)
        self.service.currentIndexChanged.connect(lambda _: self.request_slots())
        self.day.dateChanged.connect(lambda _: self.request_slots())
        self.book.clicked.connect(self.request_booking)
        self.cancel.clicked.connect(self.request_cancel)
        self.change.clicked.connect(self.start_change)
        self.move_here.clicked.connect(self.request_change)
        self.listing.itemSelectionChanged.connect(self._selection_changed)

    # --- what the clerk asks ----------------------------------------------------------

    def selected_day(self) -> date:
        chosen = self.day.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def selected_service(self) -> str | None:
        code = self.service.currentData()
        return str(code) if code else None

    def selected_slot(self) -> datetime | None:
        item = self.slots.currentItem()
        start = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return start if isinstance(start, datetime) else None

    def request_slots(self) -> None:
        code = self.selected_service()
        if code is not None:
            self.slots_requested.emit(code, self.selected_day())
            self.day_requested.emit(self.selected_day())

    def request_booking(self) -> None:
        code, start = self.selected_service(), self.selected_slot()
        if code is None or start is None:
            self.notice.show_message("Elija el servicio y una hora libre.", "error")
            return
        if not self.document.text().strip() or len(self.name.text().strip()) < 3:
            self.notice.show_message("Escriba el DNI y el nombre del ciudadano.", "error")
            return
        self.booking_requested.emit(CitaInput(
            service=code, start=start, document=self.document.text().strip(),
            name=self.name.text().strip(), contact=self.contact.text().strip() or None,
            consent=self.consent.isChecked()))

    def request_cancel(self) -> None:
        row = self.listing.currentRow()
        if 0 <= row < len(self.citas):
            self.cancel_requested.emit(self.citas[row].code)

    def start_change(self) -> None:
        """The selected cita waits for its new slot: same service, any day the clerk picks."""
        row = self.listing.currentRow()
        if not 0 <= row < len(self.citas):
            return
        self.moving = self.citas[row]
        self.service.setCurrentIndex(max(0, self.service.findData(self.moving.service)))
        self.move_here.setText(f"Mover aquí la cita {self.moving.code}")
        self.move_here.setVisible(True)
        self.notice.show_message(f"Elija la nueva hora de la cita {self.moving.code} (puede "
                                 "cambiar de día) y pulse «Mover aquí».", "info")

    def request_change(self) -> None:
        start = self.selected_slot()
        if self.moving is None:
            return
        if start is None or self.selected_service() != self.moving.service:
            self.notice.show_message(f"Elija una hora libre de {self.moving.service_name}.",
                                     "error")
            return
        self.change_requested.emit(self.moving.code, start)

    def show_changed(self, cita: CitaView) -> None:
        self.moving = None
        self.move_here.setVisible(False)
        self.notice.show_message(f"Cita {cita.code} cambiada al {cita.day:%d/%m/%Y} a las "
                                 f"{cita.time}: la hora anterior quedó libre. Dígaselo al "
                                 "ciudadano.", "info")

    def _selection_changed(self) -> None:
        row = self.listing.currentRow()
        open_ = 0 <= row < len(self.citas) and self.citas[row].status == "reservada"
        self.cancel.setEnabled(open_)
        self.change.setEnabled(open_)

    # --- what the hub answered ----------------------------------------------------------

    def set_services(self, plans: list[CitaPlanView], today: date) -> None:
        """The services that take citas; the day set to the hub's `today`."""
        self.plans = [p for p in plans if p.takes_citas]
        for widget in (self.service, self.day):
            widget.blockSignals(True)
        self.service.clear()
        for plan in self.plans:
            self.service.addItem(plan.service_name, plan.service)
        self.day.setMinimumDate(QDate(today.year, today.month, today.day))
        self.day.setDate(QDate(today.year, today.month, today.day))
        for widget in (self.service, self.day):
            widget.blockSignals(False)
        if not self.plans:
            self.notice.show_message("Ningún servicio atiende con cita: el administrador lo "
                                     "configura.", "info")

    def show_slots_of(self, day: CitaDayView) -> None:
        self.slots.clear()
        if self._slots_note and self.notice.text() == self._slots_note:
            self.notice.clear_message()  # the last day's note, not a booking's answer
        self._slots_note = ""
        if day.closed:
            self._slots_note = f"El {day.day:%d/%m/%Y} no se atiende ({day.closed})."
        elif not day.slots:
            self._slots_note = "No quedan horas para ese día."
        if self._slots_note:
            self.notice.show_message(self._slots_note, "info")
        for slot in day.slots:
            text = (f"{slot.time} — {slot.free} libre" + ("s" if slot.free != 1 else "")
                    if slot.free else f"{slot.time} — completo")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, slot.start)
            if not slot.free:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.slots.addItem(item)

    def show_booked(self, cita: CitaView) -> None:
        self.booked.setText(f"Cita {cita.code}: {cita.service_name}, "
                            f"{cita.day:%d/%m/%Y} a las {cita.time}. Dígale al ciudadano el "
                            "código.")
        self.notice.show_message(f"Cita reservada para {cita.name}.", "info")
        for field in (self.document, self.name, self.contact):
            field.clear()
        self.consent.setChecked(False)

    def show_day(self, citas: list[CitaView]) -> None:
        self.citas = citas
        self.day_title.setText(f"Citas del {self.selected_day():%d/%m/%Y}: {len(citas)}")
        self.listing.setRowCount(len(citas))
        for row, cita in enumerate(citas):
            for column, text in enumerate((cita.time, cita.service_name, cita.code,
                                           cita.document, cita.name, cita.contact or "",
                                           cita.status_text)):
                self.listing.setItem(row, column, QTableWidgetItem(text))
        self.listing.resizeColumnsToContents()
        self._selection_changed()
