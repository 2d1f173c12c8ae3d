"""«Avisos»: the providers of the notices to citizens (e-mail by SMTP, SMS through the
provider's HTTP gateway), their fields made from kiosk/settings.py (group NOTICES), beside
what is sent and an example of the SMS as it leaves (kiosk/rules/notices.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.client.base import HubClient
from kiosk.rules.notices import SMS_MAX, NoticeKind, notice_text
from kiosk.services.admin_views import OfficeSettings
from kiosk.settings import Group
from ui.admin.setting_fields import names_in
from ui.admin.settings_tabs import SettingsTab
from ui.admin.widgets import Runner, buttons, primary
from ui.counter.widgets import label

EXAMPLE_NUMBER = "CAJ-2026-000123"
WHAT = ("Con la autorización del ciudadano (Ley 29733), la oficina le avisa por SMS o correo "
        "cuando su expediente es observado, aprobado, está listo para recoger o es "
        "denegado. Cada aviso sale una sola vez; sin conexión espera y se reintenta, y los "
        "que fallan se ven en la supervisión (pestaña Sincronización).")
ALPHABET = (f"Un SMS tiene hasta {SMS_MAX} caracteres del alfabeto GSM: la ñ, la é y la ü se "
            "mantienen; á, í, ó y ú van sin tilde (con ellas el mensaje se partiría en tres). "
            "Solo lleva el número de expediente y el nombre de la oficina.")


class NoticesTab(SettingsTab):
    title = "Avisos"
    FIELDS = names_in(Group.NOTICES)

    def __init__(self, client: HubClient, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(client, run, parent)
        root = QHBoxLayout(self)
        root.setContentsMargins(4, 8, 4, 4)
        root.setSpacing(12)
        box, column = self.fields.group_box(Group.NOTICES)
        box.setFixedWidth(640)
        self.save = primary("Guardar")
        column.addLayout(buttons(self.save))
        column.addWidget(self.notice)
        column.addWidget(self.restart)
        root.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
        side = QVBoxLayout()
        side.addWidget(label("Qué se envía", "h2"))
        side.addWidget(label(WHAT, "hint"))
        side.addWidget(label("Así llega un SMS", "h2"))
        self.example = label("", "")
        self.example.setObjectName("smsExample")
        self.example.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        side.addWidget(self.example)
        self.example_length = label("", "hint")
        side.addWidget(self.example_length)
        side.addWidget(label(ALPHABET, "hint"))
        side.addStretch(1)
        root.addLayout(side, 1)
        self.save.clicked.connect(self.submit)

    def fill(self, settings: OfficeSettings) -> None:
        super().fill(settings)
        sms = notice_text(NoticeKind.OBSERVED, settings.office_name, EXAMPLE_NUMBER).sms
        self.example.setText(sms)
        self.example_length.setText(f"{len(sms)} de {SMS_MAX} caracteres: un solo mensaje.")
