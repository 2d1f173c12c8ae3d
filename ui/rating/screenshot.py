"""Render the counter's «Califique la atención» screen (1024×600, a small touch monitor facing
the citizen): the faces after a ticket was finished, and the thank-you."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from kiosk.demo_office import DemoOffice
from ui.capture import shooter
from ui.qt_app import application, process_events_until
from ui.rating.window import RatingOptions, RatingWindow

SIZE = (1024, 600)
SCREENS = ("pregunta", "gracias")
COUNTER = 3


def screen_file(directory: Path, name: str) -> Path:
    return directory / f"calificacion-{name}.png"


def _wait(done: Callable[[], bool], what: str) -> None:
    if not process_events_until(done, 15_000):
        raise RuntimeError(f"rating screenshot: gave up waiting for {what}")


def save_rating_screenshots(directory: Path) -> list[Path]:
    application()
    directory.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        office = DemoOffice.create(Path(tmp))
        token = office.device("Calificación ventanilla 3", "counter", COUNTER)
        staging = office.staging
        staging.open_counter(COUNTER)
        staging.issue_ticket("licencias")
        called = staging.call_next(COUNTER)
        assert called is not None
        quiet = RatingOptions(poll_ms=3_600_000, prompt_ms=3_600_000, thanks_ms=3_600_000)
        window = RatingWindow(office.client(token), COUNTER, quiet)
        try:
            window.resize(*SIZE)
            window.show()

            shot = shooter(window, partial(screen_file, directory), saved)

            _wait(lambda: window.held == called.id, "the counter's ticket")
            staging.start(called.id)
            staging.finish(called.id)
            window.poll()
            _wait(lambda: window.ticket is not None, "the question")
            shot("pregunta")
            window.rate(4)
            _wait(lambda: window.last_rating is not None, "the rating")
            shot("gracias")
        finally:
            window.shutdown()
            window.close()
            office.close()
    return saved
