"""The period report as an Excel workbook: one sheet per table of kiosk.services.report.

Cells keep their types (counts as integers, minutes and percentages as numbers, «no data» as
an empty cell), so the supervisor can sort and chart them. The same report gives the same
bytes: the workbook's dates and the zip entries' times are the report's generation time.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from kiosk.services.report import report_tables
from kiosk.services.supervisor_views import PeriodReport, ReportTable

HEADING_FILL = PatternFill("solid", fgColor="E6E6E6")
MAX_SHEET_TITLE = 31  # Excel's limit


def _sheet(workbook: Workbook, table: ReportTable, first: bool) -> None:
    sheet = workbook.active if first else workbook.create_sheet()
    assert sheet is not None
    sheet.title = table.name[:MAX_SHEET_TITLE]
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(table.columns)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADING_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        sheet.append(row)
    sheet.freeze_panes = "B3"
    for index, heading in enumerate(table.columns, start=1):
        values = [heading, *(row[index - 1] for row in table.rows)]
        width = max(len(str(v)) for v in values if v is not None) if values else 8
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 48)


def report_xlsx(report: PeriodReport) -> bytes:
    workbook = Workbook()
    for index, table in enumerate(report_tables(report)):
        _sheet(workbook, table, first=index == 0)
    stamp = report.generated_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    workbook.properties.creator = "CAC Kiosk"
    workbook.properties.title = (f"Informe {report.office_name} "
                                 f"{report.date_from:%d/%m/%Y}–{report.date_to:%d/%m/%Y}")
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    raw = io.BytesIO()
    # Not `workbook.save`: it stamps the workbook «modified» with the clock, so the same
    # report gave other bytes a second later.
    ExcelWriter(workbook, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    return _fixed_times(raw.getvalue(), (stamp.year, stamp.month, stamp.day, stamp.hour,
                                         stamp.minute, stamp.second))


def _fixed_times(data: bytes, when: tuple[int, int, int, int, int, int]) -> bytes:
    """The same zip with every entry dated `when`: openpyxl stamps them with the clock."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()
