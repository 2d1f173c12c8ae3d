"""The period report for the mayor on A4: the summary, charts and the main tables.

Everything printed comes from the `PeriodReport` the hub computed and from its tables
(kiosk.services.report.report_tables): the same numbers as the dashboard, the CSV and the XLSX.
Charts are drawn with fpdf2's own rectangles (bars, and the heat map as shaded cells), so the
PDF stays small and vector. The creation date is the report's generation time: the same
report gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf.enums import XPos, YPos

from kiosk.services.report import Cell, report_tables, summary_rows
from kiosk.services.supervisor_views import GroupMetrics, PeriodReport, ReportTable
from printing.documents.common import date_time, long_date, short_date
from printing.pdf.base import FAMILY, HEADING, LINE, OfficePdf, PageInfo

TITLE = "Informe de atención al ciudadano"
BAR = (52, 101, 164)  # the bars' blue
EMPTY = "—"
# Longer periods are charted by month: a bar per day stops being readable.
DAILY_CHART_MAX_DAYS = 31

# The columns of each table the PDF prints (the XLSX and the CSV carry them all).
METRIC_COLUMNS = ("Emitidos", "Atendidos", "No se presentaron", "Espera mediana (min)",
                  "Espera p90 (min)", "Atención mediana (min)", "% dentro del objetivo")
EXPEDIENTE_COLUMNS = ("Recibidos", "Resueltos", "% resueltos en plazo",
                      "Días hábiles para resolver (media)", "Pendientes hoy", "Vencidos hoy",
                      "Con silencio positivo hoy")
SATISFACTION_COLUMNS = ("Calificaciones", "Media (1–5)", "% satisfechos (4–5)", "Atendidos",
                        "% que calificó")
# Headings too long for a narrow column (explained in the note at the end).
SHORT_HEADINGS = {"No se presentaron": "Ausentes"}
PRINTED_TABLES = (
    ("por_servicio", METRIC_COLUMNS),
    ("por_ventanilla", METRIC_COLUMNS),
    ("por_usuario", METRIC_COLUMNS),
    ("preferencial", METRIC_COLUMNS),
    ("por_dia_semana", METRIC_COLUMNS),
    ("expedientes_por_tramite", EXPEDIENTE_COLUMNS),
    ("expedientes_por_area", EXPEDIENTE_COLUMNS),
    ("satisfaccion_por_servicio", SATISFACTION_COLUMNS),
    ("satisfaccion_por_ventanilla", SATISFACTION_COLUMNS),
)


def cell_text(value: Cell) -> str:
    """Numbers as an office prints them: 1,234 and 12.5; «—» where there is no data."""
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value - round(value, 1)) > 1e-9 else f"{value:,.1f}"
    return value


def period_text(report: PeriodReport) -> str:
    if report.date_from == report.date_to:
        return f"Día {long_date(report.date_from)}"
    return f"Del {long_date(report.date_from)} al {long_date(report.date_to)}"


def _table(pdf: OfficePdf, table: ReportTable, columns: Sequence[str]) -> None:
    pdf.ensure_room(30)  # the heading, the columns' names and a few rows stay together
    pdf.section(table.title)
    if not table.rows or (len(table.rows) == 1 and table.rows[0][0] == "Total"
                          and not any(table.rows[0][1:])):
        pdf.paragraph("Sin datos en el periodo.", size=9)
        return
    picked = [0, *(table.columns.index(name) for name in columns)]
    label_width = 40.0
    width = (pdf.epw - label_width) / len(columns)
    pdf.set_font(FAMILY, "", 7.5)
    with pdf.table(col_widths=(label_width, *[width] * len(columns)), width=pdf.epw,
                   headings_style=HEADING, line_height=3.6,
                   text_align=("LEFT", *["RIGHT"] * len(columns)),
                   padding=(0.5, 1, 0.5, 1)) as out:
        head = out.row()
        for index in picked:
            head.cell(SHORT_HEADINGS.get(table.columns[index], table.columns[index]))
        for row in table.rows:
            cells = out.row()
            for index in picked:
                cells.cell(cell_text(row[index]))
    pdf.set_font(FAMILY, "", 10)


def _bars(pdf: OfficePdf, title: str, labels: Sequence[str], values: Sequence[int],
          caption: str, height: float = 42.0) -> None:
    """A bar chart: one bar per value, the value above it, labels under the axis (thinned
    out when there are many)."""
    pdf.ensure_room(height + 24)  # the heading stays with its chart
    pdf.section(title)
    if not values or max(values) <= 0:
        pdf.paragraph("Sin datos en el periodo.", size=9)
        return
    left, top = pdf.l_margin + 8, pdf.get_y() + 4
    width = pdf.epw - 8
    step = width / len(values)
    peak = max(values)
    pdf.set_draw_color(120)
    pdf.line(left, top + height, left + width, top + height)
    pdf.set_fill_color(*BAR)
    every = max(1, round(len(values) / 16))  # at most ~16 labels under the axis
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar = height * value / peak
        x = left + index * step + step * 0.12
        if bar > 0:
            pdf.rect(x, top + height - bar, step * 0.76, bar, style="F")
        pdf.set_font(FAMILY, "", 6)
        if step >= 6 and value:
            pdf.set_xy(left + index * step, top + height - bar - 3.2)
            pdf.cell(step, 3, cell_text(value), align="C")
        if index % every == 0:
            # Centred under its bar, three bars wide, never left of the margin (fpdf2 reads a
            # negative x from the page's right edge: the first label went off the page).
            centre = left + (index + 0.5) * step
            half = min(1.5 * step, centre - pdf.l_margin)
            pdf.set_xy(centre - half, top + height + 0.8)
            pdf.cell(2 * half, 3, label, align="C")
    pdf.set_fill_color(255)
    pdf.set_xy(pdf.l_margin, top + height + 5)
    pdf.set_font(FAMILY, "", 7.5)
    pdf.set_text_color(80)
    pdf.multi_cell(0, 3.6, caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    pdf.set_font(FAMILY, "", 10)
    pdf.ln(1)


def _shade(value: int, peak: int) -> tuple[int, int, int]:
    """White for none, the bars' blue for the busiest cell."""
    share = 0.0 if peak <= 0 else value / peak
    red, green, blue = (round(255 - (255 - c) * share) for c in BAR)
    return red, green, blue


def _heatmap(pdf: OfficePdf, report: PeriodReport) -> None:
    heat = report.tickets.heatmap
    pdf.ensure_room(6.0 * (len(heat.weekdays) + 1) + 20)
    pdf.section("Turnos emitidos por día de la semana y hora")
    if not heat.hours:
        pdf.paragraph("Sin turnos en el periodo.", size=9)
        return
    rows = [(day, counts) for day, counts in zip(heat.weekdays, heat.issued, strict=True)]
    label_width, cell_height = 20.0, 6.0
    cell_width = min(12.0, (pdf.epw - label_width) / len(heat.hours))
    top, left = pdf.get_y() + 1, pdf.l_margin
    peak = max(max(counts) for _, counts in rows)
    pdf.set_font(FAMILY, "", 6.5)
    for column, hour in enumerate(heat.hours):
        pdf.set_xy(left + label_width + column * cell_width, top)
        pdf.cell(cell_width, cell_height, f"{hour} h", align="C")
    for line, (day, counts) in enumerate(rows, start=1):
        y = top + line * cell_height
        pdf.set_xy(left, y)
        pdf.cell(label_width, cell_height, day)
        for column, count in enumerate(counts):
            x = left + label_width + column * cell_width
            pdf.set_fill_color(*_shade(count, peak))
            pdf.rect(x, y, cell_width, cell_height, style="DF")
            if count:
                pdf.set_text_color(255 if count > peak / 2 else 0)
                pdf.set_xy(x, y)
                pdf.cell(cell_width, cell_height, cell_text(count), align="C")
                pdf.set_text_color(0)
    pdf.set_fill_color(255)
    pdf.set_xy(left, top + (len(rows) + 1) * cell_height + 1.5)
    pdf.set_font(FAMILY, "", 7.5)
    pdf.set_text_color(80)
    pdf.multi_cell(0, 3.6, f"Hora local de emisión ({report.timezone}); el tono más oscuro "
                           f"es la hora con más turnos ({cell_text(peak)}).",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    pdf.set_font(FAMILY, "", 10)


def _trend(report: PeriodReport) -> tuple[str, list[str], list[int]]:
    """By day («20/11») for up to a month, else by month («11/2026»)."""
    days = (report.date_to - report.date_from).days + 1
    groups: list[GroupMetrics]
    if days <= DAILY_CHART_MAX_DAYS:
        title, groups = "Turnos emitidos por día", report.tickets.by_day
        labels = [f"{g.key[8:10]}/{g.key[5:7]}" for g in groups]
    else:
        title, groups = "Turnos emitidos por mes", report.tickets.by_month
        labels = [f"{g.key[5:7]}/{g.key[:4]}" for g in groups]
    return title, labels, [g.issued for g in groups]


def report_pdf(report: PeriodReport) -> bytes:
    """The A4 report of `report` as PDF bytes."""
    period = period_text(report)
    info = PageInfo(report.municipality, report.office_name,
                    unit="Centro de Atención al Ciudadano",
                    footer=f"{TITLE} · {short_date(report.date_from)}–"
                           f"{short_date(report.date_to)} · emitido el "
                           f"{date_time(report.generated_at, report.timezone)}")
    pdf = OfficePdf(info, title=f"{TITLE} — {report.office_name}", subject=period,
                    created_at=report.generated_at,
                    keywords=("informe", "estadísticas", report.office,
                              report.date_from.isoformat(), report.date_to.isoformat()))
    pdf.add_page()
    pdf.title_block(TITLE, period)
    pdf.section("Resumen del periodo")
    pdf.set_font(FAMILY, "", 9)
    pdf.facts([(label, cell_text(value)) for label, value in summary_rows(report)],
              label_width=110, line_height=LINE - 0.4)

    title, labels, values = _trend(report)
    _bars(pdf, title, labels, values, "Cantidad de turnos emitidos (fecha de atención).")
    histogram = report.tickets.wait_histogram
    _bars(pdf, "Distribución de la espera", [b.label.replace(" min", "") for b in histogram],
          [b.count for b in histogram],
          "Turnos llamados según los minutos que esperaron desde su emisión hasta el primer "
          "llamado.")
    _heatmap(pdf, report)

    tables = {table.name: table for table in report_tables(report)}
    for name, columns in PRINTED_TABLES:
        _table(pdf, tables[name], columns)
    pdf.ln(2)
    pdf.paragraph(
        "Espera: del turno emitido a su primer llamado. Atención: del inicio al fin de la "
        "atención. Ausentes: no se presentaron al ser llamados. «% dentro del objetivo»: "
        "turnos llamados dentro de la espera objetivo de su servicio, sobre los llamados más "
        "los que vencieron sin ser llamados. Expedientes pendientes, vencidos y con silencio "
        f"positivo: a la fecha {short_date(report.expedientes.as_of)}.", size=7.5, align="L",
        line_height=3.6)
    return pdf.to_bytes()
