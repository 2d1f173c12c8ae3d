"""`cac print ...`: registered through the `cac_kiosk.commands` entry point."""

from __future__ import annotations

import argparse
from typing import Any

from printing.samples import SAMPLES  # plain data: no escpos, Pillow or qrcode behind it


def cmd_print_sample(args: argparse.Namespace) -> int:
    # Imported here: `cac --help` and the other commands must not pay for escpos and Pillow.
    from pathlib import Path

    from kiosk.clock import SystemClock
    from kiosk.config import DataDir
    from kiosk.errors import InvalidInput
    from printing.errors import PrinterError
    from printing.escpos_render import render_bytes
    from printing.jobs import Printer
    from printing.preview import save_preview
    from printing.samples import sample_layout

    if not (args.output or args.png or args.send):
        raise InvalidInput("missing_output", "Indique --output, --png o --send.")
    data_dir = DataDir.from_option(args.data_dir)
    config = data_dir.load_config()
    layout = sample_layout(args.document, config, SystemClock().now())
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
        printer = Printer.from_config(config, data_dir.root)
        job = printer.print(layout, args.document, "muestra")
        if not job.ok:
            raise PrinterError(job.error_code or "failed", job.error_message or "")
        print(f"Muestra enviada a la {printer.backend.label}.")
    return 0


def register(sub: Any) -> None:
    """Add `cac print sample ...` to the `cac` parser."""
    p = sub.add_parser("print", help="impresión de turnos, recibos y requisitos")
    # type(p): the core's parser class, so argument errors are reported in Spanish too.
    print_sub = p.add_subparsers(dest="print_command", required=True, parser_class=type(p))
    s = print_sub.add_parser(
        "sample", help="imprimir una muestra con los datos de la oficina (bytes ESC/POS y PNG)")
    s.add_argument("document", choices=SAMPLES, help="documento de muestra")
    s.add_argument("--data-dir", help="carpeta de datos de la oficina")
    s.add_argument("--output", help="archivo .bin con los bytes exactos que recibe la impresora")
    s.add_argument("--png", help="archivo PNG con la vista previa")
    s.add_argument("--send", action="store_true",
                   help="enviarla también a la impresora configurada en este equipo")
    s.set_defaults(func=cmd_print_sample)
