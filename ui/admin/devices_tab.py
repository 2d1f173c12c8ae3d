"""Dispositivos: pair a new PC (kiosk, TV, counter, …) with a one-time code shown large, the
codes not used yet, and the paired devices with their revocation (confirmed first)."""

from __future__ import annotations

from datetime import tzinfo

from pydantic import ValidationError
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.client.base import HubClient
from kiosk.services.admin_views import AdminDeviceView, PairingCode, PairingInput
from ui.admin import texts
from ui.admin.models import DevicesModel, PairingsModel
from ui.admin.widgets import (
    AdminTab,
    Runner,
    ShownOnce,
    buttons,
    choose,
    combo,
    form_layout,
    group,
    line,
    primary,
)
from ui.counter.widgets import label, stretch, table
from ui.messages import message_boxes

SIDE_WIDTH = 520
# The command a device of each role starts with (ui/cli.py).
COMMANDS = {"kiosk": "cac kiosk", "display": "cac display", "counter": "cac counter",
            "supervisor": "cac supervisor", "admin": "cac admin"}


def pairing_detail(code: PairingCode, tz: tzinfo | None) -> str:
    command = COMMANDS.get(code.role, "cac kiosk")
    detail = (f"Para «{code.name}» ({texts.DEVICE_ROLES.get(code.role, code.role).lower()}). "
              f"Válido hasta las {texts.clock(code.expires_at, tz)}, una sola vez.\n"
              "En el equipo nuevo, abra CAC Kiosk y elija «Unirse a una oficina que ya "
              "existe» con este código; o en una terminal:\n"
              f"{command} --hub DIRECCIÓN-DEL-HUB --pair {texts.grouped_code(code.code)}")
    if code.ca_fingerprint:
        detail += ("\nCertificado del hub (SHA-256): "
                   f"{texts.spaced_fingerprint(code.ca_fingerprint)}")
    return detail


def counter_choice() -> QComboBox:
    """The counter a counter device is bound to («Cualquiera»: the clerk chooses)."""
    box = QComboBox()
    box.setToolTip(texts.BINDING_HINT)
    box.addItem(texts.NO_BINDING, None)
    # Wide enough for «Cualquiera» and the style's arrow, however narrow the form is.
    box.setMinimumWidth(box.fontMetrics().horizontalAdvance(texts.NO_BINDING) + 48)
    return box


class DevicesTab(AdminTab):
    title = "Dispositivos"

    def __init__(self, client: HubClient, run: Runner, tz: tzinfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(client, run, parent)
        self.tz = tz
        self.devices: list[AdminDeviceView] = []
        self.pending: list[PairingCode] = []
        self.last_code: PairingCode | None = None
        root = QHBoxLayout(self)
        root.setContentsMargins(4, 8, 4, 4)
        root.setSpacing(12)

        left = QVBoxLayout()
        left.addWidget(label("Equipos emparejados", "h2"))
        self.model = DevicesModel(tz)
        self.table = table()
        self.table.setModel(self.model)
        stretch(self.table, 0)
        left.addWidget(self.table, 1)
        self.revoke = QPushButton("Revocar el equipo elegido")
        # A counter PC (or the citizens' rating screen) bound to its counter.
        self.bound_counter = counter_choice()
        self.bind = QPushButton("Asignar ventanilla")
        row = buttons(self.revoke)
        row.addWidget(label("Ventanilla del equipo:", wrap=False))
        row.addWidget(self.bound_counter)
        row.addWidget(self.bind)
        left.addLayout(row)
        left.addWidget(label("Un equipo revocado deja de poder usar el hub al instante; para "
                             "volver a usarlo, emparéjelo de nuevo.", "hint"))
        self.tls_note = label(texts.TLS_NOTE, "hint")
        left.addWidget(self.tls_note)
        root.addLayout(left, 1)

        side = QVBoxLayout()
        box, column = group("Emparejar un equipo nuevo")
        box.setFixedWidth(SIDE_WIDTH)
        form = form_layout()
        self.name = line("p. ej. Quiosco de la entrada", 80)
        self.role = combo(texts.DEVICE_ROLES)
        self.pair_counter = counter_choice()
        use = QHBoxLayout()  # one row: the side column must fit the code at 768 px
        use.setSpacing(8)
        use.addWidget(self.role, 1)
        use.addWidget(label("ventanilla", wrap=False))
        use.addWidget(self.pair_counter)
        use_label = QLabel("&Uso")
        use_label.setBuddy(self.role)
        form.addRow("&Nombre del equipo", self.name)
        form.addRow(use_label, use)
        column.addLayout(form)
        self.generate = primary("Generar código")
        column.addLayout(buttons(self.generate))
        column.addWidget(self.notice)
        side.addWidget(box)
        self.code = ShownOnce()
        self.code.setFixedWidth(SIDE_WIDTH)
        self.code.close_button.setText("Listo")
        side.addWidget(self.code)
        side.addWidget(label("Códigos sin usar", "h2"))
        self.pairings_model = PairingsModel(tz)
        self.pairings_table = table()
        self.pairings_table.setModel(self.pairings_model)
        stretch(self.pairings_table, 0)
        self.pairings_table.setFixedWidth(SIDE_WIDTH)
        self.pairings_table.setMinimumHeight(90)
        side.addWidget(self.pairings_table, 1)
        self.cancel = QPushButton("Anular el código elegido")
        side.addLayout(buttons(self.cancel))
        root.addLayout(side)

        self.generate.clicked.connect(self.submit)
        self.name.returnPressed.connect(self.submit)
        self.revoke.clicked.connect(self.revoke_current)
        self.bind.clicked.connect(self.bind_current)
        self.role.currentIndexChanged.connect(lambda _index: self._selection_changed())
        self.cancel.clicked.connect(self.cancel_current)
        self.table.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._selection_changed())
        self.pairings_table.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self._selection_changed())
        self._selection_changed()

    def load(self) -> None:
        client = self.client

        def work() -> tuple[list[AdminDeviceView], list[PairingCode], list[int]]:
            counters = [c.number for c in client.admin_counters()]
            return client.admin_devices(), client.pairings(), counters

        self.run(work, lambda result: self.show_devices(*result))

    def show_devices(self, devices: list[AdminDeviceView], pending: list[PairingCode],
                     counters: list[int] | None = None) -> None:
        self.loads += 1
        self.devices, self.pending = devices, pending
        if counters is not None:
            for box in (self.bound_counter, self.pair_counter):
                chosen = box.currentData()
                box.clear()
                box.addItem(texts.NO_BINDING, None)
                for number in counters:
                    box.addItem(f"Ventanilla {number}", number)
                choose(box, chosen)
        current = self.current_device()
        self.model.set_rows(devices)
        self.pairings_model.set_rows(pending)
        if current is not None and (row := self.model.find(current.id)) >= 0:
            self.table.selectRow(row)
        if self.last_code is not None and all(p.id != self.last_code.id for p in pending):
            self.code.forget()  # used or cancelled meanwhile
            self.last_code = None
        self._selection_changed()

    def current_device(self) -> AdminDeviceView | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def current_pairing(self) -> PairingCode | None:
        index = self.pairings_table.currentIndex()
        return self.pairings_model.row_at(index.row()) if index.isValid() else None

    def _selection_changed(self) -> None:
        device = self.current_device()
        self.revoke.setEnabled(device is not None and device.revoked_at is None)
        bindable = (device is not None and device.revoked_at is None
                    and device.role == "counter")
        self.bound_counter.setEnabled(bindable)
        self.bind.setEnabled(bindable)
        if device is not None:
            choose(self.bound_counter, device.counter)
        self.pair_counter.setEnabled(self.role.currentData() == "counter")
        if not self.pair_counter.isEnabled():
            self.pair_counter.setCurrentIndex(0)
        self.cancel.setEnabled(self.current_pairing() is not None)

    def submit(self) -> None:
        client = self.client
        try:
            pairing = PairingInput(name=" ".join(self.name.text().split()),
                                   role=str(self.role.currentData()),
                                   counter=self.pair_counter.currentData())
        except ValidationError as exc:
            self.notice.show_message(texts.spanish(exc), "error")
            return

        def created(code: PairingCode) -> None:
            self.last_code = code
            self.name.clear()
            self.notice.clear_message()
            self.code.show_secret("Código de emparejamiento:", texts.grouped_code(code.code),
                                  pairing_detail(code, self.tz))
            self.load()

        self.run(lambda: client.create_pairing(pairing), created)

    def cancel_current(self) -> None:
        pairing, client = self.current_pairing(), self.client
        if pairing is None:
            return
        pairing_id = pairing.id

        def cancelled(_result: object) -> None:
            self.done(f"Código para «{pairing.name}» anulado: ya no sirve.")
            self.load()

        self.run(lambda: client.cancel_pairing(pairing_id), cancelled)

    def bind_current(self) -> None:
        device, client = self.current_device(), self.client
        if device is None or device.role != "counter":
            return
        device_id, counter = device.id, self.bound_counter.currentData()

        def bound(saved: AdminDeviceView) -> None:
            where = (f"la ventanilla {saved.counter}" if saved.counter is not None
                     else "ninguna ventanilla: su personal elige al ingresar")
            self.done(f"«{saved.name}» queda asignado a {where}.")
            self.load()

        self.run(lambda: client.bind_device(device_id, counter), bound)

    def revoke_current(self) -> None:
        device, client = self.current_device(), self.client
        if device is None or device.revoked_at is not None:
            return
        role = texts.DEVICE_ROLES.get(device.role, device.role).lower()
        if not message_boxes().confirm(
                self, "Revocar equipo",
                f"¿Revocar «{device.name}» ({role})? Dejará de poder usar el hub al instante "
                "y habrá que emparejarlo de nuevo."):
            return
        device_id = device.id

        def revoked(saved: AdminDeviceView) -> None:
            self.done(f"«{saved.name}» revocado.")
            self.load()

        self.run(lambda: client.revoke_device(device_id), revoked)

    def clear(self) -> None:
        super().clear()
        self.code.forget()
        self.last_code = None
        self.model.set_rows([])
        self.pairings_model.set_rows([])
        self._selection_changed()
