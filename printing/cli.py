"""`cac print ...`: registered through the `cac_kiosk.commands` entry point."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Plain data: no escpos, Pillow, qrcode or fpdf2 behind it.
from printing.samples import A4_SAMPLES, SAMPLES

if TYPE_CHECKING:
    from kiosk.config import OfficeConfig


def cmd_print_sample(args: argparse.Namespace) -> int:
    # Imported here: `cac --help` and the other commands must not pay for escpos and Pillow.
    from kiosk.clock import SystemClock
    from kiosk.config import DataDir
    from kiosk.errors import InvalidInput
    from kiosk.services.office_settings import office_config

    if not (args.output or args.png or args.send):
        raise InvalidInput("missing_output", "Indique --output, --png o --send.")
    data_dir = DataDir.from_option(args.data_dir)
    config = office_config(data_dir)  # the name and public address the admin set, too
    now = SystemClock().now()
    if args.document in A4_SAMPLES:
        if args.send:
            raise InvalidInput("a4_not_thermal",
                               "Los documentos A4 se imprimen desde el lector de PDF: "
                               "use --output archivo.pdf (y --png para la vista previa).")
        return _a4_sample(args, config, now)
    return _thermal_sample(args, config, now, data_dir.root)


def _a4_sample(args: argparse.Namespace, config: OfficeConfig, now: datetime) -> int:
    from printing.pdf import pdf_page_png
    from printing.samples import sample_pdf

    data = sample_pdf(args.document, config, now)
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"PDF A4 de {len(data)} bytes guardado en {args.output}")
    if args.png:
        Path(args.png).write_bytes(pdf_page_png(data))
        print(f"Vista previa de la primera página guardada en {args.png}")
    return 0


def _thermal_sample(args: argparse.Namespace, config: OfficeConfig, now: datetime,
                    root: Path) -> int:
    from printing.errors import PrinterError
    from printing.escpos_render import render_bytes
    from printing.jobs import Printer
    from printing.preview import save_preview
    from printing.samples import sample_layout

    layout = sample_layout(args.document, config, now)
    width, codepage = config.printer_width_mm, config.printer_codepage
    if args.output:
        data = render_bytes(layout, width, codepage)
        Path(args.output).write_bytes(data)
        print(f"{len(data)} bytes ESC/POS (papel de {width} mm, {codepage.upper()}) "
              f"guardados en {args.output}")
    if args.png:
        save_preview(layout, Path(args.png), width, codepage)
        print(f"Vista previa guardada en {args.png}")
    if args.send:
        printer = Printer.from_config(config, root)
        job = printer.print(layout, args.document, "muestra")
        if not job.ok:
            raise PrinterError(job.error_code or "failed", job.error_message or "")
        print(f"Muestra enviada a la {printer.backend.label}.")
    return 0


def register(sub: Any) -> None:
    """Add `cac print sample ...` to the `cac` parser."""
    p = sub.add_parser("print", help="impresión de turnos, recibos, cargos y documentos A4")
    # type(p): the core's parser class, so argument errors are reported in Spanish too.
    print_sub = p.add_subparsers(dest="print_command", required=True, parser_class=type(p))
    s = print_sub.add_parser(
        "sample", help="imprimir una muestra con los datos de la oficina (ESC/POS, PNG o PDF)")
    s.add_argument("document", choices=SAMPLES,
                   help="documento de muestra (los terminados en -a4 son PDF)")
    s.add_argument("--data-dir", help="carpeta de datos de la oficina")
    s.add_argument("--output", help="archivo .bin con los bytes exactos que recibe la impresora "
                                    "térmica, o .pdf para los documentos A4")
    s.add_argument("--png", help="archivo PNG con la vista previa (de un A4, su primera página)")
    s.add_argument("--send", action="store_true",
                   help="enviarla también a la impresora térmica configurada en este equipo")
    s.set_defaults(func=cmd_print_sample)
