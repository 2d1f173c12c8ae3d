"""One expediente on screen: status, dates, warnings, requirements, history, payments, scanned
attachments, and the buttons for what the clerk may do next (the hub's `allowed_actions`)."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.rules.expedientes import receives_payments
from kiosk.services.expediente_views import ExpedienteView
from printing.documents.common import applicant_document, detail_rows, grouped
from ui.counter import texts
from ui.counter.models import (
    RequirementsModel,
    attachments_model,
    events_model,
    payments_model,
)
from ui.counter.widgets import Notice, button, card, label, stretch, table


def review_text(expediente: ExpedienteView) -> str:
    """The Comisión Técnica's step of an edificación C/D ("" for any other)."""
    if expediente.evaluacion == "revisores_urbanos":
        return "No corresponde: revisado por Revisores Urbanos"
    if expediente.evaluacion is None:
        return ""
    due = (f"dictamen hasta el {texts.day_text(expediente.review_due)}"
           if expediente.review_due is not None else "")
    if expediente.dictamen_text:
        last = f"Último dictamen: {expediente.dictamen_text.lower()}"
        return last if expediente.dictamen != "no_conforme" else f"{last} (espera otro)"
    return due[0].upper() + due[1:] + (" · VENCIDO" if expediente.review_overdue else "") \
        if due else "Pendiente de dictamen"


class ExpedientePanel(QWidget):
    action_requested = Signal(str)  # observe | correct | ... (texts.ACTION_LABELS)
    pay_requested = Signal()
    print_cargo = Signal()
    save_pdf = Signal()
    save_copy = Signal()
    save_constancia = Signal()
    reprint_receipt = Signal()
    attach_requested = Signal()
    appeal_requested = Signal()  # the citizen files a recurso against the decision
    withdraw_notices = Signal()  # the citizen withdraws the consent to notices (Ley 29733)

    def __init__(self, tz: tzinfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.expediente: ExpedienteView | None = None
        self._tz = tz
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        head = card()
        grid = QGridLayout(head)
        grid.setContentsMargins(14, 10, 14, 10)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        self.number = label("", "h1", wrap=False)
        self.status = label("", "status", wrap=False)
        title = QHBoxLayout()
        title.setSpacing(14)
        title.addWidget(self.number)
        title.addWidget(self.status)
        title.addStretch(1)
        grid.addLayout(title, 0, 0, 1, 4)
        self.procedure = label("", "h2")
        grid.addWidget(self.procedure, 1, 0, 1, 4)
        self.applicant = label("")
        grid.addWidget(self.applicant, 2, 0, 1, 4)
        self.facts: dict[str, tuple[QLabel, QLabel]] = {}
        names = [("filed", "Presentado"), ("due", "Vence"), ("fee", "Derecho"),
                 ("balance", "Saldo"), ("tracking", "Código"), ("area", "Área"),
                 ("calificacion", "Calificación"), ("observation", "Subsanar hasta"),
                 ("review", "Comisión Técnica"),
                 ("notices", "Avisos")]
        for index, (key, caption) in enumerate(names):
            row, column = 3 + index // 2, (index % 2) * 2
            name = label(caption, "hint", wrap=False)
            value = label("")
            grid.addWidget(name, row, column)
            grid.addWidget(value, row, column + 1)
            self.facts[key] = (name, value)
        # The recursos against its decision: the one in process (or the last), in a line.
        self.appeal_line = label("", "hint")
        self.appeal_line.hide()
        grid.addWidget(self.appeal_line, 3 + (len(names) + 1) // 2, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout.addWidget(head)

        self.warning = label("", "warning")
        self.warning.hide()
        layout.addWidget(self.warning)

        self.tabs = QTabWidget()
        self.events = events_model(tz)
        self.events_view = table()
        self.events_view.setModel(self.events)
        self.payments = payments_model(tz)
        self.payments_view = table()
        self.payments_view.setModel(self.payments)
        self.requirements = RequirementsModel(editable=False)
        self.requirements_view = QListView()
        self.requirements_view.setModel(self.requirements)
        self.requirements_view.setWordWrap(True)
        self.details = label("")
        self.details.setMargin(10)
        self.attachments = attachments_model(tz)
        self.attachments_tab = QWidget()
        box = QVBoxLayout(self.attachments_tab)
        box.setContentsMargins(6, 6, 6, 6)
        box.setSpacing(6)
        self.attachments_view = table()
        self.attachments_view.setModel(self.attachments)
        box.addWidget(self.attachments_view, 1)
        box.addWidget(label("Documentos escaneados en PDF, PNG o JPG: «Adjuntar archivo…» "
                            "(Ctrl+U).", "hint"))
        self.attachments_notice = Notice()
        box.addWidget(self.attachments_notice)
        self.tabs.addTab(self.events_view, "Historial")
        self.tabs.addTab(self.requirements_view, "Requisitos")
        self.tabs.addTab(self.payments_view, "Pagos")
        self.tabs.addTab(self.attachments_tab, "Adjuntos")
        self.tabs.addTab(self.details, "Datos")
        layout.addWidget(self.tabs, 1)

        self.notice = Notice()
        layout.addWidget(self.notice)

        self.action_grid = QGridLayout()  # the allowed ones, four to a row (see _place_actions)
        self.action_grid.setSpacing(6)
        self.action_buttons: dict[str, QPushButton] = {}
        for action, (text, key) in texts.ACTION_LABELS.items():
            widget = button(text, key)
            widget.clicked.connect(lambda _=False, a=action: self.action_requested.emit(a))
            widget.hide()
            self.action_buttons[action] = widget
        # Not a transition: a recurso has its own form (texts.APPEAL_*), shown with them.
        self.appeal = button("Recurso", "Alt+R")
        self.appeal.setToolTip("Registrar un recurso de reconsideración o apelación contra la "
                               "decisión — tecla Alt+R")
        self.appeal.clicked.connect(self.appeal_requested)
        self.appeal.hide()
        layout.addLayout(self.action_grid)
        extra = QGridLayout()  # documents, three to a row: they fit a 1366-pixel screen
        extra.setSpacing(6)
        self.pay = button("Cobrar", "Ctrl+B", "primary")
        self.cargo = button("Imprimir cargo", "Ctrl+P")
        self.pdf = button("Cargo A4 (PDF)", "Ctrl+S")
        self.receipt = button("Reimprimir recibo", "Ctrl+R")
        self.attach = button("Adjuntar archivo…", "Ctrl+U")
        self.copy = button("Copia certificada", "Ctrl+E")
        self.copy.hide()  # partidas only (show_expediente)
        # Once silencio positivo approved it by law (TUO Ley 27444 art. 199.1): A4 PDF.
        self.constancia = button("Constancia de silencio", "Ctrl+D")
        self.constancia.hide()
        self.stop_notices = button("Retirar avisos", None)
        self.stop_notices.setToolTip("El ciudadano ya no quiere avisos por SMS ni correo: "
                                     "se borra su contacto (Ley 29733).")
        for index, widget in enumerate((self.pay, self.cargo, self.pdf, self.receipt,
                                        self.attach, self.copy, self.constancia,
                                        self.stop_notices)):
            extra.addWidget(widget, index // 3, index % 3)
        layout.addLayout(extra)
        self.pay.clicked.connect(self.pay_requested)
        self.cargo.clicked.connect(self.print_cargo)
        self.pdf.clicked.connect(self.save_pdf)
        self.receipt.clicked.connect(self.reprint_receipt)
        self.copy.clicked.connect(self.save_copy)
        self.constancia.clicked.connect(self.save_constancia)
        self.attach.clicked.connect(self._ask_attach)
        self.stop_notices.clicked.connect(self.withdraw_notices)

    def _ask_attach(self) -> None:
        self.tabs.setCurrentWidget(self.attachments_tab)
        self.attach_requested.emit()

    def show_expediente(self, expediente: ExpedienteView) -> None:
        if self.expediente is None or self.expediente.id != expediente.id:
            self.attachments_notice.clear_message()
        self.expediente = expediente
        self.number.setText(expediente.number)
        self.status.setText(expediente.status_text)
        self.procedure.setText(f"{expediente.procedure_code} · {expediente.procedure_name}"
                               + (f" (versión {expediente.procedure_version})"
                                  if expediente.procedure_version > 1 else ""))
        document = applicant_document(expediente)
        self.applicant.setText(expediente.applicant_name + (f" · {document}" if document
                                                            else ""))
        days = expediente.deadline_working_days
        stopped = (f" (plazo suspendido {expediente.stopped_working_days} d.h.)"
                   if expediente.stopped_working_days else "")
        values = {
            "filed": texts.time_text(expediente.filed_at, self._tz),
            "due": f"{texts.day_text(expediente.due_date)} · "
                   f"{texts.days_text(days)}{stopped}",
            "observation": texts.day_text(expediente.observation_due),
            "area": expediente.area,
            "fee": f"{texts.soles(expediente.fee)} · pagado {texts.soles(expediente.paid)}",
            "balance": texts.soles(expediente.balance),
            "tracking": grouped(expediente.tracking_code),
            "calificacion": expediente.calificacion_text,
            "review": review_text(expediente),
            "notices": notices_text(expediente, self._tz),
        }
        for key, (name, value) in self.facts.items():
            value.setText(values[key])
            visible = bool(values[key]) if key == "review" else (
                key != "observation" or expediente.observation_due is not None)
            name.setVisible(visible)
            value.setVisible(visible)
        warnings = []
        if expediente.silencio_positivo:
            warnings.append("Venció el plazo sin decisión: opera el SILENCIO POSITIVO "
                            "(el trámite se considera aprobado).")
        elif expediente.overdue:
            warnings.append("Plazo vencido: el expediente está fuera de plazo.")
        if expediente.review_overdue and expediente.review_due is not None:
            warnings.append(f"El plazo de la Comisión Técnica venció el "
                            f"{texts.day_text(expediente.review_due)} sin dictamen.")
        if expediente.category == "partida" and expediente.acta is None:
            warnings.append("Solicitud sin acta: el archivo la está buscando. Cuando la "
                            "encuentre, vincúlela con «Vincular acta» (Alt+V); sin acta no se "
                            "aprueba ni se entrega.")
        self.warning.setText(" ".join(warnings))
        self.warning.setVisible(bool(warnings))

        self.events.set_rows(expediente.events)
        stretch(self.events_view, 5)
        self.payments.set_rows(expediente.payments)
        self.requirements.set_requirements(expediente.requirements)
        rows = detail_rows(expediente)
        if expediente.pages:
            rows.append(("Folios", str(expediente.pages)))
        self.details.setText("<br>".join(f"<b>{name}:</b> {value}" for name, value in rows)
                             or "Sin datos adicionales.")
        self.tabs.setTabText(2, f"Pagos ({len(expediente.payments)})")
        self.show_attachments(expediente)
        presented = sum(r.presented for r in expediente.requirements)
        self.tabs.setTabText(1, f"Requisitos ({presented}/{len(expediente.requirements)})")

        self._show_appeals(expediente)
        self._place_actions(set(expediente.allowed_actions), bool(expediente.appeal_kinds))
        self.pay.setEnabled(expediente.balance > 0 and receives_payments(expediente.status))
        self.receipt.setEnabled(bool(expediente.payments))
        # A certified copy is issued from an approved partida request that names its acta.
        self.copy.setVisible(expediente.category == "partida")
        self.copy.setEnabled(expediente.acta is not None
                             and expediente.status in ("aprobado", "entregado"))
        # Shown once the silence operated; issued once the hub recorded it (its daily round).
        silence = expediente.silence_operated_on is not None and expediente.status != "nulo"
        recorded = expediente.approved_by_law == "silence_operated"
        self.constancia.setVisible(silence)
        self.constancia.setEnabled(silence and recorded)
        self.constancia.setToolTip(
            "Constancia de silencio administrativo positivo (PDF A4) para el ciudadano"
            if recorded else "El silencio positivo operó: el hub lo registra en su ronda "
                             "diaria y entonces se emite la constancia")
        self.stop_notices.setVisible(expediente.notices is not None)

    def show_attachments(self, expediente: ExpedienteView) -> None:
        self.attachments.set_rows(expediente.attachments)
        stretch(self.attachments_view, 0)
        self.tabs.setTabText(self.tabs.indexOf(self.attachments_tab),
                             f"Adjuntos ({len(expediente.attachments)})")
        self.attach.setEnabled(expediente.status != "anulado")

    def _show_appeals(self, expediente: ExpedienteView) -> None:
        """The recurso in process (its authority and due date, late in red), else the last."""
        appeal = next((a for a in expediente.appeals if a.outcome is None),
                      expediente.appeals[-1] if expediente.appeals else None)
        self.appeal_line.setVisible(appeal is not None)
        if appeal is None:
            return
        self.appeal_line.setText(texts.appeal_text(appeal))
        self.appeal_line.setObjectName("warning" if appeal.overdue else "hint")
        self.appeal_line.style().unpolish(self.appeal_line)
        self.appeal_line.style().polish(self.appeal_line)

    def _place_actions(self, allowed: set[str], appealable: bool = False) -> None:
        """Only what the hub allows now, in the catalogue's order, four buttons to a row; the
        recurso last, while the citizen is in time to file one."""
        for widget in (*self.action_buttons.values(), self.appeal):
            self.action_grid.removeWidget(widget)
            widget.hide()
        shown = [w for action, w in self.action_buttons.items() if action in allowed]
        if appealable:
            shown.append(self.appeal)
        for index, widget in enumerate(shown):
            self.action_grid.addWidget(widget, index // 4, index % 4)
            widget.show()


CHANNEL_NAMES = {"sms": "SMS", "email": "correo"}


def notices_text(expediente: ExpedienteView, tz: tzinfo | None) -> str:
    """«SMS y correo · autorizados el 20/11/2026», or «No autorizados» (who took the consent
    is in the history of the audit, not on the counter's screen)."""
    consent = expediente.notices
    if consent is None:
        return "No autorizados"
    channels = " y ".join(CHANNEL_NAMES.get(c, c) for c in consent.channels)
    given = texts.time_text(consent.given_at, tz)[:10]  # the day
    return f"{channels} · autorizados el {given}"

