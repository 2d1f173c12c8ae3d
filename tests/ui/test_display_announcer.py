"""The announcement queue is serial and ordered; a stuck engine cannot block it; sound degrades."""

from __future__ import annotations

import logging
import wave
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ui.display import sound
from ui.display.announcer import Announcer, SilentSpeaker
from ui.display.chime import CHIME_PATH, wav_duration_ms, write_chime
from ui.display.sound import QtSpeaker, choose_locale


class FakeSpeaker:
    """Records utterances; each one lasts until the test calls `finish()`."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.overlaps = 0
        self.cancelled = 0
        self._done: Callable[[], None] | None = None
        self.stale_done: list[Callable[[], None]] = []

    @property
    def busy(self) -> bool:
        return self._done is not None

    def speak(self, text: str, done: Callable[[], None]) -> None:
        if self._done is not None:
            self.overlaps += 1
        self.said.append(text)
        self._done = done

    def cancel(self) -> None:
        self.cancelled += 1
        if self._done is not None:
            self.stale_done.append(self._done)
        self._done = None

    def finish(self) -> None:
        done, self._done = self._done, None
        assert done is not None, "nothing is being said"
        done()


def test_announcements_are_serial_and_in_order(qtbot: QtBot) -> None:
    speaker = FakeSpeaker()
    announcer = Announcer(speaker, gap_ms=0)
    finished: list[str] = []
    announcer.finished.connect(finished.append)
    for text in ("uno", "dos", "tres"):
        announcer.announce(text)
    qtbot.waitUntil(lambda: speaker.said == ["uno"])
    assert announcer.pending == ["dos", "tres"]
    speaker.finish()
    qtbot.waitUntil(lambda: speaker.said == ["uno", "dos"])
    announcer.announce("cuatro")
    speaker.finish()
    qtbot.waitUntil(lambda: len(speaker.said) == 3)
    speaker.finish()
    qtbot.waitUntil(lambda: len(speaker.said) == 4)
    speaker.finish()
    qtbot.waitUntil(lambda: announcer.speaking is None)
    assert speaker.said == ["uno", "dos", "tres", "cuatro"]
    assert finished == speaker.said
    assert speaker.overlaps == 0


def test_a_speaker_that_finishes_at_once_does_not_recurse(qtbot: QtBot) -> None:
    announcer = Announcer(SilentSpeaker(), gap_ms=0)
    finished: list[str] = []
    announcer.finished.connect(finished.append)
    for i in range(50):
        announcer.announce(str(i))
    qtbot.waitUntil(lambda: len(finished) == 50)
    assert finished == [str(i) for i in range(50)]


def test_a_stuck_engine_is_cut_off_and_its_late_signal_ignored(qtbot: QtBot) -> None:
    speaker = FakeSpeaker()
    announcer = Announcer(speaker, timeout_ms=50, gap_ms=0)
    announcer.announce("uno")
    announcer.announce("dos")
    qtbot.waitUntil(lambda: speaker.said == ["uno", "dos"], timeout=2000)  # guard fired
    assert speaker.cancelled == 1 and speaker.overlaps == 0
    speaker.stale_done[0]()  # "uno" reports finished long after: "dos" keeps going
    assert announcer.speaking == "dos"
    speaker.finish()
    qtbot.waitUntil(lambda: announcer.speaking is None)


def test_a_failing_speaker_does_not_stop_the_queue(qtbot: QtBot,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    said: list[str] = []

    class Broken:
        def speak(self, text: str, done: Callable[[], None]) -> None:
            said.append(text)
            raise RuntimeError("audio device gone")

        def cancel(self) -> None:
            pass

    announcer = Announcer(Broken(), gap_ms=0)
    with caplog.at_level(logging.ERROR):
        announcer.announce("uno")
        announcer.announce("dos")
        qtbot.waitUntil(lambda: said == ["uno", "dos"] and announcer.speaking is None)
    assert "no se pudo anunciar" in caplog.text


def test_stop_drops_the_queue_and_silences(qtbot: QtBot) -> None:
    speaker = FakeSpeaker()
    announcer = Announcer(speaker, gap_ms=0)
    announcer.announce("uno")
    announcer.announce("dos")
    qtbot.waitUntil(lambda: speaker.busy)
    announcer.stop()
    assert speaker.cancelled == 1 and announcer.pending == []
    announcer.announce("tres")
    assert announcer.pending == [] and speaker.said == ["uno"]


@pytest.mark.parametrize(("names", "chosen"), [
    (["en_US", "es_ES", "es_MX"], "es_MX"),
    (["es-PE", "es_ES"], "es_PE"),
    (["es_ES", "fr_FR"], "es_ES"),
    (["es_VE", "en_GB"], "es_VE"),
    (["en_US", "qu_PE"], None),
    ([], None),
])
def test_choose_locale_prefers_latin_american_spanish(names: list[str], chosen: str | None
                                                     ) -> None:
    assert choose_locale(names) == chosen


def test_chime_is_a_short_mono_wav() -> None:
    assert CHIME_PATH.is_file(), "run: python -m ui.display.chime"
    with wave.open(str(CHIME_PATH), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        frames = wav.readframes(wav.getnframes())
    assert 800 <= wav_duration_ms(CHIME_PATH) <= 2500
    assert max(frames) > 0  # not silence


def test_chime_is_rebuilt_when_missing(tmp_path: Path) -> None:
    rebuilt = sound.chime_file(tmp_path / "missing.wav")
    assert rebuilt is not None and rebuilt.is_file()
    assert rebuilt.read_bytes() == write_chime(tmp_path / "fresh.wav").read_bytes()


def test_qt_speaker_without_audio_still_completes(qtbot: QtBot,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    """On this machine QtMultimedia cannot load (no libpulse): beep or silence, no error."""
    sound._reported.clear()
    with caplog.at_level(logging.INFO, logger="ui.display.sound"):
        speaker = QtSpeaker(voice=False)
        QtSpeaker(voice=False)
    done: list[bool] = []
    speaker.speak("Turno A uno, ventanilla uno", lambda: done.append(True))
    qtbot.waitUntil(lambda: done == [True], timeout=5000)
    # Whatever was missing was reported at INFO, once per process, not once per speaker.
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == len(set(messages))
    assert all(r.levelno == logging.INFO for r in caplog.records)
    speaker.cancel()  # nothing playing: harmless
