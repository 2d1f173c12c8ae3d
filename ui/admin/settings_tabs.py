"""Impresora and Oficina: the hub's office settings, each tab the groups of its concern.

Each group's fields are made from the settings declared in it (kiosk/settings.py, through
ui/admin/setting_fields.py); the tabs add what is not a setting (the logo, the test page, the
hints under the central's fields).

Both send only what changed (`OfficeSettingsChange`); the hub validates, applies what it can
right away and lists the rest in `restart_needed` («se aplica al reiniciar»). The central
credential is write-only: the field is empty, says whether one is stored, and sends only
what is typed; a central set without a stored credential (backups never carry it) is
pointed out. The logo is a PNG chosen with the project's file dialog (ui/files.py), checked
by the hub and previewed here.
"""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.client.base import HubClient
from kiosk.errors import CacError, InvalidInput
from kiosk.services.admin_views import (
    MISSING_CREDENTIAL,
    OfficeSettings,
    OfficeSettingsChange,
    PrinterTestResult,
)
from kiosk.services.views import PrintJobView
from kiosk.settings import EDITABLE, Group
from ui.admin import texts
from ui.admin.models import PrintJobsModel
from ui.admin.setting_fields import STORED_SECRET, SettingFields, names_in
from ui.admin.widgets import AdminTab, Runner, buttons, primary
from ui.counter.widgets import Notice, label, stretch, table
from ui.files import file_dialogs

LOGO_FILTER = "Imagen PNG (*.png)"
# The hub checks the logo itself (≤ 512 KB); the window refuses to read a far larger file.
LOGO_READ_LIMIT = 4 * 1024 * 1024
PREVIEW_SIZE = (260, 110)
JOBS_SHOWN = 30


class SettingsTab(AdminTab):
    """A tab over some fields of the office settings. `saved` tells the window (and the
    other settings tab) what the hub holds now."""

    saved = Signal(object)  # OfficeSettings

    FIELDS: tuple[str, ...] = ()  # the settings it shows (kiosk/settings.py, by group)

    def __init__(self, client: HubClient, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(client, run, parent)
        self.settings: OfficeSettings | None = None
        self.restart = Notice()
        self.fields = SettingFields(self.FIELDS)

    def load(self) -> None:
        self.run(self.client.office_settings, self.show_settings)

    def show_settings(self, settings: OfficeSettings) -> None:
        """The hub's values in the fields (overwrites what was typed)."""
        self.loads += 1
        self.adopt(settings)
        self.fill(settings)

    def adopt(self, settings: OfficeSettings) -> None:
        """What the hub holds now, without touching the fields (another tab saved)."""
        self.settings = settings
        # Only this tab's own settings: a hub port changed elsewhere is not news on «Feriados».
        note = texts.restart_text([name for name in settings.restart_needed
                                   if name in self.FIELDS])
        if note:
            self.restart.show_message(note, "offline")
        else:
            self.restart.clear_message()

    def fill(self, settings: OfficeSettings) -> None:
        self.fields.fill(settings)

    def values(self) -> dict[str, Any]:
        """The fields' values by setting name (FIELDS)."""
        return self.fields.values()

    def changes(self) -> dict[str, Any]:
        settings = self.settings
        if settings is None:
            return {}
        current = settings.model_dump()
        return {name: value for name, value in self.values().items()
                if name not in current or current[name] != value}

    def submit(self) -> None:
        if self.settings is None:
            self.notice.show_message("Todavía no se leyó la configuración del hub.", "error")
            return
        fields = self.changes()
        if not fields:
            self.notice.show_message("No hay cambios que guardar.", "info")
            return
        try:
            change = OfficeSettingsChange.model_validate(fields)
        except ValidationError as exc:
            self.notice.show_message(texts.spanish(exc), "error")
            return
        client = self.client

        def stored(settings: OfficeSettings) -> None:
            self.show_settings(settings)
            self.saved.emit(settings)
            later = [name for name in fields if name in settings.restart_needed]
            self.done(texts.SAVED + (" Algunos se aplican al reiniciar el hub." if later
                                     else " Ya están en uso."))

        self.run(lambda: client.change_office_settings(change), stored)


class PrinterTab(SettingsTab):
    title = "Impresora"
    FIELDS = names_in(Group.PRINTER)

    def __init__(self, client: HubClient, run: Runner, tz: tzinfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(client, run, parent)
        self.last_test: PrinterTestResult | None = None
        root = QHBoxLayout(self)
        root.setContentsMargins(4, 8, 4, 4)
        box, column = self.fields.group_box(Group.PRINTER)
        box.setFixedWidth(620)
        self.backend = self.fields.combo("printer_backend")
        self.target = self.fields.line("printer_target")
        self.paper_width = self.fields.combo("printer_width_mm")
        self.codepage = self.fields.combo("printer_codepage")
        self.example = label("", "hint")
        column.addWidget(self.example)
        self.save = primary("Guardar")
        self.test = QPushButton("Imprimir prueba")
        column.addLayout(buttons(self.save, self.test))
        column.addWidget(self.notice)
        column.addWidget(self.restart)
        column.addWidget(label("La prueba imprime una página en castellano (ñ, tildes, S/) "
                               "en la impresora guardada y queda en el registro de "
                               "impresiones.", "hint"))
        root.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
        jobs = QVBoxLayout()
        jobs.addWidget(label("Últimas impresiones de la oficina", "h2"))
        self.jobs_model = PrintJobsModel(tz)
        self.jobs = table()
        self.jobs.setModel(self.jobs_model)
        stretch(self.jobs, 3)
        jobs.addWidget(self.jobs, 1)
        jobs.addWidget(label("De todos los equipos; un fallo en rojo dice qué pasó.", "hint"))
        root.addLayout(jobs, 1)
        self.backend.currentIndexChanged.connect(self._backend_changed)
        self.save.clicked.connect(self.submit)
        self.test.clicked.connect(self.print_test)
        self.target.returnPressed.connect(self.submit)
        self._backend_changed()

    def load(self) -> None:
        """The printer's settings and the office's last print jobs."""
        client = self.client

        def work() -> tuple[OfficeSettings, list[PrintJobView]]:
            return client.office_settings(), client.print_jobs(limit=JOBS_SHOWN)

        def loaded(result: tuple[OfficeSettings, list[PrintJobView]]) -> None:
            settings, jobs = result
            self.jobs_model.set_rows(jobs)
            self.show_settings(settings)

        self.run(work, loaded)

    def _backend_changed(self) -> None:
        backend = str(self.backend.currentData())
        _text, example = texts.PRINTER_BACKENDS.get(backend, ("", ""))
        self.target.setPlaceholderText(example)
        self.example.setText(f"Ejemplo de dirección: {example}")

    def print_test(self) -> None:
        if self.changes():
            self.notice.show_message("Guarde primero los cambios: la prueba usa la impresora "
                                     "guardada.", "error")
            return
        client = self.client
        self.test.setEnabled(False)
        self.notice.show_message("Imprimiendo la página de prueba…", "info")

        def printed(result: tuple[PrinterTestResult, list[PrintJobView]]) -> None:
            self.test.setEnabled(True)
            self.last_test, jobs = result
            self.jobs_model.set_rows(jobs)
            self.notice.show_message(self.last_test.message,
                                     "info" if self.last_test.ok else "error")

        def work() -> tuple[PrinterTestResult, list[PrintJobView]]:
            return client.test_print(), client.print_jobs(limit=JOBS_SHOWN)

        def failed(error: CacError) -> None:
            self.test.setEnabled(True)
            self.refused(error)

        self.run(work, printed, failed)


    def clear(self) -> None:
        super().clear()
        self.jobs_model.set_rows([])
        self.last_test = None


class LogoPreview(QLabel):
    """The office's logo as it goes on the tickets (scaled to fit), or what is stored."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("logoPreview")
        self.setFixedSize(*PREVIEW_SIZE)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.image: QPixmap | None = None

    def show_png(self, png: bytes) -> bool:
        pixmap = QPixmap()
        if not pixmap.loadFromData(QByteArray(png), "PNG"):
            return False
        self.image = pixmap
        self.setPixmap(pixmap.scaled(self.width() - 8, self.height() - 8,
                                     Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation))
        return True

    def forget(self) -> None:
        self.image = None
        self.clear()

    def show_stored(self, has_logo: bool) -> None:
        if self.image is None:
            self.setText("Logo cargado (se imprime en los turnos)." if has_logo
                         else "Sin logo: los turnos llevan solo el nombre.")


def _read_logo(path: Path) -> bytes:
    try:
        if path.stat().st_size > LOGO_READ_LIMIT:
            raise InvalidInput("logo_too_large", f"«{path.name}» es demasiado grande para "
                                                 "un logo: use un PNG de hasta 512 KB.")
        return path.read_bytes()
    except OSError:
        raise InvalidInput("unreadable_file", f"No se pudo leer «{path.name}». Revise que "
                                              "exista y que no esté abierto en otro "
                                              "programa.") from None


class OfficeTab(SettingsTab):
    title = "Oficina"
    # The rest but the calendar's and the office's hours (ui/admin/calendar_tab.py), the
    # notices' (notices_tab.py) and the signature's (ui/admin/signing_tab.py).
    FIELDS = tuple(name for name in EDITABLE
                   if name not in PrinterTab.FIELDS + names_in(Group.CALENDAR, Group.CITAS)
                   + names_in(Group.NOTICES) + names_in(Group.SIGNING))

    def __init__(self, client: HubClient, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(client, run, parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 8, 4, 4)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)

        fields = self.fields
        self.office_name = fields.line("office_name")
        self.municipality = fields.line("municipality")
        self.central_url = fields.line("central_url")
        self.credential = fields.line("central_credential")
        self.public_url = fields.line("public_url")
        self.backup_interval = fields.decimal("backup_interval_hours")
        self.backups_kept = fields.spin("backups_kept")
        self.backup_copy_dir = fields.line("backup_copy_dir")
        self.retention = fields.spin("ticket_retention_days")
        self.idle_lock = fields.spin("idle_lock_minutes")
        self.attempts = fields.spin("login_attempts")
        self.lockout = fields.spin("login_lockout_minutes")

        office, office_column = fields.group_box(Group.OFFICE)
        logo_row = QHBoxLayout()
        self.logo = LogoPreview()
        frame = QFrame()
        frame.setObjectName("logoFrame")
        frame_layout = QVBoxLayout(frame)
        frame_layout.setContentsMargins(0, 0, 0, 0)
        frame_layout.addWidget(self.logo)
        logo_row.addWidget(frame)
        logo_side = QVBoxLayout()
        self.choose_logo = QPushButton("Cargar logo (PNG)…")
        logo_side.addWidget(self.choose_logo)
        logo_side.addWidget(label("PNG de hasta 512 KB y 1024 píxeles; mejor en blanco y "
                                  "negro.", "hint"))
        self.logo_notice = Notice()
        logo_side.addWidget(self.logo_notice)
        logo_side.addStretch(1)
        logo_row.addLayout(logo_side, 1)
        office_column.addLayout(logo_row)
        grid.addWidget(office, 0, 0)

        self.clear_credential = QPushButton("Borrar credencial")
        credential_row = QHBoxLayout()
        credential_row.addWidget(self.credential, 1)
        credential_row.addWidget(self.clear_credential)
        # The public address: where the QR codes of cargos, receipts and copies lead.
        central, central_column = fields.group_box(Group.CENTRAL,
                                                   {"central_credential": credential_row})
        self.credential_state = label("", "hint")
        central_column.addWidget(self.credential_state)
        self.public_state = label("", "hint")
        self.public_state.setWordWrap(True)
        central_column.addWidget(self.public_state)
        # A central without its credential (after a restore, on a new PC): asked plainly.
        self.credential_missing = Notice()
        central_column.addWidget(self.credential_missing)
        central_column.addStretch(1)
        grid.addWidget(central, 0, 1)

        grid.addWidget(fields.group_box(Group.BACKUPS)[0], 1, 0)

        grid.addWidget(fields.group_box(Group.SAFETY)[0], 1, 1)
        # A group declared later: a row of its own, across the tab.
        row = 2
        for later in fields.groups():
            if later not in (Group.OFFICE, Group.CENTRAL, Group.BACKUPS, Group.SAFETY):
                grid.addWidget(fields.group_box(later)[0], row, 0, 1, 2)
                row += 1

        bottom = QVBoxLayout()
        self.save = primary("Guardar")
        bottom.addLayout(buttons(self.save))
        bottom.addWidget(self.notice)
        bottom.addWidget(self.restart)
        grid.addLayout(bottom, row, 0, 1, 2)
        grid.setRowStretch(row + 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.save.clicked.connect(self.submit)
        self.choose_logo.clicked.connect(self.upload_logo)
        self.clear_credential.clicked.connect(self._clear_credential)

    def load(self) -> None:
        """The settings and, when one is stored, the logo as the tickets print it."""
        client = self.client

        def work() -> tuple[OfficeSettings, bytes | None]:
            settings = client.office_settings()
            return settings, client.office_logo() if settings.has_logo else None

        def loaded(result: tuple[OfficeSettings, bytes | None]) -> None:
            settings, logo = result
            if logo:
                self.logo.show_png(logo)
            self.show_settings(settings)

        self.run(work, loaded)

    def fill(self, settings: OfficeSettings) -> None:
        super().fill(settings)
        self._credential_hint(settings.central_credential_set)
        missing = bool(settings.central_url) and not settings.central_credential_set
        self.credential_state.setVisible(not missing)  # the notice says it, and more
        if missing:
            self.credential_missing.show_message(
                f"{MISSING_CREDENTIAL} Escríbala en «Credencial» y pulse Guardar.", "offline")
        else:
            self.credential_missing.clear_message()
        self._public_hint(settings)
        self.logo.show_stored(settings.has_logo)

    def _public_hint(self, settings: OfficeSettings) -> None:
        """Which address the QR codes use now, and what an empty field means."""
        central = settings.central_public_url
        self.public_url.setPlaceholderText(
            central or "la página de consulta de la central (https://…)")
        if settings.public_url:
            text = f"Los QR de cargos, recibos y copias llevan a {settings.public_url}/t/…"
        elif central:
            text = (f"Vacía: se usa la que indica la central, {central}. Los QR de cargos, "
                    "recibos y copias llevan allí.")
        else:
            text = ("Sin página pública los cargos, recibos y copias no llevan QR: imprimen "
                    "el código para consultar en la oficina.")
        self.public_state.setText(text)

    def _credential_hint(self, stored: bool) -> None:
        self.credential.setPlaceholderText(STORED_SECRET if stored
                                           else "la que dio «cac central office add»")
        self.credential_state.setText(
            "Hay una credencial guardada; por seguridad no se muestra." if stored else
            "Sin credencial: la oficina no sincroniza con la central.")
        self.clear_credential.setEnabled(stored)

    def _clear_credential(self) -> None:
        self.credential.clear()
        self.fields.clearing.add("central_credential")
        self.credential_state.setText("La credencial se borrará al guardar.")

    def upload_logo(self) -> None:
        path = file_dialogs().open_file(self, "Elegir el logo de la oficina", LOGO_FILTER)
        if path is None:
            return
        client = self.client
        self.logo_notice.show_message(f"Cargando «{path.name}»…", "info")

        def work() -> tuple[bytes, OfficeSettings]:
            png = _read_logo(path)
            return png, client.set_logo(png)

        def stored(result: tuple[bytes, OfficeSettings]) -> None:
            png, settings = result
            self.adopt(settings)
            self.saved.emit(settings)
            if self.logo.show_png(png):
                self.logo_notice.show_message("Logo guardado: así saldrá en los turnos.",
                                              "info")
            else:
                self.logo_notice.show_message("Logo guardado.", "info")

        self.run(work, stored,
                 lambda error: self.logo_notice.show_message(error.message, "error"))

    def clear(self) -> None:
        super().clear()
        self.logo_notice.clear_message()
        self.credential_missing.clear_message()
        self.logo.forget()
