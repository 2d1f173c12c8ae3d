"""One serial queue for everything the waiting room hears.

Two counters calling at the same second must be heard one after the other, whole and in order:
the announcer starts an utterance only when the previous one said it finished. A speech engine
that never reports "finished" (a stuck driver, no audio device) is cut off by a guard timer so
the queue keeps moving.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger(__name__)


class Speaker(Protocol):
    """The port to the sound hardware (the Qt chime and voice, or a test's fake)."""

    def speak(self, text: str, done: Callable[[], None]) -> None:
        """Chime, then say `text`; call `done` once when finished (it may be called at once)."""
        ...

    def cancel(self) -> None:
        """Stop what is playing (timeout, shutdown); `done` need not be called afterwards."""
        ...


class SilentSpeaker:
    """For a muted display: every utterance finishes at once."""

    def speak(self, text: str, done: Callable[[], None]) -> None:
        done()

    def cancel(self) -> None:
        pass


class Announcer(QObject):
    started = Signal(str)
    finished = Signal(str)

    def __init__(self, speaker: Speaker, *, timeout_ms: int = 15_000, gap_ms: int = 700,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._speaker = speaker
        self._queue: deque[str] = deque()
        self._current: str | None = None
        self._token = 0  # tells a late "done" of a cut-off utterance from the current one
        self._guard = QTimer(self, singleShot=True, interval=timeout_ms)
        self._guard.timeout.connect(self._on_timeout)
        # A breath between two announcements; also makes the next start always asynchronous,
        # so a speaker that finishes inside speak() cannot recurse.
        self._gap_ms = gap_ms
        self._gap = QTimer(self, singleShot=True)
        self._gap.timeout.connect(self._next)
        self._stopped = False

    @property
    def speaking(self) -> str | None:
        return self._current

    @property
    def voice_problem(self) -> str | None:
        """Why the speaker has no voice for the calls (QtSpeaker.voice_problem), or None."""
        problem = getattr(self._speaker, "voice_problem", None)
        return problem if isinstance(problem, str) else None

    @property
    def pending(self) -> list[str]:
        return list(self._queue)

    def announce(self, text: str) -> None:
        if self._stopped:
            return
        self._queue.append(text)
        if self._current is None and not self._gap.isActive():
            self._gap.start(0)

    def stop(self) -> None:
        """Drop what is queued and silence the speaker (window closing)."""
        self._stopped = True
        self._queue.clear()
        self._guard.stop()
        self._gap.stop()
        if self._current is not None:
            self._current = None
            self._speaker.cancel()

    def _next(self) -> None:
        if self._stopped or self._current is not None or not self._queue:
            return
        text = self._current = self._queue.popleft()
        self._token += 1
        token = self._token
        self._guard.start()
        self.started.emit(text)
        try:
            self._speaker.speak(text, lambda: self._done(token))
        except Exception:  # a sound driver fault must not silence every later call
            log.exception("no se pudo anunciar «%s»", text)
            self._done(token)

    def _done(self, token: int) -> None:
        if token != self._token or self._current is None:
            return  # a late signal from an utterance already cut off
        text, self._current = self._current, None
        self._guard.stop()
        self.finished.emit(text)
        if self._queue and not self._stopped:
            self._gap.start(self._gap_ms)

    def _on_timeout(self) -> None:
        if self._current is None:
            return
        log.warning("el anuncio «%s» no terminó a tiempo; se pasa al siguiente", self._current)
        self._speaker.cancel()
        self._done(self._token)
