"""`make screenshots`: every window rendered to screenshots/ (file names say which window)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "screenshots"


def main() -> int:
    from ui.display.screenshot import save_display_screenshot
    from ui.kiosk.screenshot import save_kiosk_screenshots

    saved = save_kiosk_screenshots(SCREENSHOTS)
    saved.append(Path(save_display_screenshot(SCREENSHOTS / "display.png")))
    for path in saved:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
