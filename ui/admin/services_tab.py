"""Servicios: every service of the queue (inactive ones too), a new one, its name and target
wait, taking it out of (or back into) the kiosk, and whether it takes citas (slot length and
the share of each day kept for walk-ins; kiosk/rules/citas.py)."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.client.base import HubClient
from kiosk.rules.citas import SLOT_MINUTES_RANGE
from kiosk.services.admin_views import ServiceChange, ServiceInput
from kiosk.services.cita_views import (
    CitaDayView,
    CitaDelegationInput,
    CitaPlanInput,
    CitaPlanView,
)
from kiosk.services.views import ServiceView
from ui.admin import texts
from ui.admin.models import ServicesModel
from ui.admin.widgets import AdminTab, Runner, buttons, form_layout, group, line, primary
from ui.counter.widgets import label, stretch, table
from ui.messages import message_boxes

FORM_WIDTH = 440


class ServicesTab(AdminTab):
    title = "Servicios"

    def __init__(self, client: HubClient, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(client, run, parent)
        self.services: list[ServiceView] = []
        self.editing: ServiceView | None = None  # None: the form makes a new service
        root = QHBoxLayout(self)
        root.setContentsMargins(4, 8, 4, 4)
        root.setSpacing(12)
        left = QVBoxLayout()
        left.addWidget(label("Servicios de la cola. Los inactivos no aparecen en el quiosco "
                             "ni se llaman, pero conservan su historial.", "hint"))
        self.model = ServicesModel()
        self.table = table()
        self.table.setModel(self.model)
        stretch(self.table, 2)
        left.addWidget(self.table, 1)
        self.up = QPushButton("▲ Subir")
        self.down = QPushButton("▼ Bajar")
        order = buttons(self.up, self.down)
        order.insertWidget(0, label("Orden en el quiosco:", "hint", wrap=False))
        left.addLayout(order)
        left.addWidget(self._citas_box())
        root.addLayout(left, 1)

        box, column = group("Servicio")
        box.setFixedWidth(FORM_WIDTH)
        self.heading = label("Nuevo servicio", "h2")
        column.addWidget(self.heading)
        form = form_layout()
        self.code = line("p. ej. partidas", 20)
        self.prefix = line("A", 2)
        self.name = line("p. ej. Partidas y copias certificadas", 120)
        self.sla = QSpinBox()
        self.sla.setRange(1, 480)
        self.sla.setValue(15)
        self.sla.setSuffix(" min")
        form.addRow("&Código", self.code)
        form.addRow("&Letra del turno", self.prefix)
        form.addRow("&Nombre", self.name)
        form.addRow("&Objetivo de espera", self.sla)
        column.addLayout(form)
        self.fixed_hint = label("El código y la letra no cambian una vez creado: los turnos "
                                "impresos y el historial los llevan.", "hint")
        column.addWidget(self.fixed_hint)
        self.save = primary("Guardar servicio")
        self.new = QPushButton("Nuevo servicio")
        column.addLayout(buttons(self.save, self.new))
        self.toggle = QPushButton("Desactivar servicio")
        column.addWidget(self.toggle)
        column.addWidget(self.notice)
        root.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)

        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.edit_row(current.row()))
        self.save.clicked.connect(self.submit)
        self.new.clicked.connect(self.start_new)
        self.toggle.clicked.connect(self.toggle_active)
        self.up.clicked.connect(lambda: self.move_service(-1))
        self.down.clicked.connect(lambda: self.move_service(1))
        self.name.returnPressed.connect(self.submit)
        self.save_citas.clicked.connect(self.submit_citas)
        self.delegate.clicked.connect(self.delegate_places)
        self.takes_citas.toggled.connect(self._citas_fields)
        self.start_new()

    def _citas_box(self) -> QWidget:
        """Under the list, across: whether the service takes citas, its slots and walk-in
        share, and places given to central (its booking page; decision record 40)."""
        box, column = group("Citas del servicio elegido")
        self.plans: dict[str, CitaPlanView] = {}
        self.takes_citas = QCheckBox("&Atiende con cita")
        self.slot_minutes = QSpinBox()
        self.slot_minutes.setRange(*SLOT_MINUTES_RANGE)
        self.slot_minutes.setValue(30)
        self.slot_minutes.setSuffix(" min")
        self.walkin_percent = QSpinBox()
        self.walkin_percent.setRange(0, 100)
        self.walkin_percent.setValue(50)
        self.walkin_percent.setSuffix(" %")
        self.save_citas = QPushButton("Guardar citas")
        row = QHBoxLayout()
        row.addWidget(self.takes_citas)
        for caption, field in (("&Duración", self.slot_minutes),
                               ("&Sin cita", self.walkin_percent)):
            shown = label(caption, wrap=False)
            shown.setBuddy(field)
            row.addWidget(shown)
            row.addWidget(field)
        row.addStretch(1)
        row.addWidget(self.save_citas)
        column.addLayout(row)
        self.citas_hint = label("", "hint")
        column.addWidget(self.citas_hint)
        central = QHBoxLayout()
        self.central_day = QDateEdit()
        self.central_day.setCalendarPopup(True)
        self.central_day.setDisplayFormat("dd/MM/yyyy")
        self.central_day.setDate(QDate.currentDate().addDays(1))
        self.central_places = QSpinBox()
        self.central_places.setRange(1, 50)
        self.central_places.setSuffix(" por hora")
        self.delegate = QPushButton("Ceder")
        central.addWidget(label("Cupos para la central, del día", wrap=False))
        central.addWidget(self.central_day)
        central.addWidget(self.central_places)
        central.addWidget(self.delegate)
        central.addStretch(1)
        column.addLayout(central)
        return box

    # --- the list -----------------------------------------------------------------------

    def load(self, select: str | None = None) -> None:
        client = self.client
        self.run(client.cita_services, self.show_plans)
        self.run(client.admin_services, lambda services: self.show_services(services, select))

    def show_plans(self, plans: list[CitaPlanView]) -> None:
        self.plans = {p.service: p for p in plans}
        self._show_plan()

    def show_services(self, services: list[ServiceView], select: str | None = None) -> None:
        self.loads += 1
        wanted = select or (self.editing.code if self.editing else None)
        self.services = services
        self.model.set_rows(services)
        row = self.model.find(wanted) if wanted else -1
        if row >= 0:
            self.table.selectRow(row)
            self.edit_row(row)
        elif self.editing is not None:
            self.start_new()

    # --- the form -----------------------------------------------------------------------

    def start_new(self) -> None:
        self.editing = None
        self.table.clearSelection()
        self.heading.setText("Nuevo servicio")
        for field in (self.code, self.prefix, self.name):
            field.clear()
            field.setReadOnly(False)
        self.sla.setValue(15)
        self.fixed_hint.setVisible(False)
        self.toggle.setVisible(False)
        self.up.setEnabled(False)
        self.down.setEnabled(False)
        self.save.setText("Agregar servicio")
        self._show_plan()
        self.code.setFocus()

    def edit_row(self, row: int) -> None:
        service = self.model.row_at(row)
        if service is None:
            return
        self.editing = service
        self.heading.setText(f"Servicio «{service.name}»")
        self.code.setText(service.code)
        self.prefix.setText(service.prefix)
        self.code.setReadOnly(True)
        self.prefix.setReadOnly(True)
        self.name.setText(service.name)
        self.sla.setValue(service.sla_minutes)
        self.fixed_hint.setVisible(True)
        self.toggle.setVisible(True)
        self.toggle.setText("Desactivar servicio" if service.active else "Activar servicio")
        self.up.setEnabled(row > 0)
        self.down.setEnabled(row < self.model.rowCount() - 1)
        self.save.setText("Guardar cambios")
        self._show_plan()

    # --- citas ------------------------------------------------------------------------

    def _show_plan(self) -> None:
        """The service's citas setting (an inactive or a new service takes none)."""
        service = self.editing
        plan = self.plans.get(service.code) if service is not None else None
        usable = service is not None and service.active
        self.takes_citas.setEnabled(usable)
        self.save_citas.setEnabled(usable)
        for widget in (self.central_day, self.central_places, self.delegate):
            widget.setEnabled(plan is not None and plan.takes_citas)
        self.takes_citas.setChecked(plan is not None and plan.takes_citas)
        if plan is not None and plan.slot_minutes:
            self.slot_minutes.setValue(plan.slot_minutes)
            self.walkin_percent.setValue(plan.walkin_percent)
        self._citas_fields()
        if service is None:
            self.citas_hint.setText("Guarde el servicio primero.")
        elif not service.active:
            self.citas_hint.setText("Un servicio inactivo no da citas.")
        else:
            counters = plan.counters if plan is not None else 0
            self.citas_hint.setText(
                f"Lo atienden {counters} ventanilla(s): un cupo por ventanilla en cada hora de "
                "cita; lo reservado sin cita queda para la cola. Horario de atención y "
                "tolerancia: pestaña Feriados. Lo cedido a la central se reserva allí (su "
                "página) y la oficina ya no lo da.")

    def _citas_fields(self) -> None:
        on = self.takes_citas.isChecked() and self.takes_citas.isEnabled()
        self.slot_minutes.setEnabled(on)
        self.walkin_percent.setEnabled(on)

    def submit_citas(self) -> None:
        service, client = self.editing, self.client
        if service is None:
            return
        change = CitaPlanInput(takes_citas=self.takes_citas.isChecked(),
                               slot_minutes=self.slot_minutes.value(),
                               walkin_percent=self.walkin_percent.value())
        code = service.code

        def saved(plan: CitaPlanView) -> None:
            self.plans[plan.service] = plan
            self._show_plan()
            self.done(f"«{plan.service_name}»: " + (
                f"citas de {plan.slot_minutes} min, {plan.walkin_percent} % del día sin "
                "cita." if plan.takes_citas else "no atiende con cita."))

        self.run(lambda: client.set_cita_plan(code, change), saved)

    def delegate_places(self) -> None:
        """Up to N places of each hour of the day go to central, of those still free."""
        service, client = self.editing, self.client
        if service is None:
            return
        chosen = self.central_day.date()
        change = CitaDelegationInput(day=date(chosen.year(), chosen.month(), chosen.day()),
                                     places=self.central_places.value())
        code = service.code

        def given(day: CitaDayView) -> None:
            total = sum(s.central for s in day.slots)
            self.done(f"«{day.service_name}», {day.day:%d/%m/%Y}: la central tiene {total} "
                      "cupo(s) para reservar; la oficina ya no los da.")

        self.run(lambda: client.delegate_citas(code, change), given)

    def submit(self) -> None:
        editing, client = self.editing, self.client
        name = self.name.text().strip()
        if editing is None:
            try:
                service = ServiceInput(code=self.code.text().strip().lower(),
                                       prefix=self.prefix.text().strip().upper(),
                                       name=name, sla_minutes=self.sla.value())
            except ValidationError as exc:
                self.notice.show_message(texts.spanish(exc), "error")
                return
            self.run(lambda: client.add_service(service),
                     lambda added: self._saved(added, f"Servicio «{added.name}» agregado: sus "
                                                      f"turnos serán {added.prefix}-001, "
                                                      f"{added.prefix}-002…"))
            return
        change_fields: dict[str, object] = {}
        if name != editing.name:
            change_fields["name"] = name
        if self.sla.value() != editing.sla_minutes:
            change_fields["sla_minutes"] = self.sla.value()
        if not change_fields:
            self.notice.show_message("No hay cambios que guardar.", "info")
            return
        try:
            change = ServiceChange.model_validate(change_fields)
        except ValidationError as exc:
            self.notice.show_message(texts.spanish(exc), "error")
            return
        code = editing.code
        self.run(lambda: client.change_service(code, change),
                 lambda saved: self._saved(saved, f"Servicio «{saved.name}» guardado."))

    def toggle_active(self) -> None:
        service, client = self.editing, self.client
        if service is None:
            return
        if service.active and not message_boxes().confirm(
                self, "Desactivar servicio",
                f"¿Desactivar «{service.name}»? Deja de aparecer en el quiosco y ninguna "
                "ventanilla lo llamará."):
            return
        change = ServiceChange(active=not service.active)
        code = service.code
        self.run(lambda: client.change_service(code, change), lambda saved: self._saved(
            saved, f"Servicio «{saved.name}» " + ("activado." if saved.active
                                                  else "desactivado.")))

    def move_service(self, delta: int) -> None:
        """One place up or down on the kiosk's screen (the hub renumbers the rest)."""
        service, client = self.editing, self.client
        row = self.model.find(service.code) if service is not None else -1
        target = row + delta
        if service is None or row < 0 or not 0 <= target < self.model.rowCount():
            return
        change, code = ServiceChange(position=target), service.code
        self.run(lambda: client.change_service(code, change), lambda saved: self._saved(
            saved, f"«{saved.name}» ahora es el {target + 1}.º en el quiosco."))

    def _saved(self, service: ServiceView, message: str) -> None:
        self.editing = service
        self.done(message)
        self.load(select=service.code)

    def clear(self) -> None:
        super().clear()
        self.model.set_rows([])
        self.services = []
        self.plans = {}
        self.start_new()
