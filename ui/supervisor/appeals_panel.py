"""The «Recursos» sub-tab of the supervisor's Expedientes tab: the recursos de reconsideración
and apelación in process today (late ones in red), and the form where the supervisor records
how the recurso's authority resolved the one chosen (docs/decisions.md record 36)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.errors import InvalidInput
from kiosk.services.expediente_views import AppealDecisionInput
from kiosk.services.supervisor_views import AppealDueRow
from ui.counter.models import Column, RowsModel
from ui.counter.widgets import Notice, button, label, stretch
from ui.supervisor import texts
from ui.supervisor.models import RED_BG, RED_FG
from ui.supervisor.widgets import data_table

OUTCOMES = {"fundado": "Fundado", "infundado": "Infundado", "improcedente": "Improcedente"}


class AppealsModel(RowsModel[AppealDueRow]):
    """Recursos in process, the earliest due first; the due date of a late one in red."""

    DUE = 6

    def __init__(self) -> None:
        super().__init__([
            Column("Expediente", lambda r: r.number),
            Column("Trámite", lambda r: r.procedure),
            Column("Recurso", lambda r: r.kind_text),
            Column("Contra", lambda r: r.against),
            Column("Presentado", lambda r: texts.day_text(r.filed_on)),
            Column("Resuelve", lambda r: r.authority),
            Column("Vence", lambda r: texts.day_text(r.due_date) + (" (vencido)"
                                                                     if r.overdue else "")),
        ])

    def extra(self, row: AppealDueRow, column: int, role: int) -> Any:
        if column == self.DUE and row.overdue:
            if role == Qt.ItemDataRole.BackgroundRole:
                return RED_BG
            if role == Qt.ItemDataRole.ForegroundRole:
                return RED_FG
        return None


class AppealsPage(QWidget):
    """The table and, under it, the resolution of the recurso chosen in it."""

    decide = Signal(str, str, object)  # expediente number, appeal id, AppealDecisionInput

    def __init__(self) -> None:
        super().__init__()
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 6, 6, 6)
        self.hint = label("", "hint")
        self.model = AppealsModel()
        self.view = data_table("expedientesAppeals")
        self.view.setModel(self.model)
        stretch(self.view, 1)
        row = QHBoxLayout()
        self.outcome = QComboBox()
        for code, text in OUTCOMES.items():
            self.outcome.addItem(text, code)
        self.reason = QLineEdit()
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText("Motivo de la resolución (obligatorio)")
        self.resolution = QLineEdit()
        self.resolution.setMaxLength(60)
        self.resolution.setPlaceholderText("N.° de resolución (opcional)")
        self.submit = button("Registrar resolución")
        row.addWidget(label("Resolver el recurso elegido:", wrap=False))
        row.addWidget(self.outcome)
        row.addWidget(self.reason, 2)
        row.addWidget(self.resolution, 1)
        row.addWidget(self.submit)
        self.notice = Notice()
        column.addWidget(self.hint)
        column.addWidget(self.view, 1)
        column.addLayout(row)
        column.addWidget(self.notice)
        self.submit.clicked.connect(self._submit)
        self.reason.textChanged.connect(self.notice.clear_message)

    def show_appeals(self, rows: list[AppealDueRow]) -> None:
        self.model.set_rows(rows)
        late = sum(r.overdue for r in rows)
        self.hint.setText(
            f"Hoy: {texts.number(len(rows))} "
            f"{'recurso' if len(rows) == 1 else 'recursos'} en trámite, {texts.number(late)} "
            f"{'vencido' if late == 1 else 'vencidos'} (30 días hábiles para resolver, TUO de "
            "la Ley 27444, art. 218.2). Elija uno y registre cómo lo resolvió su autoridad: "
            "fundado contra una denegatoria aprueba el expediente.")
        for widget in (self.outcome, self.reason, self.resolution, self.submit):
            widget.setEnabled(bool(rows))

    def chosen(self) -> AppealDueRow | None:
        index = self.view.currentIndex()
        rows = self.model.rows
        return rows[index.row()] if index.isValid() and index.row() < len(rows) else None

    def build(self) -> AppealDecisionInput:
        reason = self.reason.text().strip()
        if not reason:
            raise InvalidInput("reason_required", "Escriba el motivo de la resolución.")
        return AppealDecisionInput(outcome=self.outcome.currentData(), reason=reason,
                                   resolution=self.resolution.text().strip() or None)

    def _submit(self) -> None:
        row = self.chosen()
        if row is None:
            self.notice.show_message("Elija en la tabla el recurso que se resolvió.", "error")
            return
        try:
            decision = self.build()
        except InvalidInput as exc:
            self.notice.show_message(exc.message, "error")
            return
        self.submit.setEnabled(False)
        self.decide.emit(row.number, row.id, decision)

    def decided(self, message: str) -> None:
        self.submit.setEnabled(True)
        self.reason.clear()
        self.resolution.clear()
        self.notice.show_message(message, "info")

    def refused(self, message: str) -> None:
        self.submit.setEnabled(True)
        self.notice.show_message(message, "error")
