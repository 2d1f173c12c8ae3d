"""Firma digital: the municipality's signing certificate and who signs with it (issue 18).

The administrator chooses the PKCS#12 file (.p12/.pfx) the accredited provider gave and types
its password once, here, so the hub can check that it opens and holds a valid signing key; the
hub keeps the file in the office folder (outside the database and its backups) and forgets the
password. Each registrar named in «Usuarios que firman» types the password again at the counter,
once per session. The settings (who signs, the place the signature states, the timestamp
server) are declared in kiosk/settings.py, group «Firma digital».
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.client.base import HubClient
from kiosk.services.admin_views import OfficeSettings
from kiosk.services.signing_views import CertificateImport, SigningStatus
from kiosk.settings import Group
from ui.admin import texts
from ui.admin.setting_fields import names_in
from ui.admin.settings_tabs import SettingsTab
from ui.admin.widgets import Runner, buttons, group, primary
from ui.counter.widgets import Notice, label
from ui.files import file_dialogs

CERTIFICATE_FILTER = "Certificado de firma (*.p12 *.pfx)"
READ_LIMIT = 64 * 1024  # a real one is some 5-10 KB; the hub checks it too


def certificate_lines(status: SigningStatus) -> list[tuple[str, str]]:
    """The certificate as the tab shows it (Spanish labels)."""
    view = status.certificate
    if view is None:
        return [("Estado", "Sin certificado: los documentos se emiten sin firma digital.")]
    state = "VENCIDO: importe el vigente" if view.expired else "Vigente"
    return [
        ("Titular", view.holder + (f" — {view.organisation}" if view.organisation else "")),
        ("Emitido por", view.issuer),
        ("Vigencia", f"del {view.valid_from:%d/%m/%Y} al {view.valid_until:%d/%m/%Y}"),
        ("Estado", state),
        ("N.° de serie", view.serial),
        ("Huella SHA-256", view.fingerprint[:47] + "…"),
    ]


class SigningTab(SettingsTab):
    title = "Firma"
    FIELDS = names_in(Group.SIGNING)

    def __init__(self, client: HubClient, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(client, run, parent)
        self.status: SigningStatus | None = None
        self.chosen: Path | None = None
        root = QHBoxLayout(self)
        root.setContentsMargins(4, 8, 4, 4)

        certificate, column = group("Certificado de firma de la municipalidad")
        self.details = QFormLayout()
        self.details.setSpacing(6)
        column.addLayout(self.details)
        column.addWidget(label(
            "El archivo .p12 o .pfx de su proveedor acreditado. Se guarda en la carpeta de la "
            "oficina, solo legible por el hub, y no va en las copias de seguridad. La "
            "contraseña solo se usa para comprobarlo: no se guarda.", "hint"))
        file_row = QHBoxLayout()
        self.file_name = QLineEdit()
        self.file_name.setReadOnly(True)
        self.file_name.setPlaceholderText("ningún archivo elegido")
        self.choose = QPushButton("&Elegir archivo…")
        file_row.addWidget(self.file_name, 1)
        file_row.addWidget(self.choose)
        form = QFormLayout()
        form.addRow("Archivo", file_row)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("la del certificado (no se guarda)")
        form.addRow("Co&ntraseña", self.password)
        column.addLayout(form)
        self.import_button = primary("&Importar certificado")
        column.addLayout(buttons(self.import_button))
        self.certificate_notice = Notice()
        column.addWidget(self.certificate_notice)
        column.addStretch(1)
        root.addWidget(certificate, 1)

        settings, settings_column = self.fields.group_box(Group.SIGNING)
        self.users = self.fields.line("signing_users")
        self.place = self.fields.line("signing_place")
        self.timestamp_url = self.fields.line("timestamp_url")
        self.save = primary("Guardar")
        settings_column.addLayout(buttons(self.save))
        settings_column.addWidget(self.notice)
        settings_column.addWidget(self.restart)
        settings_column.addStretch(1)
        side = QVBoxLayout()
        side.addWidget(settings)
        side.addStretch(1)
        root.addLayout(side, 1)

        self.save.clicked.connect(self.submit)
        self.choose.clicked.connect(self.choose_file)
        self.import_button.clicked.connect(self.import_certificate)
        self.password.returnPressed.connect(self.import_certificate)
        self.show_status(SigningStatus())

    def load(self) -> None:
        client = self.client

        def work() -> tuple[OfficeSettings, SigningStatus]:
            return client.office_settings(), client.signing_status()

        def loaded(result: tuple[OfficeSettings, SigningStatus]) -> None:
            settings, status = result
            self.show_status(status)
            self.show_settings(settings)

        self.run(work, loaded)

    def show_status(self, status: SigningStatus) -> None:
        self.status = status
        while self.details.rowCount():
            self.details.removeRow(0)
        for name, value in certificate_lines(status):
            shown = label(value, "error" if "VENCIDO" in value else "")
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.details.addRow(f"{name}:", shown)

    def choose_file(self) -> None:
        path = file_dialogs().open_file(self, "Elegir el certificado de firma",
                                        CERTIFICATE_FILTER)
        if path is not None:
            self.chosen = path
            self.file_name.setText(str(path))
            self.password.setFocus()

    def import_certificate(self) -> None:
        if self.chosen is None:
            self.certificate_notice.show_message("Elija primero el archivo del certificado.",
                                                 "error")
            return
        try:
            if self.chosen.stat().st_size > READ_LIMIT:
                raise OSError("demasiado grande para ser un certificado de firma")
            content = self.chosen.read_bytes()
            request = CertificateImport(content=content, password=self.password.text())
        except OSError as exc:
            self.certificate_notice.show_message(
                f"No se pudo leer {self.chosen.name}: {exc.strerror or exc}.", "error")
            return
        except ValidationError as exc:
            self.certificate_notice.show_message(texts.spanish(exc), "error")
            return
        client = self.client

        def imported(status: SigningStatus) -> None:
            self.password.clear()
            self.show_status(status)
            self.certificate_notice.show_message(
                "Certificado importado. Los registradores ingresan su contraseña al firmar, "
                "una vez por sesión.", "info")

        def refused(error: object) -> None:
            self.password.clear()
            self.certificate_notice.show_message(getattr(error, "message", str(error)),
                                                 "error")

        self.run(lambda: client.import_signing_certificate(request), imported, refused)
