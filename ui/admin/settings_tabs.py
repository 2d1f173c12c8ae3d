"""Impresora and Oficina: the hub's office settings, each tab the fields of its concern.

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
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
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
from printing.encoding import CODEPAGES
from ui.admin import texts
from ui.admin.models import PrintJobsModel
from ui.admin.widgets import AdminTab, Runner, buttons, choose, form_layout, group, line, primary
from ui.counter.widgets import Notice, label, stretch, table
from ui.files import file_dialogs

LOGO_FILTER = "Imagen PNG (*.png)"
# The hub checks the logo itself (≤ 512 KB); the window refuses to read a far larger file.
LOGO_READ_LIMIT = 4 * 1024 * 1024
PREVIEW_SIZE = (260, 110)
JOBS_SHOWN = 30


def _spin(low: int, high: int, suffix: str = "") -> QSpinBox:
    widget = QSpinBox()
    widget.setRange(low, high)
    widget.setSuffix(suffix)
    return widget


class SettingsTab(AdminTab):
    """A tab over some fields of the office settings. `saved` tells the window (and the
    other settings tab) what the hub holds now."""

    saved = Signal(object)  # OfficeSettings

    FIELDS: tuple[str, ...] = ()

    def __init__(self, client: HubClient, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(client, run, parent)
        self.settings: OfficeSettings | None = None
        self.restart = Notice()

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
        note = texts.restart_text(settings.restart_needed)
        if note:
            self.restart.show_message(note, "offline")
        else:
            self.restart.clear_message()

    def fill(self, settings: OfficeSettings) -> None:
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        """The fields' values by setting name (FIELDS)."""
        raise NotImplementedError

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
    FIELDS = ("printer_backend", "printer_target", "printer_width_mm", "printer_codepage")

    def __init__(self, client: HubClient, run: Runner, tz: tzinfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(client, run, parent)
        self.last_test: PrinterTestResult | None = None
        root = QHBoxLayout(self)
        root.setContentsMargins(4, 8, 4, 4)
        box, column = group("Impresora de turnos de la oficina")
        box.setFixedWidth(620)
        form = form_layout()
        self.backend = QComboBox()
        for value, (text, _example) in texts.PRINTER_BACKENDS.items():
            self.backend.addItem(text, value)
        self.target = line("", 300)
        self.paper_width = QComboBox()
        for width in texts.PRINTER_WIDTHS:
            self.paper_width.addItem(f"{width} mm", width)
        self.codepage = QComboBox()
        for name in CODEPAGES:
            self.codepage.addItem(name, name)
        form.addRow("&Conexión", self.backend)
        form.addRow("&Dirección", self.target)
        form.addRow("&Ancho del papel", self.paper_width)
        form.addRow("&Página de códigos", self.codepage)
        column.addLayout(form)
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

    def fill(self, settings: OfficeSettings) -> None:
        if self.backend.findData(settings.printer_backend) < 0:
            self.backend.addItem(settings.printer_backend, settings.printer_backend)
        choose(self.backend, settings.printer_backend)
        self.target.setText(settings.printer_target)
        if self.paper_width.findData(settings.printer_width_mm) < 0:
            self.paper_width.addItem(f"{settings.printer_width_mm} mm", settings.printer_width_mm)
        choose(self.paper_width, settings.printer_width_mm)
        if self.codepage.findData(settings.printer_codepage) < 0:
            self.codepage.addItem(settings.printer_codepage, settings.printer_codepage)
        choose(self.codepage, settings.printer_codepage)

    def values(self) -> dict[str, Any]:
        return {"printer_backend": self.backend.currentData(),
                "printer_target": self.target.text().strip(),
                "printer_width_mm": self.paper_width.currentData(),
                "printer_codepage": self.codepage.currentData()}

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
    FIELDS = ("office_name", "municipality", "central_url", "central_credential",
              "public_url", "backup_interval_hours", "backups_kept", "backup_copy_dir",
              "ticket_retention_days", "idle_lock_minutes", "login_attempts",
              "login_lockout_minutes", "cap_preferential_calls")

    def __init__(self, client: HubClient, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(client, run, parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 8, 4, 4)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)

        office, office_column = group("Oficina")
        form = form_layout()
        self.office_name = line("p. ej. CAC Cajamarca", 120)
        self.municipality = line("p. ej. Municipalidad Provincial de Cajamarca", 120)
        form.addRow("&Nombre", self.office_name)
        form.addRow("&Municipalidad", self.municipality)
        office_column.addLayout(form)
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

        central, central_column = group("Servidor central")
        form = form_layout()
        self.central_url = line("https://central.municipalidad.gob.pe (vacío: sin central)",
                                300)
        self.credential = QLineEdit()
        self.credential.setEchoMode(QLineEdit.EchoMode.Password)
        self.credential.setMaxLength(300)
        self.clear_credential = QPushButton("Borrar credencial")
        credential_row = QHBoxLayout()
        credential_row.addWidget(self.credential, 1)
        credential_row.addWidget(self.clear_credential)
        form.addRow("&Dirección", self.central_url)
        credential_label = QLabel("&Credencial")
        credential_label.setBuddy(self.credential)
        form.addRow(credential_label, credential_row)
        # Where the QR codes of cargos, receipts and copies lead: central's public page.
        self.public_url = line("la página de consulta de la central (https://…)", 150)
        form.addRow("Págin&a pública", self.public_url)
        central_column.addLayout(form)
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

        backups, backup_column = group("Copias de seguridad")
        form = form_layout()
        self.backup_interval = QDoubleSpinBox()
        self.backup_interval.setRange(0, 168)
        self.backup_interval.setDecimals(1)
        self.backup_interval.setSuffix(" h")
        self.backups_kept = _spin(1, 365, " copias")
        self.backup_copy_dir = line("p. ej. E:\\copias-cac (una memoria USB)", 500)
        form.addRow("&Cada", self.backup_interval)
        form.addRow("&Guardar", self.backups_kept)
        form.addRow("Segunda co&pia en", self.backup_copy_dir)
        backup_column.addLayout(form)
        backup_column.addWidget(label("0 h: solo antes de cada actualización y a mano "
                                      "(cac backup).", "hint"))
        grid.addWidget(backups, 1, 0)

        safety, safety_column = group("Datos personales y seguridad")
        form = form_layout()
        self.retention = _spin(0, 3650, " días")
        self.retention.setSpecialValueText("siempre")
        self.idle_lock = _spin(0, 240, " min")
        self.idle_lock.setSpecialValueText("nunca")
        self.attempts = _spin(1, 50, " intentos")
        self.lockout = _spin(1, 1440, " min")
        form.addRow("Guardar los &turnos", self.retention)
        form.addRow("&Bloquear pantallas tras", self.idle_lock)
        form.addRow("Bloquear la cuenta tras", self.attempts)
        form.addRow("… &durante", self.lockout)
        safety_column.addLayout(form)
        grid.addWidget(safety, 1, 1)

        calling, calling_column = group("Llamado de turnos")
        self.cap_preferential = QCheckBox("&Limitar los preferenciales a 1 de cada 3 llamados "
                                          "mientras esperan turnos normales")
        calling_column.addWidget(self.cap_preferential)
        calling_column.addWidget(label("Sin límite, los turnos preferenciales (Ley 28683) se "
                                       "llaman siempre primero. El cambio queda registrado.",
                                       "hint"))
        grid.addWidget(calling, 2, 0, 1, 2)

        bottom = QVBoxLayout()
        self.save = primary("Guardar")
        bottom.addLayout(buttons(self.save))
        bottom.addWidget(self.notice)
        bottom.addWidget(self.restart)
        grid.addLayout(bottom, 3, 0, 1, 2)
        grid.setRowStretch(4, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        self.save.clicked.connect(self.submit)
        self.choose_logo.clicked.connect(self.upload_logo)
        self.clear_credential.clicked.connect(self._clear_credential)
        self._clearing_credential = False

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
        self.office_name.setText(settings.office_name)
        self.municipality.setText(settings.municipality)
        self.central_url.setText(settings.central_url)
        self.credential.clear()
        self._clearing_credential = False
        self._credential_hint(settings.central_credential_set)
        missing = bool(settings.central_url) and not settings.central_credential_set
        self.credential_state.setVisible(not missing)  # the notice says it, and more
        if missing:
            self.credential_missing.show_message(
                f"{MISSING_CREDENTIAL} Escríbala en «Credencial» y pulse Guardar.", "offline")
        else:
            self.credential_missing.clear_message()
        self.public_url.setText(settings.public_url)
        self._public_hint(settings)
        self.backup_interval.setValue(settings.backup_interval_hours)
        self.backups_kept.setValue(settings.backups_kept)
        self.backup_copy_dir.setText(settings.backup_copy_dir)
        self.retention.setValue(settings.ticket_retention_days)
        self.idle_lock.setValue(settings.idle_lock_minutes)
        self.attempts.setValue(settings.login_attempts)
        self.lockout.setValue(settings.login_lockout_minutes)
        self.cap_preferential.setChecked(settings.cap_preferential_calls)
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
        self.credential.setPlaceholderText("•••••• guardada: escriba otra para cambiarla"
                                           if stored else "la que dio «cac central office add»")
        self.credential_state.setText(
            "Hay una credencial guardada; por seguridad no se muestra." if stored else
            "Sin credencial: la oficina no sincroniza con la central.")
        self.clear_credential.setEnabled(stored)

    def _clear_credential(self) -> None:
        self.credential.clear()
        self._clearing_credential = True
        self.credential_state.setText("La credencial se borrará al guardar.")

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "office_name": " ".join(self.office_name.text().split()),
            "municipality": " ".join(self.municipality.text().split()),
            "central_url": self.central_url.text().strip(),
            "public_url": self.public_url.text().strip(),
            "backup_interval_hours": round(self.backup_interval.value(), 1),
            "backups_kept": self.backups_kept.value(),
            "backup_copy_dir": self.backup_copy_dir.text().strip(),
            "ticket_retention_days": self.retention.value(),
            "idle_lock_minutes": self.idle_lock.value(),
            "login_attempts": self.attempts.value(),
            "login_lockout_minutes": self.lockout.value(),
            "cap_preferential_calls": self.cap_preferential.isChecked(),
        }
        secret = self.credential.text().strip()
        if secret:
            values["central_credential"] = secret  # write-only: never compared, always sent
        elif self._clearing_credential:
            values["central_credential"] = ""
        return values

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
