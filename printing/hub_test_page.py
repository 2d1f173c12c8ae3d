"""The printer test page the admin window asks the hub for (`OfficeHub.test_print`).

Printed on the hub PC's own printer as its settings say (config.toml with the admin's changes),
with the office's logo when there is one: what a ticket's header will look like, the paper's
width, and the Spanish letters, so a wrong code page shows at once.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kiosk.config import OfficeConfig
from kiosk.ids import new_id
from kiosk.services.views import PrintJobReport
from printing.blocks import Block, Cut, Feed, Layout, Logo, Rule, Text
from printing.errors import PrinterError
from printing.jobs import Printer
from printing.layout import local_time


def printer_test_layout(config: OfficeConfig, now: datetime, logo: bytes | None) -> Layout:
    blocks: list[Block] = [Logo(logo)] if logo else []
    blocks += [
        Text(config.municipality, align="center", bold=True),
        Text(config.office_name, align="center"),
        Rule(),
        Text("PÁGINA DE PRUEBA", align="center", bold=True, size=2, fit=True),
        Feed(),
        Text(f"Impresora: {config.printer_backend} {config.printer_target}"),
        Text(f"Papel: {config.printer_width_mm} mm · Página de códigos: "
             f"{config.printer_codepage}"),
        Text(f"Fecha: {local_time(now, config.timezone)}"),
        Rule(),
        Text("Acentos: á é í ó ú Á É Í Ó Ú ñ Ñ ü ¿? ¡!"),
        Text("Si lee bien esta página, la impresora está lista.", align="center"),
        Feed(),
        Cut(),
    ]
    return Layout(tuple(blocks))


def print_test_page(config: OfficeConfig, data_dir: Path, logo: bytes | None
                    ) -> PrintJobReport:
    """Entry point `cac_kiosk.test_page`: print it and say how it went (never raises on a
    printer fault: the admin window shows the Spanish message)."""
    try:
        printer = Printer.from_config(config, data_dir)
    except PrinterError as exc:
        return PrintJobReport(id=new_id(), kind="test", reference="prueba", state="failed",
                              error_code=exc.code, error_message=exc.message)
    except Exception as exc:  # a setting no backend understands: said, not a crash
        return PrintJobReport(id=new_id(), kind="test", reference="prueba", state="failed",
                              error_code="bad_target",
                              error_message=f"La configuración de la impresora no es válida "
                                            f"({type(exc).__name__}).")
    job = printer.print(printer_test_layout(config, printer.clock.now(), logo), "test", "prueba")
    return PrintJobReport(id=job.id, kind="test", reference="prueba",
                          state="printed" if job.ok else "failed", error_code=job.error_code,
                          error_message=job.error_message)
