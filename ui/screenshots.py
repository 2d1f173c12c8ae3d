"""`make screenshots` (into screenshots/) and `cac screenshots --out DIR`: every window
rendered offscreen to PNG, file names saying which window. The frozen program's smoke run
(packaging/smoke.py) uses the command: a missing Qt plugin, icon or migration fails it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "screenshots"


def _ticket_previews(directory: Path) -> list[Path]:
    """What the kiosk's printer puts on paper, printed as a kiosk PC with an empty data folder
    prints it: the office's name and municipality are the ones its administrator saved in the
    hub; the receipt is `cac print sample receipt` of that office."""
    import tempfile
    from dataclasses import replace
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from kiosk.clock import VirtualClock
    from kiosk.config import DataDir
    from kiosk.demo_office import DemoOffice
    from kiosk.services.admin_views import OfficeSettingsChange
    from printing.blocks import Layout
    from printing.preview import save_preview
    from printing.samples import sample_layout
    from ui.kiosk.printer_adapter import HubReportingPrinter, printer_config

    now = datetime(2026, 11, 20, 9, 41, tzinfo=ZoneInfo("America/Lima"))
    saved = []
    with tempfile.TemporaryDirectory() as tmp, DemoOffice.create(
            Path(tmp) / "oficina", clock=VirtualClock(now)) as office:
        office.staging.change_office_settings(OfficeSettingsChange(
            municipality="Municipalidad Provincial de Cajamarca"))
        client = office.client(office.device("Quiosco", "kiosk"))
        kiosk_pc = DataDir(Path(tmp) / "quiosco")
        for _ in range(4):
            client.issue_ticket("partidas")
        ticket = client.issue_ticket("partidas")
        printed: dict[str, Layout] = {}
        own = replace(printer_config(kiosk_pc), printer_backend="dummy")  # empty folder
        for kind, width in (("ticket", 80), ("ticket", 58), ("requirements", 80)):
            config = replace(own, printer_width_mm=width)
            printer = HubReportingPrinter(client, config, kiosk_pc.root)
            if kind == "ticket":
                printer.print_ticket(ticket, "Registro Civil – Partidas y actas")
            else:
                printer.print_requirements(client.procedure("LF-01"))
            layout = printer.history[-1].layout
            assert layout is not None
            printed[f"{kind}-{width}"] = layout
        printed["receipt-80"] = sample_layout("receipt", office.config, now)
    for name, layout in printed.items():
        path = directory / f"impresion-{name}mm.png"
        save_preview(layout, path, width_mm=int(name.rsplit("-", 1)[1]))
        saved.append(path)
    return saved


def save_all(directory: Path) -> list[Path]:
    """Every window, the printed tickets and (with Chromium) the public tracking page."""
    from ui.admin.screenshot import save_admin_screenshots
    from ui.counter.screenshot import save_counter_screenshots
    from ui.display.screenshot import save_display_screenshot
    from ui.kiosk.screenshot import save_kiosk_screenshots
    from ui.rating.screenshot import save_rating_screenshots
    from ui.setup_wizard.screenshot import save_setup_screenshots
    from ui.supervisor.screenshot import save_supervisor_screenshots

    saved = save_kiosk_screenshots(directory)
    saved.append(Path(save_display_screenshot(directory / "display.png")))
    saved.append(Path(save_display_screenshot(directory / "display-sin-voz.png",
                                              voiceless=True)))
    saved.extend(save_counter_screenshots(directory))
    saved.extend(save_supervisor_screenshots(directory))
    saved.extend(save_rating_screenshots(directory))
    saved.extend(save_admin_screenshots(directory))
    saved.extend(save_setup_screenshots(directory))
    saved.extend(_ticket_previews(directory))
    from sync.central.page_preview import save_tracking_screenshots

    saved.extend(save_tracking_screenshots(directory))  # with Debian's Chromium only
    from sync.central.citas_preview import save_citas_screenshots

    saved.extend(save_citas_screenshots(directory))
    return saved


def main() -> int:
    for path in save_all(SCREENSHOTS):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
