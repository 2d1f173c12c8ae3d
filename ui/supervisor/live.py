"""The «En vivo» tab: each service's queue against its target, what every counter is doing and
who is at it, the hub's alerts, and today's figures so far."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QVBoxLayout, QWidget

from kiosk.services.supervisor_views import SupervisorLive
from ui.counter.widgets import label, stretch
from ui.supervisor import texts
from ui.supervisor.charts import RED, BarChart, Bars
from ui.supervisor.models import AlertsModel, LiveCountersModel, LiveServicesModel
from ui.supervisor.widgets import Figure, FigureStrip, data_table, fit_rows

NO_ALERTS = "Sin alertas: las colas están dentro de su objetivo."


class LivePanel(QWidget):
    def __init__(self, tz: tzinfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("livePanel")
        self.tz = tz
        self.live: SupervisorLive | None = None
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 8, 0, 0)
        root.setSpacing(8)
        self.waiting = Figure("esperan ahora")
        self.issued = Figure("turnos emitidos hoy")
        self.served = Figure("atendidos hoy")
        self.median = Figure("espera mediana hoy")
        self.sla = Figure("atendidos dentro del objetivo")
        self.alert_count = Figure("alertas")
        root.addWidget(FigureStrip([self.waiting, self.issued, self.served, self.median,
                                    self.sla, self.alert_count]))

        # Left: the queues and the counters (each as tall as its rows). Right: the alerts,
        # what needs someone now, and the waits against their targets (a chart tall enough
        # to name every service: ui/supervisor/charts.py).
        body = QHBoxLayout()
        body.setSpacing(12)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.setSpacing(4)
        right.setSpacing(4)
        self.services_model = LiveServicesModel()
        self.services = data_table("liveServices")
        self.services.setModel(self.services_model)
        stretch(self.services, 0)
        self.counters_model = LiveCountersModel(tz)
        self.counters = data_table("liveCounters")
        self.counters.setModel(self.counters_model)
        stretch(self.counters, 1)
        self.chart = BarChart("Espera más larga frente al objetivo", "min", horizontal=True)
        left.addWidget(label("Colas por servicio", "h2"))
        left.addWidget(self.services)
        left.addWidget(label("Ventanillas", "h2"))
        left.addWidget(self.counters)
        left.addStretch(1)
        self.alerts_model = AlertsModel()
        self.alerts = data_table("alerts")
        self.alerts.setModel(self.alerts_model)
        self.alerts.setWordWrap(True)
        header = self.alerts.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.no_alerts = label(NO_ALERTS, "hint")
        right.addWidget(label("Alertas", "h2"))
        right.addWidget(self.alerts, 1)
        right.addWidget(self.no_alerts)
        right.addWidget(self.chart, 1)
        right.addWidget(label("Se actualiza cada pocos segundos; F5 actualiza ahora. Solo "
                              "números de turno, nunca nombres de ciudadanos.", "hint"))
        body.addLayout(left, 6)
        body.addLayout(right, 5)
        root.addLayout(body, 1)

    def show_live(self, live: SupervisorLive) -> None:
        self.live = live
        today = live.today
        self.waiting.set(texts.number(live.waiting),
                         "alert" if any(s.over_sla for s in live.services) else "")
        self.issued.set(texts.number(today.issued))
        self.served.set(texts.number(today.served))
        self.median.set(texts.wait_text(today.wait_p50_s))
        self.sla.set(texts.pct(today.sla_pct))
        critical = sum(a.severity == "critical" for a in live.alerts)
        self.alert_count.set(texts.number(len(live.alerts)),
                             "alert" if critical else "warn" if live.alerts else "good")
        self.services_model.set_rows(live.services)
        self.counters_model.set_rows(live.counters)
        for view in (self.services, self.counters):
            fit_rows(view)
        self.alerts_model.set_rows(live.alerts)
        self.alerts.resizeRowsToContents()
        self.no_alerts.setVisible(not live.alerts)
        self.chart.set_bars([s.name for s in live.services], [
            Bars("Espera más larga", [round((s.longest_wait_s or 0) / 60, 1)
                                      for s in live.services], RED),
            Bars("Objetivo", [float(s.sla_minutes) for s in live.services], "#9aa8b8"),
        ])

