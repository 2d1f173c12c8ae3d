"""The period report: tickets, expedientes and satisfaction together, and its tables.

The tables are the report as people read it (minutes with one decimal, percentages, Spanish
headings). The hub's CSV exports, the XLSX workbook and the mayor's PDF (printing/reports) are
all drawn from `report_tables`, so every file says the same as the API.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from kiosk.errors import NotFound
from kiosk.rules.calendar import WorkingCalendar
from kiosk.services.daily_stats import Block
from kiosk.services.expediente_stats import expediente_stats
from kiosk.services.history import Names, ticket_history, ticket_history_of_blocks
from kiosk.services.ratings import satisfaction_of_blocks, satisfaction_stats
from kiosk.services.stats import check_period, ticket_facts
from kiosk.services.supervisor_views import (
    ExpedienteGroup,
    GroupMetrics,
    HistoryMetrics,
    PeriodReport,
    ReportTable,
    SatisfactionGroup,
)

Cell = str | int | float | None


def period_report(session: Session, *, office: str, office_name: str, municipality: str,
                  tz: ZoneInfo, date_from: date, date_to: date, now: datetime,
                  calendar: WorkingCalendar, office_ids: Iterable[str] | None = None,
                  blocks: Sequence[Block] | None = None) -> PeriodReport:
    """`blocks` (the hub's pre-aggregated days, kiosk/services/daily_stats.py) spare reading
    every ticket; without them (central) the tickets are read."""
    check_period(date_from, date_to)
    ids = None if office_ids is None else list(office_ids)
    names = Names.load(session, ids)
    today = now.astimezone(tz).date()
    if blocks is not None:
        tickets = ticket_history_of_blocks(office, tz, date_from, date_to, blocks, names)
        satisfaction = satisfaction_of_blocks(office, date_from, date_to, blocks, names)
    else:
        facts = list(ticket_facts(session, date_from, date_to, ids, ordered=False))
        tickets = ticket_history(session, office, tz, date_from, date_to, ids, facts, names)
        satisfaction = satisfaction_stats(session, office, date_from, date_to, ids, names)
    return PeriodReport(
        office=office, office_name=office_name, municipality=municipality,
        date_from=date_from, date_to=date_to, timezone=str(tz), generated_at=now,
        tickets=tickets,
        expedientes=expediente_stats(session, office, tz, date_from, date_to, today,
                                     calendar, ids),
        satisfaction=satisfaction)


# --- tables ---------------------------------------------------------------------------------


def minutes(seconds: float | None) -> float | None:
    """Seconds as the tables show them: minutes to one decimal."""
    return None if seconds is None else round(seconds / 60, 1)


METRIC_COLUMNS = ("Emitidos", "Atendidos", "No se presentaron", "Vencidos",
                  "Espera mediana (min)", "Espera p90 (min)", "Espera media (min)",
                  "Atención mediana (min)", "Atención media (min)", "% dentro del objetivo",
                  "Preferenciales", "Espera mediana preferencial (min)")


def metric_cells(m: HistoryMetrics) -> list[Cell]:
    return [m.issued, m.served, m.no_show, m.expired, minutes(m.wait_p50_s),
            minutes(m.wait_p90_s), minutes(m.wait_mean_s), minutes(m.service_p50_s),
            minutes(m.service_mean_s), m.sla_pct, m.preferential, minutes(m.pref_wait_p50_s)]


EXPEDIENTE_COLUMNS = ("Recibidos", "Resueltos", "Aprobados", "Denegados", "Anulados",
                      "% resueltos en plazo", "Días hábiles para resolver (media)",
                      "Pendientes hoy", "Observados hoy", "Vencidos hoy",
                      "Con silencio positivo hoy")


def expediente_cells(g: ExpedienteGroup) -> list[Cell]:
    return [g.received, g.resolved, g.approved, g.denied, g.cancelled, g.on_time_pct,
            g.mean_working_days, g.pending, g.observed, g.overdue, g.silencio_positivo]


# Silencio positivo operated, nulidades de oficio declared (TUO Ley 27444 arts. 199.1, 213).
# Exemptions are not money collected: counted apart, never in a total of payments.
EXEMPTION_COLUMNS = ("Exoneración", "Base legal", "Expedientes", "No cobrado (S/)")
LAW_COLUMNS = ("Expediente", "Trámite", "Resultado", "Fecha", "Base legal",
               "Constancias emitidas")

SATISFACTION_COLUMNS = ("Calificaciones", "Media (1–5)", "1", "2", "3", "4", "5",
                        "% satisfechos (4–5)", "Atendidos", "% que calificó")


def satisfaction_cells(g: SatisfactionGroup) -> list[Cell]:
    return [g.ratings, g.mean, *g.distribution, g.satisfied_pct, g.served, g.response_pct]


def _metrics_table(name: str, title: str, heading: str, groups: Sequence[GroupMetrics]
                   ) -> ReportTable:
    return ReportTable(name=name, title=title, columns=[heading, *METRIC_COLUMNS],
                       rows=[[g.label, *metric_cells(g)] for g in groups])


def summary_rows(report: PeriodReport) -> list[tuple[str, Cell]]:
    """The period at a glance: the first table, and the PDF's first page."""
    t, e, s = report.tickets.overall, report.expedientes.overall, report.satisfaction.overall
    return [
        ("Turnos emitidos", t.issued),
        ("Turnos atendidos", t.served),
        ("No se presentaron", t.no_show),
        ("Vencidos al cierre", t.expired),
        ("Espera mediana (min)", minutes(t.wait_p50_s)),
        ("Espera p90 (min)", minutes(t.wait_p90_s)),
        ("Espera media (min)", minutes(t.wait_mean_s)),
        ("Atención mediana (min)", minutes(t.service_p50_s)),
        ("Atención media (min)", minutes(t.service_mean_s)),
        ("% atendidos dentro del objetivo", t.sla_pct),
        ("Turnos preferenciales", t.preferential),
        ("Espera mediana preferencial (min)", minutes(t.pref_wait_p50_s)),
        ("Expedientes recibidos", e.received),
        ("Expedientes resueltos", e.resolved),
        ("% resueltos en plazo", e.on_time_pct),
        ("Días hábiles para resolver (media)", e.mean_working_days),
        (f"Expedientes pendientes al {report.expedientes.as_of:%d/%m/%Y}", e.pending),
        ("… de ellos vencidos", e.overdue),
        ("… con silencio positivo", e.silencio_positivo),
        ("Calificaciones recibidas", s.ratings),
        ("Calificación media (1–5)", s.mean),
        ("% satisfechos (4–5)", s.satisfied_pct),
    ]


def report_tables(report: PeriodReport) -> list[ReportTable]:
    t, e, s = report.tickets, report.expedientes, report.satisfaction
    heat = t.heatmap
    waits = sum(b.count for b in t.wait_histogram)
    return [
        ReportTable(name="resumen", title="Resumen del periodo", columns=["Indicador", "Valor"],
                    rows=[[label, value] for label, value in summary_rows(report)]),
        _metrics_table("por_servicio", "Turnos por servicio", "Servicio", t.by_service),
        _metrics_table("por_ventanilla", "Turnos por ventanilla", "Ventanilla", t.by_counter),
        _metrics_table("por_usuario", "Turnos por usuario (quien atendió)", "Usuario",
                       t.by_clerk),
        _metrics_table("por_hora", "Turnos por hora de emisión", "Hora", t.by_hour),
        _metrics_table("por_dia_semana", "Turnos por día de la semana", "Día", t.by_weekday),
        _metrics_table("por_dia", "Turnos por día", "Fecha", t.by_day),
        _metrics_table("por_mes", "Turnos por mes", "Mes", t.by_month),
        _metrics_table("preferencial", "Atención preferencial (Ley 28683)", "Categoría",
                       t.by_preference),
        ReportTable(name="mapa_calor", title="Turnos emitidos por día y hora",
                    columns=["Día", *heat.hours],
                    rows=[[day, *counts] for day, counts in zip(heat.weekdays, heat.issued,
                                                                strict=True)]),
        ReportTable(name="histograma_espera", title="Distribución de la espera",
                    columns=["Espera", "Turnos", "%"],
                    rows=[[b.label, b.count, round(100 * b.count / waits, 1) if waits else None]
                          for b in t.wait_histogram]),
        ReportTable(name="expedientes_por_tramite", title="Expedientes por trámite",
                    columns=["Trámite", *EXPEDIENTE_COLUMNS],
                    rows=[[g.label, *expediente_cells(g)] for g in [*e.by_procedure, e.overall]]),
        ReportTable(name="expedientes_por_area", title="Expedientes por área",
                    columns=["Área", *EXPEDIENTE_COLUMNS],
                    rows=[[g.label, *expediente_cells(g)] for g in [*e.by_area, e.overall]]),
        ReportTable(name="expedientes_por_ley", title="Expedientes decididos por ley",
                    columns=list(LAW_COLUMNS),
                    rows=[[r.number, r.procedure, r.outcome_text, r.on.isoformat(), r.article,
                           r.constancias] for r in e.by_law]),
        ReportTable(name="expedientes_exonerados", title="Expedientes exonerados de la tasa",
                    columns=list(EXEMPTION_COLUMNS),
                    rows=[[x.name, x.basis, x.count, f"{x.amount:.2f}"] for x in e.exemptions]),
        ReportTable(name="satisfaccion_por_servicio", title="Satisfacción por servicio",
                    columns=["Servicio", *SATISFACTION_COLUMNS],
                    rows=[[g.label, *satisfaction_cells(g)] for g in [*s.by_service, s.overall]]),
        ReportTable(name="satisfaccion_por_ventanilla", title="Satisfacción por ventanilla",
                    columns=["Ventanilla", *SATISFACTION_COLUMNS],
                    rows=[[g.label, *satisfaction_cells(g)] for g in [*s.by_counter, s.overall]]),
        ReportTable(name="satisfaccion_por_usuario", title="Satisfacción por usuario",
                    columns=["Usuario", *SATISFACTION_COLUMNS],
                    rows=[[g.label, *satisfaction_cells(g)] for g in [*s.by_clerk, s.overall]]),
        ReportTable(name="citas", title="Citas por servicio y día", columns=list(CITA_COLUMNS),
                    rows=[[c.day.isoformat(), c.service, c.booked, c.arrived, c.late,
                           c.no_show, c.cancelled, c.pending]
                          for c in (report.citas.rows if report.citas else [])]),
    ]


TABLE_NAMES = ("resumen", "por_servicio", "por_ventanilla", "por_usuario", "por_hora",
               "por_dia_semana", "por_dia", "por_mes", "preferencial", "mapa_calor",
               "histograma_espera", "expedientes_por_tramite", "expedientes_por_area",
               "expedientes_por_ley", "expedientes_exonerados", "satisfaccion_por_servicio",
               "satisfaccion_por_ventanilla",
               "satisfaccion_por_usuario", "citas")
CITA_COLUMNS = ("Fecha", "Servicio", "Reservadas", "Llegaron a tiempo", "Llegaron tarde",
                "No asistieron", "Canceladas", "Pendientes")


def check_table_name(name: str) -> str:
    if name not in TABLE_NAMES:
        raise NotFound("unknown_table",
                       f"No hay una tabla «{str(name)[:40]}» en el informe. Use una de: "
                       f"{', '.join(TABLE_NAMES)}.")
    return name


def report_table(report: PeriodReport, name: str) -> ReportTable:
    check_table_name(name)
    return next(table for table in report_tables(report) if table.name == name)


def table_csv(table: ReportTable) -> str:
    """A table as CSV (comma, UTF-8, decimals with a point, empty for «no data»)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue()
