"""A picture of the waiting-room display with sample calls (docs, reviews, `make screenshots`).

Runs without a hub or a screen: a canned call feed, a fixed clock, the offscreen platform.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk import __version__
from kiosk.services.views import CallsPage, CallView, HealthView

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
LIMA = ZoneInfo("America/Lima")
NOW = datetime(2026, 11, 20, 10, 24, 30, tzinfo=LIMA)

# (number, counter, seconds before NOW, kind); oldest first, as the hub pages them.
_SAMPLE = (
    ("A-018", 1, 900, "called"), ("C-009", 4, 780, "called"), ("L-004", 3, 640, "called"),
    ("PA-003", 2, 520, "called"), ("O-006", 5, 400, "called"), ("A-021", 1, 300, "called"),
    ("C-011", 4, 180, "called"), ("M-007", 5, 90, "called"), ("A-023", 3, 4, "called"),
)


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now


class SampleCalls:
    """A hub that answers with a few calls and never gets new ones."""

    def __init__(self, now: datetime = NOW) -> None:
        self._now = now
        self._calls = [
            CallView(seq=10 * (i + 1), kind=kind, number=number, service="", counter=counter,
                     counter_name=f"Ventanilla {counter}", at=now - timedelta(seconds=ago))
            for i, (number, counter, ago, kind) in enumerate(_SAMPLE)
        ]

    def health(self) -> HealthView:
        return HealthView(status="ok", office="CAJ", name="CAC Cajamarca",
                          version=__version__, time=self._now)

    def calls(self, after: int = 0, wait: float = 0.0) -> CallsPage:
        page = [c for c in self._calls if c.seq > after]
        return CallsPage(calls=page, last_seq=page[-1].seq if page else after)


class VoicelessSpeaker:
    """A PC without a Spanish voice: every call only chimes (ui/display/sound.py)."""

    voice_problem = "no_spanish"

    def speak(self, text: str, done: object) -> None:
        if callable(done):
            done()

    def cancel(self) -> None:
        pass


def save_display_screenshot(path: Path | str = SCREENSHOTS / "display.png",
                            size: tuple[int, int] = (1920, 1080), *, flashing: bool = False,
                            voiceless: bool = False) -> Path:
    """Render the display at `size` and save it as PNG; returns the path. `voiceless`: as on
    a PC with no Spanish voice (the small notice under the office name)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.display.options import DisplayOptions, PollOptions
    from ui.display.window import DisplayWindow
    from ui.qt_app import application, process_events_until

    app = application()
    options = DisplayOptions(poll=PollOptions(wait_s=0.0, min_interval_s=5.0))
    from ui.display.announcer import Announcer

    announcer = Announcer(VoicelessSpeaker()) if voiceless else None
    window = DisplayWindow(SampleCalls(), announcer, FixedClock(NOW), tz=LIMA, options=options)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    window.resize(*size)
    window.show()
    process_events_until(lambda: window.feed.latest is not None)
    if not flashing:
        window.latest.stop_flash()
    app.processEvents()
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    saved = window.grab().save(str(target), "PNG")
    window.close()
    window.deleteLater()
    if not saved:
        raise OSError(f"could not write {target}")
    return target


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else SCREENSHOTS / "display.png"
    print(save_display_screenshot(out))
    print(save_display_screenshot(out.with_name(out.stem + "-1366x768.png"), (1366, 768)))
    print(save_display_screenshot(out.with_name(out.stem + "-flash.png"), flashing=True))
    print(save_display_screenshot(out.with_name(out.stem + "-sin-voz.png"), voiceless=True))
