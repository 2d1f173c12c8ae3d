"""«Avisos a los ciudadanos», in the «Sincronización» tab: the notices' outbox in figures
and the ones that fail (refused for good, or retried several times), for the supervisor to
check the provider's settings or the citizen's contact. No address is ever shown."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.rules.notices import CHANNEL_TEXT, KIND_LABEL, STATE_TEXT
from kiosk.rules.notices import NoticeState as State
from kiosk.services.supervisor_views import NoticeItem, NoticeOverview
from ui.counter.models import Column, RowsModel
from ui.counter.widgets import label, stretch
from ui.supervisor.texts import number
from ui.supervisor.widgets import data_table

NOTHING = "Ningún aviso con fallas."


def _label(table: dict[str, str], value: str) -> str:
    return table.get(value, value)


class NoticesBox(QWidget):
    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        root = QVBoxLayout(self)
        root.setContentsMargins(8, 4, 8, 4)
        root.addWidget(label("Avisos a los ciudadanos", "h2"))
        self.summary = label("", "hint")
        root.addWidget(self.summary)
        kinds = {str(k): v for k, v in KIND_LABEL.items()}
        channels = {str(k): v for k, v in CHANNEL_TEXT.items()}
        states = {str(State.PENDING): "Reintentando", str(State.FAILED): STATE_TEXT[State.FAILED]}
        self.model: RowsModel[NoticeItem] = RowsModel([
            Column("Expediente", lambda n: n.reference),
            Column("Aviso", lambda n: _label(kinds, n.kind)),
            Column("Medio", lambda n: _label(channels, n.channel)),
            Column("Estado", lambda n: _label(states, n.state)),
            Column("Intentos", lambda n: number(n.attempts), numeric=True),
            Column("Motivo", lambda n: n.last_error or "—"),
            Column("Próximo intento", lambda n: self._when(n)),
        ])
        self.table = data_table("notices")
        self.table.setModel(self.model)
        stretch(self.table, 5)
        root.addWidget(self.table, 1)
        self.nothing = label(NOTHING, "hint")
        root.addWidget(self.nothing)

    def _when(self, item: NoticeItem) -> str:
        if item.state != State.PENDING:
            return "—"
        return _local(item.next_attempt_at, self.tz)

    def show_overview(self, overview: NoticeOverview) -> None:
        parts = [f"Enviados: {number(overview.sent)}",
                 f"por enviar: {number(overview.pending)}",
                 f"reintentando: {number(overview.retrying)}",
                 f"fallidos: {number(overview.failed)}"]
        self.summary.setText(" · ".join(parts) + ". Un aviso fallido no se reintenta: revise "
                             "el correo o la pasarela de SMS en la administración.")
        self.model.set_rows(overview.items)
        self.nothing.setVisible(not overview.items)


def _local(moment: datetime, tz: tzinfo) -> str:
    return f"{moment.astimezone(tz):%d/%m %H:%M}"
