"""`cac report`: the period report as a PDF for the mayor and an XLSX workbook, without a
window. Registered through the `cac_kiosk.commands` entry point (it needs printing)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all: a half-written report is never left under the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_bytes(data)
    partial.replace(path)


def cmd_report(args: argparse.Namespace) -> int:
    # Imported here: the other `cac` commands must not pay for fpdf2 and openpyxl.
    from kiosk.config import DataDir
    from kiosk.errors import InvalidInput
    from kiosk.hub import SYSTEM, OfficeHub
    from printing.pdf.report import report_pdf
    from printing.reports.xlsx import report_xlsx

    if not (args.pdf or args.xlsx):
        raise InvalidInput("missing_output", "Indique --pdf archivo.pdf y/o --xlsx archivo.xlsx.")
    hub = OfficeHub(DataDir.from_option(args.data_dir))
    try:
        report = hub.period_report(SYSTEM, args.date_from, args.date_to)
    finally:
        hub.close()
    if args.pdf:
        data = report_pdf(report)
        _write(Path(args.pdf), data)
        print(f"Informe PDF ({len(data)} bytes) guardado en {args.pdf}")
    if args.xlsx:
        data = report_xlsx(report)
        _write(Path(args.xlsx), data)
        print(f"Libro XLSX ({len(data)} bytes) guardado en {args.xlsx}")
    return 0


def register(sub: Any) -> None:
    """Add `cac report ...` to the `cac` parser."""
    from kiosk.cli import date_arg

    p = sub.add_parser("report", help="informe de un periodo en PDF (para el alcalde) y XLSX")
    p.add_argument("--data-dir", help="carpeta de datos de la oficina")
    p.add_argument("--from", dest="date_from", type=date_arg, required=True,
                   help="primer día del periodo (AAAA-MM-DD)")
    p.add_argument("--to", dest="date_to", type=date_arg, required=True,
                   help="último día del periodo (AAAA-MM-DD)")
    p.add_argument("--pdf", help="archivo PDF A4: resumen, gráficos y tablas")
    p.add_argument("--xlsx", help="libro de Excel con una hoja por tabla")
    p.set_defaults(func=cmd_report)
