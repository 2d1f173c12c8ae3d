"""The tabs of a period: «Historial» (tickets), «Expedientes» and «Satisfacción», all drawn
from one `PeriodReport` (the hub's `GET /reports`, or central's for an office or all), and
the bar above them: period picker, office selector, and the exports below.

Each tab is a row of figures over sub-tabs; every sub-tab is one table of the report
(kiosk.services.report.TABLE_NAMES), so «CSV de la tabla en pantalla» knows which to export.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from html import escape
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.cita_views import CitaDayStats, CitaStats
from kiosk.services.expediente_views import ExemptionTotal
from kiosk.services.reclamo_views import SuggestionStats
from kiosk.services.supervisor_views import (
    ExpedienteStats,
    GroupMetrics,
    SatisfactionGroup,
    SatisfactionStats,
    TicketHistory,
)
from ui.counter.models import Column, RowsModel
from ui.counter.texts import soles
from ui.counter.widgets import Notice, button, label, stretch
from ui.kiosk.style import BLUE, GOLD
from ui.supervisor import texts
from ui.supervisor.appeals_panel import AppealsPage
from ui.supervisor.charts import RED, BarChart, Bars, heat_table
from ui.supervisor.models import (
    ExpedientesModel,
    HeatMapModel,
    HistogramModel,
    LawOutcomesModel,
    ReviewsModel,
    SatisfactionModel,
    metrics_model,
)
from ui.supervisor.widgets import Figure, FigureStrip, data_table, fit_rows


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class DateEdit(QDateEdit):
    """A date with its calendar; Enter asks for the period («Consultar»)."""

    entered = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setCalendarPopup(True)
        self.setDisplayFormat("dd/MM/yyyy")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.entered.emit()
            return
        super().keyPressEvent(event)


class PeriodBar(QWidget):
    """Period (today, this week, this month, two dates), office, «Consultar»."""

    changed = Signal()  # a new period was chosen, or «Consultar»: load it
    office_changed = Signal()  # another office of central's answer

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("periodBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 6, 0, 2)
        row.setSpacing(8)
        self.kind = QComboBox()
        for key, text in texts.PERIODS.items():
            self.kind.addItem(text, key)
        self.date_from = DateEdit()
        self.date_to = DateEdit()
        for edit in (self.date_from, self.date_to):
            edit.entered.connect(self.changed.emit)
        self.office = QComboBox()
        self.office.addItem("Esta oficina", "hub")
        self.office.setMinimumContentsLength(22)
        self.office_label = QLabel("Oficina:")
        self.load = button("Consultar (F5)", None, "primary")
        self.shown = label("", "hint", wrap=False)
        self.shown.setObjectName("periodShown")
        period = QLabel("Periodo:")
        period.setBuddy(self.kind)
        for widget in (period, self.kind, QLabel("del"), self.date_from, QLabel("al"),
                       self.date_to, self.load):
            row.addWidget(widget)
        row.addSpacing(12)
        row.addWidget(self.office_label)
        row.addWidget(self.office)
        row.addSpacing(12)
        row.addWidget(self.shown, 1)
        self.set_central(False)
        self.today = date.today()
        self.set_today(self.today)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.office.currentIndexChanged.connect(lambda _i: self.office_changed.emit())
        self.load.clicked.connect(self.changed.emit)

    def set_central(self, available: bool) -> None:
        self.office.setVisible(available)
        self.office_label.setVisible(available)

    def set_today(self, today: date) -> None:
        """The hub's business date (this PC's clock may be wrong): the base of the periods."""
        self.today = today
        self._fill_dates()

    def choose(self, kind: str, custom: tuple[date, date] | None = None) -> None:
        """Pick a period as a person would (tests, screenshots); emits `changed` (for two
        dates, as «Consultar» does after typing them)."""
        index = self.kind.findData(kind)
        if index == self.kind.currentIndex():
            self._kind_changed(index)
        else:
            self.kind.setCurrentIndex(index)
        if custom is not None:
            self.date_from.setDate(_qdate(custom[0]))
            self.date_to.setDate(_qdate(custom[1]))
        if kind == "custom":
            self.changed.emit()

    def _kind_changed(self, _index: int) -> None:
        self._fill_dates()
        if self.kind.currentData() != "custom":
            self.changed.emit()
        else:
            self.date_from.setFocus()

    def _fill_dates(self) -> None:
        custom = self.kind.currentData() == "custom"
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(custom)
        if not custom:
            start, end = texts.period_dates(str(self.kind.currentData()), self.today)
            self.date_from.setDate(_qdate(start))
            self.date_to.setDate(_qdate(end))

    def period(self) -> tuple[date, date]:
        return texts.period_dates(
            str(self.kind.currentData()), self.today,
            (_pydate(self.date_from.date()), _pydate(self.date_to.date())))

    def source(self) -> str:
        """"hub", or "central:" and an office code ("central:" alone: all offices)."""
        return str(self.office.currentData() or "hub")

    def set_offices(self, offices: Sequence[tuple[str, str]]) -> None:
        """Central's offices (code, name), after «Esta oficina» and «Todas las oficinas»."""
        current = self.source()
        self.office.blockSignals(True)
        self.office.clear()
        self.office.addItem("Esta oficina (hub)", "hub")
        self.office.addItem("Todas las oficinas (central)", "central:")
        for code, name in offices:
            self.office.addItem(f"{name} ({code}, central)", f"central:{code}")
        index = self.office.findData(current)
        self.office.setCurrentIndex(max(index, 0))
        self.office.blockSignals(False)


class ExportBar(QWidget):
    """The exports of the report on screen, and what became of the last one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportBar")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.csv = button("Tabla en pantalla a CSV", "Ctrl+E")
        self.xlsx = button("Todo a Excel (XLSX)", "Ctrl+Shift+E")
        self.pdf = button("Informe PDF para el alcalde", "Ctrl+P")
        row.addWidget(QLabel("Exportar:"))
        for widget in (self.csv, self.xlsx, self.pdf):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        self.notice = Notice()
        layout.addWidget(self.notice)


class _Tables(QTabWidget):
    """Sub-tabs of one period tab; each knows its report table's name."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("subTabs")
        self.names: list[str] = []

    def add(self, name: str, title: str, page: QWidget) -> None:
        self.names.append(name)
        self.addTab(page, title)

    def current_name(self) -> str:
        return self.names[self.currentIndex()]

    def show_name(self, name: str) -> None:
        self.setCurrentIndex(self.names.index(name))


def _side_by_side(table: QWidget, chart: QWidget | None, table_share: int = 2,
                  chart_share: int = 1) -> QWidget:
    page = QWidget()
    row = QHBoxLayout(page)
    row.setContentsMargins(6, 6, 6, 6)
    row.setSpacing(10)
    row.addWidget(table, table_share)
    if chart is not None:
        row.addWidget(chart, chart_share)
    return page


def _hinted_table(model: RowsModel[Any], object_name: str) -> tuple[QTableView, QLabel,
                                                                    QWidget]:
    """A sub-tab of a table under a line that sums it up: the view, the line, the page."""
    view = data_table(object_name)
    view.setModel(model)
    stretch(view, 1)
    page = QWidget()
    column = QVBoxLayout(page)
    column.setContentsMargins(6, 6, 6, 6)
    hint = label("", "hint")
    hint.setWordWrap(True)
    column.addWidget(hint)
    column.addWidget(view, 1)
    return view, hint, page


class _Page:
    """One sub-tab of groups: the table's model, its view and its chart."""

    def __init__(self, model: RowsModel[Any], chart: BarChart | None,
                 plot: Callable[[BarChart, list[Any]], None] | None = None) -> None:
        self.model = model
        self.view: QTableView = data_table()
        self.view.setModel(model)
        self.chart = chart
        self._plot = plot

    def show(self, rows: Sequence[Any]) -> None:
        self.model.set_rows(rows)
        if self.chart is not None and self._plot is not None:
            self._plot(self.chart, list(rows))


def _labels(rows: Sequence[GroupMetrics | SatisfactionGroup]) -> list[str]:
    return [g.label for g in rows]


def _minutes(seconds: float | None) -> float:
    return round((seconds or 0) / 60, 1)


class HistoryPanel(QWidget):
    """Tickets of the period: figures, the groupings, the heat map, the wait histogram."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self.history: TicketHistory | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(6)
        self.issued = Figure("turnos emitidos")
        self.served = Figure("atendidos")
        self.no_show = Figure("no se presentaron")
        self.median = Figure("espera mediana")
        self.p90 = Figure("espera p90", "9 de cada 10 esperaron menos que esto")
        self.service = Figure("atención mediana")
        self.sla = Figure("dentro del objetivo")
        self.layout_.addWidget(FigureStrip([self.issued, self.served, self.no_show,
                                            self.median, self.p90, self.service, self.sla]))
        self.tables = _Tables()
        self.pages: dict[str, _Page] = {}

        def bars(title: str, unit: str, horizontal: bool = False) -> BarChart:
            return BarChart(title, unit, horizontal)

        def waits(chart: BarChart, rows: list[GroupMetrics]) -> None:
            chart.set_bars(_labels(rows), [
                Bars("Mediana", [_minutes(g.wait_p50_s) for g in rows], BLUE),
                Bars("p90", [_minutes(g.wait_p90_s) for g in rows], GOLD)])

        def served(chart: BarChart, rows: list[GroupMetrics]) -> None:
            chart.set_bars(_labels(rows), [Bars("Atendidos", [float(g.served) for g in rows])])

        def issued(chart: BarChart, rows: list[GroupMetrics]) -> None:
            chart.set_bars(_labels(rows), [Bars("Emitidos", [float(g.issued) for g in rows])])

        def hours(chart: BarChart, rows: list[GroupMetrics]) -> None:
            chart.set_bars([g.label[:2] for g in rows],  # «08:00–08:59» → «08»
                           [Bars("Emitidos", [float(g.issued) for g in rows])])

        def days(chart: BarChart, rows: list[GroupMetrics]) -> None:
            chart.set_bars([f"{g.key[8:10]}/{g.key[5:7]}" for g in rows],  # 2026-11-16: 16/11
                           [Bars("Emitidos", [float(g.issued) for g in rows])])

        groups = (
            ("por_servicio", "Por servicio", "Servicio",
             bars("Espera por servicio", "min", horizontal=True), waits),
            ("por_ventanilla", "Por ventanilla", "Ventanilla",
             bars("Atendidos por ventanilla", "turnos"), served),
            ("por_usuario", "Por usuario", "Usuario",
             bars("Atendidos por usuario", "turnos", horizontal=True), served),
            ("por_hora", "Por hora", "Hora",
             bars("Turnos emitidos por hora de emisión", "turnos"), hours),
            ("por_dia_semana", "Por día de la semana", "Día",
             bars("Turnos emitidos por día de la semana", "turnos"), issued),
            ("por_dia", "Por fecha", "Fecha", bars("Turnos emitidos por día", "turnos"), days),
            ("preferencial", "Preferencial", "Categoría",
             bars("Espera por categoría (Ley 28683)", "min", horizontal=True), waits),
        )
        for name, title, heading, chart, plot in groups:
            page = _Page(metrics_model(heading), chart, plot)
            self.pages[name] = page
            self.tables.add(name, title, _side_by_side(page.view, chart))
            if name == "por_dia_semana":
                self._add_heat_and_histogram()
        # Citas beside the queue (kiosk/services/citas.py): bookings, arrivals, no-shows.
        self.citas = RowsModel[CitaDayStats]([
            Column("Fecha", lambda c: texts.day_text(c.day)),
            Column("Servicio", lambda c: c.service),
            Column("Reservadas", lambda c: texts.number(c.booked), numeric=True),
            Column("Llegaron a tiempo", lambda c: texts.number(c.arrived), numeric=True),
            Column("Llegaron tarde", lambda c: texts.number(c.late), numeric=True),
            Column("No asistieron", lambda c: texts.number(c.no_show), numeric=True),
            Column("Canceladas", lambda c: texts.number(c.cancelled), numeric=True),
            Column("Pendientes", lambda c: texts.number(c.pending), numeric=True),
        ])
        self.citas_view, self.citas_hint, citas_page = _hinted_table(self.citas, "citas")
        self.tables.add("citas", "Citas", citas_page)
        self.layout_.addWidget(self.tables, 1)

    def _add_heat_and_histogram(self) -> None:
        self.heat_model = HeatMapModel()
        self.heat = heat_table()
        self.heat.setModel(self.heat_model)
        heat_page = QWidget()
        column = QVBoxLayout(heat_page)
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(label("Turnos emitidos por día y hora de emisión: cuanto más "
                               "oscuro, más gente. Pase el ratón por una celda para ver la "
                               "espera mediana.", "hint"))
        column.addWidget(self.heat, 1)
        self.tables.add("mapa_calor", "Mapa de calor", heat_page)
        self.histogram_model = HistogramModel()
        self.histogram_chart = BarChart("Turnos según su tiempo de espera (min)", "turnos")
        histogram = _Page(self.histogram_model, None)
        self.histogram_view = histogram.view
        self.tables.add("histograma_espera", "Espera",
                        _side_by_side(histogram.view, self.histogram_chart, 1, 3))

    def show_citas(self, stats: CitaStats | None) -> None:
        rows = stats.rows if stats is not None else []
        self.citas.set_rows(rows)
        if stats is None:
            self.citas_hint.setText("Sin citas en este periodo (las cuenta la oficina; la "
                                    "central no).")
            return
        total = sum(r.booked for r in rows)
        came = sum(r.arrived + r.late for r in rows)
        missed = sum(r.no_show for r in rows)
        self.citas_hint.setText(
            f"{texts.number(total)} citas reservadas: {texts.number(came)} llegaron "
            f"({texts.number(sum(r.late for r in rows))} tarde, a la cola normal) y "
            f"{texts.number(missed)} no asistieron; su hora quedó libre. Las llegadas a "
            "tiempo se llaman antes de la cola normal, después de los preferenciales.")

    def show_history(self, history: TicketHistory) -> None:
        self.history = history
        o = history.overall
        self.issued.set(texts.number(o.issued))
        self.served.set(texts.number(o.served))
        self.no_show.set(texts.number(o.no_show))
        self.median.set(texts.wait_text(o.wait_p50_s))
        self.p90.set(texts.wait_text(o.wait_p90_s))
        self.service.set(texts.wait_text(o.service_p50_s))
        self.sla.set(texts.pct(o.sla_pct), "" if o.sla_pct is None else
                     "good" if o.sla_pct >= 80 else "alert" if o.sla_pct < 60 else "warn")
        groups = {"por_servicio": history.by_service, "por_ventanilla": history.by_counter,
                  "por_usuario": history.by_clerk, "por_hora": history.by_hour,
                  "por_dia_semana": history.by_weekday, "por_dia": history.by_day,
                  "preferencial": history.by_preference}
        for name, rows in groups.items():
            self.pages[name].show(rows)
        self.heat_model.set_heatmap(history.heatmap)
        self.histogram_model.set_rows(history.wait_histogram)
        self.histogram_chart.set_bars([b.label.replace(" min", "").replace(" o más", "+")
                                       for b in history.wait_histogram], [
            Bars("Turnos", [float(b.count) for b in history.wait_histogram], BLUE)])


class ExpedientesPanel(QWidget):
    """Expedientes of the period by procedure and by area; the backlog as of today."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("expedientesPanel")
        self.stats: ExpedienteStats | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(6)
        self.received = Figure("recibidos")
        self.resolved = Figure("resueltos")
        self.on_time = Figure("resueltos en plazo")
        self.days = Figure("días hábiles para resolver (media)")
        self.pending = Figure("pendientes hoy")
        self.overdue = Figure("vencidos hoy")
        self.silencio = Figure("con silencio positivo hoy",
                               "Plazo vencido sin respuesta: la ley da por aprobado el trámite")
        self.layout_.addWidget(FigureStrip([self.received, self.resolved, self.on_time,
                                            self.days, self.pending, self.overdue,
                                            self.silencio]))
        self.as_of = label("", "hint")
        self.layout_.addWidget(self.as_of)
        self.tables = _Tables()
        self.by_procedure = ExpedientesModel("Trámite")
        self.by_area = ExpedientesModel("Área")
        self.procedure_view = data_table("expedientesByProcedure")
        self.procedure_view.setModel(self.by_procedure)
        stretch(self.procedure_view, 0)
        self.area_view = data_table("expedientesByArea")
        self.area_view.setModel(self.by_area)
        self.chart = BarChart("Pendientes por área hoy", "expedientes", horizontal=True)
        self.tables.add("expedientes_por_tramite", "Por trámite",
                        _side_by_side(self.procedure_view, None))
        # Few areas, many columns: the whole table across, the chart under it.
        area_page = QWidget()
        column = QVBoxLayout(area_page)
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(self.area_view)
        column.addWidget(self.chart, 1)
        self.tables.add("expedientes_por_area", "Por área", area_page)
        # Silencio positivo operated and nulidades de oficio (TUO Ley 27444 arts. 199.1, 213).
        self.by_law = LawOutcomesModel()
        self.law_view, self.law_hint, law_page = _hinted_table(self.by_law, "expedientesByLaw")
        self.tables.add("expedientes_por_ley", "Decididos por ley", law_page)
        # Edificación C/D waiting for the Comisión Técnica's dictamen (record 37), today.
        self.reviews = ReviewsModel()
        self.reviews_view, self.reviews_hint, reviews_page = _hinted_table(
            self.reviews, "expedientesReviews")
        self.tables.add("expedientes_comision_tecnica", "Comisión Técnica", reviews_page)
        # Filings an exemption made (partly) free: counted apart, never money (record 32).
        self.exempted = RowsModel[ExemptionTotal]([
            Column("Exoneración", lambda x: x.name),
            Column("Base legal", lambda x: x.basis),
            Column("Expedientes", lambda x: texts.number(x.count), numeric=True),
            Column("No cobrado", lambda x: soles(x.amount), numeric=True),
        ])
        self.exempted_view, self.exempted_hint, exempt_page = _hinted_table(
            self.exempted, "expedientesExempted")
        self.tables.add("expedientes_exonerados", "Exonerados", exempt_page)
        # Recursos in process today, and their resolution (ui/supervisor/appeals_panel.py).
        self.appeals = AppealsPage()
        self.tables.add("expedientes_recursos", "Recursos", self.appeals)
        self.layout_.addWidget(self.tables, 1)

    def show_stats(self, stats: ExpedienteStats) -> None:
        self.stats = stats
        o = stats.overall
        self.received.set(texts.number(o.received))
        self.resolved.set(texts.number(o.resolved))
        self.on_time.set(texts.pct(o.on_time_pct))
        self.days.set(texts.number(o.mean_working_days))
        self.pending.set(texts.number(o.pending))
        self.overdue.set(texts.number(o.overdue), "alert" if o.overdue else "good")
        self.silencio.set(texts.number(o.silencio_positivo),
                          "warn" if o.silencio_positivo else "good")
        self.as_of.setText(f"Pendientes, observados, vencidos y con silencio positivo: al "
                           f"{texts.day_text(stats.as_of)}, cualquiera sea el periodo. "
                           "Vencidos en rojo; silencio positivo en ámbar.")
        self.by_law.set_rows(stats.by_law)
        self.appeals.show_appeals(stats.appeals_open)
        self.reviews.set_rows(stats.reviews)
        late = sum(1 for r in stats.reviews if r.overdue)
        self.reviews_hint.setText(
            f"Al {texts.day_text(stats.as_of)}, cualquiera sea el periodo: "
            f"{texts.number(len(stats.reviews))} "
            f"{'licencia' if len(stats.reviews) == 1 else 'licencias'} de edificación C o D "
            f"sin dictamen favorable de la Comisión Técnica, {texts.number(late)} "
            f"{'vencida' if late == 1 else 'vencidas'} (en rojo). Sin ese dictamen la licencia "
            "no se otorga; tras un «no conforme» se espera el proyecto corregido.")
        self.tables.setTabText(self.tables.names.index("expedientes_comision_tecnica"),
                               f"Comisión Técnica ({late} "
                               f"{'vencida' if late == 1 else 'vencidas'})" if late
                               else "Comisión Técnica")
        self.exempted.set_rows(stats.exemptions)
        filings = sum(x.count for x in stats.exemptions)
        self.exempted_hint.setText(
            f"En el periodo: {texts.number(filings)} "
            f"{'expediente exonerado' if filings == 1 else 'expedientes exonerados'} de la tasa, "
            f"{soles(sum((x.amount for x in stats.exemptions), Decimal(0)))} no cobrados. No es "
            "dinero recibido: el cierre de caja los cuenta aparte.")
        silences = [r for r in stats.by_law if r.outcome == "silence_operated"]
        missing = sum(1 for r in silences if not r.constancias)
        nullities = len(stats.by_law) - len(silences)
        self.law_hint.setText(
            f"En el periodo: {texts.number(len(silences))} "
            f"{'aprobado' if len(silences) == 1 else 'aprobados'} por silencio positivo "
            f"({texts.number(missing)} sin constancia emitida) y {texts.number(nullities)} "
            f"{'nulidad' if nullities == 1 else 'nulidades'} de oficio. Un silencio positivo "
            "ya no se deniega: solo cabe la nulidad de oficio (supervisor)."
            + _appeals_overdue_text(stats))
        # With the total, as the report's tables (and so the CSV of the table on screen).
        self.by_procedure.set_rows([*stats.by_procedure, stats.overall])
        self.by_area.set_rows([*stats.by_area, stats.overall])
        fit_rows(self.area_view)
        self.chart.set_bars([g.label for g in stats.by_area], [
            Bars("Pendientes", [float(g.pending) for g in stats.by_area], BLUE),
            Bars("Vencidos", [float(g.overdue) for g in stats.by_area], RED),
            Bars("Silencio positivo", [float(g.silencio_positivo) for g in stats.by_area],
                 GOLD)])


def _appeals_overdue_text(stats: ExpedienteStats) -> str:
    """Recursos in process past their 30 working days (TUO Ley 27444 art. 218.2), as of
    today: the numbers, the oldest due first (few; «Recursos» lists them all)."""
    late = [r for r in stats.appeals_open if r.overdue]
    if not late:
        return ""
    shown = ", ".join(f"{r.number} ({r.kind_text.lower()}, vencía el "
                      f"{texts.day_text(r.due_date)}; resuelve {r.authority})" for r in late[:5])
    more = f" y {texts.number(len(late) - 5)} más" if len(late) > 5 else ""
    return (f"\nRecursos vencidos sin resolver hoy: {texts.number(len(late))} — "
            f"{shown}{more} (pestaña «Recursos»).")


SHOWN_SUGGESTIONS = 3  # the newest texts under the counts


class SatisfactionPanel(QWidget):
    """Citizens' 1–5 ratings of the period by service, counter and clerk."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("satisfactionPanel")
        self.stats: SatisfactionStats | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(6)
        self.ratings = Figure("calificaciones")
        self.mean = Figure("calificación media (1–5)")
        self.satisfied = Figure("satisfechos (4–5)")
        self.response = Figure("de los atendidos calificó")
        self.layout_.addWidget(FigureStrip([self.ratings, self.mean, self.satisfied,
                                            self.response]))
        self.tables = _Tables()
        self.models: dict[str, SatisfactionModel] = {}
        self.views: dict[str, QTableView] = {}
        self.chart = BarChart("Calificaciones: 1 muy mala … 5 muy buena", "personas")
        for name, title, heading in (
                ("satisfaccion_por_servicio", "Por servicio", "Servicio"),
                ("satisfaccion_por_ventanilla", "Por ventanilla", "Ventanilla"),
                ("satisfaccion_por_usuario", "Por usuario", "Usuario")):
            model = SatisfactionModel(heading)
            view = data_table()
            view.setModel(model)
            self.models[name], self.views[name] = model, view
            self.tables.add(name, title, _side_by_side(view, None))
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self.tables, 2)
        row.addWidget(self.chart, 1)
        self.layout_.addLayout(row, 1)
        # The kiosk's anonymous suggestions box (kiosk/rules/reclamos.py) over the same period.
        self.suggestions = label("", "hint")
        self.suggestions.setTextFormat(Qt.TextFormat.RichText)
        self.layout_.addWidget(self.suggestions)
        self.suggestion_stats: SuggestionStats | None = None

    def show_suggestions(self, stats: SuggestionStats | None) -> None:
        """The box's count by category and its newest texts (None: not known here, e.g. a
        report from central)."""
        self.suggestion_stats = stats
        if stats is None:
            self.suggestions.setText("<b>Buzón de sugerencias:</b> se consulta en la oficina.")
            return
        counts = " · ".join(f"{c.label} {c.count}" for c in stats.by_category if c.count)
        latest = "".join(f"<br>«{escape(s.text)}» ({escape(s.label)}, "
                         f"{s.business_date:%d/%m})" for s in stats.latest[:SHOWN_SUGGESTIONS])
        self.suggestions.setText(f"<b>Buzón de sugerencias:</b> {texts.number(stats.total)}"
                                 + (f" ({counts})" if counts else "") + latest)

    def show_stats(self, stats: SatisfactionStats) -> None:
        self.stats = stats
        o = stats.overall
        self.ratings.set(texts.number(o.ratings))
        self.mean.set("—" if o.mean is None else f"{o.mean:.2f}",
                      "" if o.mean is None else "alert" if o.mean < 3 else
                      "good" if o.mean >= 4 else "warn")
        self.satisfied.set(texts.pct(o.satisfied_pct))
        self.response.set(texts.pct(o.response_pct))
        self.models["satisfaccion_por_servicio"].set_rows([*stats.by_service, o])
        self.models["satisfaccion_por_ventanilla"].set_rows([*stats.by_counter, o])
        self.models["satisfaccion_por_usuario"].set_rows([*stats.by_clerk, o])
        self.chart.set_bars([str(score) for score in range(1, 6)], [
            Bars("Calificaciones", [float(n) for n in o.distribution], "#3c8d40")])
