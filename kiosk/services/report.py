"""The period report: tickets, expedientes and satisfaction together, and its tables.

The tables are the report as people read it (minutes with one decimal, percentages, Spanish
headings). The hub's CSV exports, the XLSX workbook and the mayor's PDF (printing/reports) are
all drawn from `report_tables`, so every file says the same as the API.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
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
APPEAL_COLUMNS = ("Expediente", "Trámite", "Recurso", "Contra", "Presentado", "Resuelve",
                  "Vence", "Vencido")
REVIEW_COLUMNS = ("Expediente", "Trámite", "Modalidad", "Presentado", "Dictamen hasta",
                  "Vencido", "Último dictamen")

SATISFACTION_COLUMNS = ("Calificaciones", "Media (1–5)", "1", "2", "3", "4", "5",
                        "% satisfechos (4–5)", "Atendidos", "% que calificó")


def satisfaction_cells(g: SatisfactionGroup) -> list[Cell]:
    return [g.ratings, g.mean, *g.distribution, g.satisfied_pct, g.served, g.response_pct]


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



CITA_COLUMNS = ("Fecha", "Servicio", "Reservadas", "Llegaron a tiempo", "Llegaron tarde",
                "No asistieron", "Canceladas", "Pendientes")

TableRows = tuple[list[str], list[list[Cell]]]


@dataclass(frozen=True)
class TableSpec:
    """One table of the period report, declared once: its name (the CSV export's and the
    supervisor's), its title, and how its columns and rows come from the report."""

    name: str
    title: str
    build: Callable[[PeriodReport], TableRows]


def _metrics(heading: str, groups: Callable[[PeriodReport], Sequence[GroupMetrics]]
             ) -> Callable[[PeriodReport], TableRows]:
    return lambda r: ([heading, *METRIC_COLUMNS], [[g.label, *metric_cells(g)]
                                                   for g in groups(r)])


def _expedientes(heading: str, groups: Callable[[PeriodReport], Sequence[ExpedienteGroup]]
                 ) -> Callable[[PeriodReport], TableRows]:
    return lambda r: ([heading, *EXPEDIENTE_COLUMNS],
                      [[g.label, *expediente_cells(g)]
                       for g in [*groups(r), r.expedientes.overall]])


def _satisfaction(heading: str, groups: Callable[[PeriodReport], Sequence[SatisfactionGroup]]
                  ) -> Callable[[PeriodReport], TableRows]:
    return lambda r: ([heading, *SATISFACTION_COLUMNS],
                      [[g.label, *satisfaction_cells(g)]
                       for g in [*groups(r), r.satisfaction.overall]])


def _heatmap(report: PeriodReport) -> TableRows:
    heat = report.tickets.heatmap
    return (["Día", *heat.hours],
            [[day, *counts] for day, counts in zip(heat.weekdays, heat.issued, strict=True)])


def _wait_histogram(report: PeriodReport) -> TableRows:
    bins = report.tickets.wait_histogram
    waits = sum(b.count for b in bins)
    return (["Espera", "Turnos", "%"],
            [[b.label, b.count, round(100 * b.count / waits, 1) if waits else None]
             for b in bins])


REPORT_TABLES = (
    TableSpec("resumen", "Resumen del periodo",
              lambda r: (["Indicador", "Valor"], [[label, value]
                                                  for label, value in summary_rows(r)])),
    TableSpec("por_servicio", "Turnos por servicio",
              _metrics("Servicio", lambda r: r.tickets.by_service)),
    TableSpec("por_ventanilla", "Turnos por ventanilla",
              _metrics("Ventanilla", lambda r: r.tickets.by_counter)),
    TableSpec("por_usuario", "Turnos por usuario (quien atendió)",
              _metrics("Usuario", lambda r: r.tickets.by_clerk)),
    TableSpec("por_hora", "Turnos por hora de emisión",
              _metrics("Hora", lambda r: r.tickets.by_hour)),
    TableSpec("por_dia_semana", "Turnos por día de la semana",
              _metrics("Día", lambda r: r.tickets.by_weekday)),
    TableSpec("por_dia", "Turnos por día", _metrics("Fecha", lambda r: r.tickets.by_day)),
    TableSpec("por_mes", "Turnos por mes", _metrics("Mes", lambda r: r.tickets.by_month)),
    TableSpec("preferencial", "Atención preferencial (Ley 28683)",
              _metrics("Categoría", lambda r: r.tickets.by_preference)),
    TableSpec("mapa_calor", "Turnos emitidos por día y hora", _heatmap),
    TableSpec("histograma_espera", "Distribución de la espera", _wait_histogram),
    TableSpec("expedientes_por_tramite", "Expedientes por trámite",
              _expedientes("Trámite", lambda r: r.expedientes.by_procedure)),
    TableSpec("expedientes_por_area", "Expedientes por área",
              _expedientes("Área", lambda r: r.expedientes.by_area)),
    TableSpec("expedientes_por_ley", "Expedientes decididos por ley",
              lambda r: (list(LAW_COLUMNS),
                         [[x.number, x.procedure, x.outcome_text, x.on.isoformat(), x.article,
                           x.constancias] for x in r.expedientes.by_law])),
    TableSpec("expedientes_comision_tecnica",
              "Edificaciones C y D: dictamen de la Comisión Técnica pendiente",
              lambda r: (list(REVIEW_COLUMNS),
                         [[x.number, x.procedure, x.modalidad, x.filed_on.isoformat(),
                           x.review_due.isoformat(), "Sí" if x.overdue else "No",
                           x.dictamen_text or ""] for x in r.expedientes.reviews])),
    TableSpec("expedientes_exonerados", "Expedientes exonerados de la tasa",
              lambda r: (list(EXEMPTION_COLUMNS),
                         [[x.name, x.basis, x.count, f"{x.amount:.2f}"]
                          for x in r.expedientes.exemptions])),
    TableSpec("expedientes_recursos", "Recursos en trámite (al día de hoy)",
              lambda r: (list(APPEAL_COLUMNS),
                         [[x.number, x.procedure, x.kind_text, x.against,
                           x.filed_on.isoformat(), x.authority, x.due_date.isoformat(),
                           "Sí" if x.overdue else "No"] for x in r.expedientes.appeals_open])),
    TableSpec("satisfaccion_por_servicio", "Satisfacción por servicio",
              _satisfaction("Servicio", lambda r: r.satisfaction.by_service)),
    TableSpec("satisfaccion_por_ventanilla", "Satisfacción por ventanilla",
              _satisfaction("Ventanilla", lambda r: r.satisfaction.by_counter)),
    TableSpec("satisfaccion_por_usuario", "Satisfacción por usuario",
              _satisfaction("Usuario", lambda r: r.satisfaction.by_clerk)),
    TableSpec("citas", "Citas por servicio y día",
              lambda r: (list(CITA_COLUMNS),
                         [[c.day.isoformat(), c.service, c.booked, c.arrived, c.late,
                           c.no_show, c.cancelled, c.pending]
                          for c in (r.citas.rows if r.citas else [])])),
)
TABLE_NAMES = tuple(spec.name for spec in REPORT_TABLES)


def _table(spec: TableSpec, report: PeriodReport) -> ReportTable:
    columns, rows = spec.build(report)
    return ReportTable(name=spec.name, title=spec.title, columns=columns, rows=rows)


def report_tables(report: PeriodReport) -> list[ReportTable]:
    return [_table(spec, report) for spec in REPORT_TABLES]


def check_table_name(name: str) -> str:
    if name not in TABLE_NAMES:
        raise NotFound("unknown_table",
                       f"No hay una tabla «{str(name)[:40]}» en el informe. Use una de: "
                       f"{', '.join(TABLE_NAMES)}.")
    return name


def report_table(report: PeriodReport, name: str) -> ReportTable:
    check_table_name(name)
    return _table(next(spec for spec in REPORT_TABLES if spec.name == name), report)


def table_csv(table: ReportTable) -> str:
    """A table as CSV (comma, UTF-8, decimals with a point, empty for «no data»)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue()
