"""The «Sincronización» tab: the link with central and what central refused, or sent and the
office could not apply (the hub's attention list), for the supervisor to act on."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.shared_views import SyncAttentionItem, SyncStatusView
from ui.counter.widgets import Notice, label, stretch
from ui.supervisor.models import attention_model
from ui.supervisor.texts import number
from ui.supervisor.widgets import data_table, panel

NOTHING = "Nada pendiente: la central aceptó todo lo enviado y la oficina aplicó todo lo recibido."


class SyncPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status: SyncStatusView | None = None
        root, self.summary, self.reload = panel(self, "syncPanel", 8)
        self.details = label("", "hint")
        root.addWidget(self.details)
        self.warnings = Notice()
        root.addWidget(self.warnings)
        root.addWidget(label("Requieren atención", "h2"))
        root.addWidget(label("Cambios que la central rechazó (con su motivo) y cambios de la "
                             "central que esta oficina no pudo aplicar. Corrija el dato y "
                             "reintente con «cac sync attention --retry».", "hint"))
        self.model = attention_model()
        self.table = data_table("attention")
        self.table.setModel(self.model)
        stretch(self.table, 3)
        root.addWidget(self.table, 1)
        self.nothing = label(NOTHING, "hint")
        root.addWidget(self.nothing)
        self.notice = Notice()
        root.addWidget(self.notice)

    def show_sync(self, status: SyncStatusView, attention: list[SyncAttentionItem]) -> None:
        self.status = status
        self.summary.setText(status.summary)
        parts = [f"Cambios por enviar: {number(status.pending)}",
                 f"rechazados: {number(status.rejected)}",
                 f"no aplicados: {number(status.pull_problems)}"]
        if status.central_url:
            parts.insert(0, f"Central: {status.central_url}")
        self.details.setText(" · ".join(parts))
        if status.warnings:
            self.warnings.show_message("\n".join(status.warnings), "error")
        else:
            self.warnings.clear_message()
        self.model.set_rows(attention)
        self.nothing.setVisible(not attention)
