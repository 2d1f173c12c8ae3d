"""`make screenshots`: every window rendered to screenshots/ (file names say which window)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "screenshots"


def _ticket_previews() -> list[Path]:
    """What the thermal printer puts on paper, as the printing package previews it."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from kiosk.config import OfficeConfig
    from printing.preview import save_preview
    from printing.samples import sample_layout

    config = OfficeConfig(office_code="CAJ", office_name="CAC Cajamarca",
                          municipality="Municipalidad Provincial de Cajamarca")
    now = datetime(2026, 11, 20, 9, 41, tzinfo=ZoneInfo("America/Lima"))
    saved = []
    for kind, width in (("ticket", 80), ("ticket", 58), ("receipt", 80), ("requirements", 80)):
        path = SCREENSHOTS / f"impresion-{kind}-{width}mm.png"
        save_preview(sample_layout(kind, config, now), path, width_mm=width)
        saved.append(path)
    return saved


def main() -> int:
    from ui.admin.screenshot import save_admin_screenshots
    from ui.counter.screenshot import save_counter_screenshots
    from ui.display.screenshot import save_display_screenshot
    from ui.kiosk.screenshot import save_kiosk_screenshots
    from ui.rating.screenshot import save_rating_screenshots
    from ui.supervisor.screenshot import save_supervisor_screenshots

    saved = save_kiosk_screenshots(SCREENSHOTS)
    saved.append(Path(save_display_screenshot(SCREENSHOTS / "display.png")))
    saved.append(Path(save_display_screenshot(SCREENSHOTS / "display-sin-voz.png",
                                              voiceless=True)))
    saved.extend(save_counter_screenshots(SCREENSHOTS))
    saved.extend(save_supervisor_screenshots(SCREENSHOTS))
    saved.extend(save_rating_screenshots(SCREENSHOTS))
    saved.extend(save_admin_screenshots(SCREENSHOTS))
    saved.extend(_ticket_previews())
    from sync.central.page_preview import save_tracking_screenshots

    saved.extend(save_tracking_screenshots(SCREENSHOTS))  # with Debian's Chromium only
    for path in saved:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
