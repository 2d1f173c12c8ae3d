"""The «ITSE» tab: licences of risk bajo and medio whose inspection after the licence is due or
late, and the ITSE certificates with their validity (expired and expiring first). The rules
and their sources are kiosk/rules/itse.py; this only shows what the hub says."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from kiosk.services.itse_views import ItseCertificateView, ItseOverview, ItsePending
from ui.counter.models import Column, RowsModel
from ui.counter.widgets import Notice, label, stretch
from ui.supervisor.widgets import data_table, panel

RISK_TEXT = {"bajo": "Bajo", "medio": "Medio", "alto": "Alto", "muy_alto": "Muy alto"}
# (background, text) of a late ITSE and of each certificate state.
RED = (QColor("#fde2e1"), QColor("#8a1c14"))
AMBER = (QColor("#fff1c2"), QColor("#6b4e00"))
GREEN = (QColor("#e3f4e6"), QColor("#1d5a2b"))
STATE_COLOURS = {"vencido": RED, "por_vencer": AMBER, "vigente": GREEN}
NO_PENDING = "Ninguna licencia espera su ITSE."
NO_CERTIFICATES = "Aún no hay certificados de ITSE registrados."


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _colours(role: int, colours: tuple[QColor, QColor]) -> Any:
    if role == Qt.ItemDataRole.BackgroundRole:
        return colours[0]
    if role == Qt.ItemDataRole.ForegroundRole:
        return colours[1]
    return None


class PendingModel(RowsModel[ItsePending]):
    def __init__(self) -> None:
        super().__init__([
            Column("Expediente", lambda p: p.number),
            Column("Titular", lambda p: p.applicant),
            Column("Riesgo", lambda p: RISK_TEXT.get(p.risk, p.risk)),
            Column("Licencia aprobada", lambda p: _day(p.approved_on), numeric=True),
            Column("ITSE hasta", lambda p: _day(p.due_date), numeric=True),
            Column("Situación", lambda p: ("Vencida" if p.overdue else "En plazo")
                   + (" · última: no conforme" if p.last_result == "no_conforme" else "")),
        ])

    def extra(self, row: ItsePending, column: int, role: int) -> Any:
        if column != 5:
            return None
        return _colours(role, RED if row.overdue else GREEN)


class CertificatesModel(RowsModel[ItseCertificateView]):
    def __init__(self) -> None:
        super().__init__([
            Column("Expediente", lambda c: c.number),
            Column("Titular", lambda c: c.applicant),
            Column("Certificado", lambda c: c.certificate_number),
            Column("Emitido", lambda c: _day(c.certificate_date), numeric=True),
            Column("Vigente hasta", lambda c: _day(c.valid_until), numeric=True),
            Column("Estado", lambda c: c.state_text),
        ])

    def extra(self, row: ItseCertificateView, column: int, role: int) -> Any:
        if column != 5:
            return None
        return _colours(role, STATE_COLOURS.get(row.state, GREEN))


class ItsePanel(QWidget):
    """Shows an `ItseOverview`; the window asks the hub for it (F5 or «Actualizar»)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overview: ItseOverview | None = None
        root, self.summary, self.reload = panel(self, "itsePanel", 6)
        root.addWidget(label("ITSE pendientes (riesgo bajo y medio, después de la licencia)",
                             "h2"))
        self.rule = label("", "hint")
        root.addWidget(self.rule)
        self.pending_model = PendingModel()
        self.pending = data_table("itsePending")
        self.pending.setModel(self.pending_model)
        stretch(self.pending, 1)
        root.addWidget(self.pending, 1)
        self.no_pending = label(NO_PENDING, "hint")
        root.addWidget(self.no_pending)
        root.addWidget(label("Certificados de ITSE y su vigencia", "h2"))
        self.validity = label("", "hint")
        root.addWidget(self.validity)
        self.certificates_model = CertificatesModel()
        self.certificates = data_table("itseCertificates")
        self.certificates.setModel(self.certificates_model)
        stretch(self.certificates, 1)
        root.addWidget(self.certificates, 1)
        self.no_certificates = label(NO_CERTIFICATES, "hint")
        root.addWidget(self.no_certificates)
        self.notice = Notice()
        root.addWidget(self.notice)

    def show_overview(self, overview: ItseOverview) -> None:
        self.overview = overview
        late = sum(p.overdue for p in overview.pending)
        expired = sum(c.state == "vencido" for c in overview.certificates)
        soon = sum(c.state == "por_vencer" for c in overview.certificates)
        self.summary.setText(f"ITSE vencidas sin registrar: {late} · certificados vencidos: "
                             f"{expired} · por vencer: {soon}")
        confirmed = "" if overview.due_days_confirmed else " (plazo por confirmar en la norma)"
        self.rule.setText(f"Plazo: {overview.due_working_days} días hábiles desde la aprobación "
                          f"de la licencia, según el calendario de la oficina{confirmed}. "
                          "Registre el resultado en la ventanilla.")
        self.validity.setText(f"Vigencia: {overview.validity_years} años desde su emisión (Ley "
                              f"30619; DS 002-2018-PCM art. 15.4). «Por vencer»: "
                              f"{overview.warning_days} días o menos.")
        self.pending_model.set_rows(overview.pending)
        self.certificates_model.set_rows(overview.certificates)
        self.no_pending.setVisible(not overview.pending)
        self.no_certificates.setVisible(not overview.certificates)
        self.notice.clear_message()
