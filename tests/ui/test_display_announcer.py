"""The announcement queue is serial and ordered; a stuck engine cannot block it; sound degrades.

The real speaker is also driven through Qt's own 'mock' speech engine (it needs libpulse0, like
every QtTextToSpeech engine): it speaks nothing, but goes Speaking -> Ready and reports each word.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import wave
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.services.views import CallView
from tests.system import require_system
from ui.display import sound
from ui.display.announcer import Announcer, SilentSpeaker
from ui.display.chime import CHIME_PATH, wav_duration_ms, write_chime
from ui.display.sound import QtSpeaker, choose_locale
from ui.display.speech_text import announcement_text


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
    """Whatever this machine lacks (libpulse, an audio device, a voice): beep, never an error."""
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


@pytest.fixture
def reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh "said once per process" memory, so each test sees the speaker's log lines."""
    monkeypatch.setattr(sound, "_reported", set())


def test_no_audio_output_means_the_beep_not_a_silent_sound_effect(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, reported: None,
        caplog: pytest.LogCaptureFixture) -> None:
    try:
        from PySide6 import QtMultimedia
    except (ImportError, OSError):
        QtMultimedia = None
    require_system(QtMultimedia is not None, "PySide6.QtMultimedia (libpulse0)",
                   "apt-get install libpulse0")
    devices = QtMultimedia.QMediaDevices
    # No sound card, even on a machine that has one (QSoundEffect would warn and stay silent).
    monkeypatch.setattr(devices, "audioOutputs", staticmethod(lambda: []))
    with caplog.at_level(logging.INFO, logger="ui.display.sound"):
        speaker = QtSpeaker(voice=False)
        QtSpeaker(voice=False)
    chimes: list[bool] = []
    speaker.chimed.connect(lambda: chimes.append(True))
    done: list[bool] = []
    speaker.speak("Turno A uno, ventanilla uno", lambda: done.append(True))
    qtbot.waitUntil(lambda: done == [True], timeout=5000)
    assert chimes == [True]
    messages = [r.getMessage() for r in caplog.records]
    assert messages == ["No hay salida de audio: el llamado usará el pitido del sistema."]


def test_a_speaker_without_a_spanish_voice_says_why(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, reported: None) -> None:
    """What the TV shows and the hub hears (issue 15): not only a line in the log."""
    require_mock_voice()  # Qt's speech module loads here
    monkeypatch.setattr(sound, "available_engines", lambda: [])  # a PC with no speech engine
    speaker = QtSpeaker()
    assert not speaker.has_voice and speaker.voice_problem == "no_engine"
    assert Announcer(speaker).voice_problem == "no_engine"
    monkeypatch.setattr(sound, "available_engines", lambda: ["mock"])  # Qt's own: no voice
    assert QtSpeaker().voice_problem == "no_engine"
    assert QtSpeaker(voice=False).voice_problem is None  # silent on purpose: nothing to say
    monkeypatch.setattr(sound, "available_engines", lambda: ["mock", "speechd"])
    monkeypatch.setattr(sound, "_spanish_voice", lambda parent, engine=None: None)
    assert QtSpeaker().voice_problem == "no_spanish"  # an engine, but no Spanish voice in it
    assert Announcer(FakeSpeaker()).voice_problem is None


# --- the real speaker with Qt's mock speech engine -------------------------------------------

_WORD = re.compile(r"\w+")


def require_mock_voice() -> None:
    require_system("mock" in sound.available_engines(), "PySide6.QtTextToSpeech (libpulse0)",
                   "apt-get install libpulse0")


def fold(text: str) -> str:
    """Lower case without accents: 'Veintitrés' -> 'veintitres'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words_of(text: str) -> list[str]:
    return [fold(word) for word in _WORD.findall(text)]


def heard_words(text: str, pieces: list[tuple[str, int, int]]) -> list[str]:
    """The words of `text` the engine said, from its sayingWord reports (word, start, length).

    The mock engine breaks words at accented letters ('veintitr', 's'); each piece still points
    into the text, so the whole word it belongs to is found by position.
    """
    spans = [m.span() for m in _WORD.finditer(text)]
    heard: list[str] = []
    last: tuple[int, int] | None = None
    for word, start, length in pieces:
        assert fold(text[start:start + length]) == fold(word), (word, start, length)
        span = next(s for s in spans if s[0] <= start < s[1])
        if span != last:
            heard.append(fold(text[span[0]:span[1]]))
            last = span
    return heard


def listen(speaker: QtSpeaker) -> list[tuple[str, Any]]:
    """What the speaker does, in order: ("chime", None), ("state", s), ("word", piece)."""
    events: list[tuple[str, Any]] = []
    speaker.chimed.connect(lambda: events.append(("chime", None)))
    assert speaker.voice is not None
    speaker.voice.stateChanged.connect(lambda state: events.append(("state", state)))
    speaker.voice.sayingWord.connect(
        lambda word, _id, start, length: events.append(("word", (word, start, length))))
    return events


def pieces_of(events: list[tuple[str, Any]]) -> list[tuple[str, int, int]]:
    return [value for kind, value in events if kind == "word"]


def _call(number: str, counter: int) -> CallView:
    return CallView(seq=1, kind="called", number=number, service="partidas", counter=counter,
                    counter_name=f"Ventanilla {counter}",
                    at=datetime(2026, 11, 20, 13, 0, tzinfo=UTC))


def test_the_real_speaker_chimes_then_says_the_announcement(
        qtbot: QtBot, reported: None, caplog: pytest.LogCaptureFixture) -> None:
    require_mock_voice()
    from PySide6.QtTextToSpeech import QTextToSpeech

    text = announcement_text(_call("A-023", 3))
    with caplog.at_level(logging.INFO, logger="ui.display.sound"):
        speaker = QtSpeaker(engine="mock")
    assert speaker.has_voice
    # The mock has no Spanish: named on purpose, it keeps its own language, and says so.
    assert any("mock no tiene español" in r.getMessage() for r in caplog.records)
    events = listen(speaker)
    done: list[Any] = []
    speaker.speak(text, lambda: done.append(speaker.voice.state()))  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: done != [], timeout=5000)

    assert done == [QTextToSpeech.State.Ready]  # reported once the voice was back to Ready
    pieces = pieces_of(events)
    assert events == [("chime", None), ("state", QTextToSpeech.State.Speaking),
                      *(("word", piece) for piece in pieces),
                      ("state", QTextToSpeech.State.Ready)]
    assert heard_words(text, pieces) == words_of(text)
    assert "veintitres" in words_of(text)  # an accented word was in it


def test_cancel_while_speaking_stops_the_voice_and_never_reports_done(qtbot: QtBot) -> None:
    require_mock_voice()
    from PySide6.QtTextToSpeech import QTextToSpeech

    first, second = announcement_text(_call("L-031", 4)), announcement_text(_call("A-001", 1))
    speaker = QtSpeaker(engine="mock")
    events = listen(speaker)
    done: list[str] = []
    speaker.speak(first, lambda: done.append(first))
    qtbot.waitUntil(lambda: pieces_of(events) != [], timeout=5000)  # the voice has started
    speaker.cancel()
    qtbot.waitUntil(lambda: speaker.voice.state() == QTextToSpeech.State.Ready,  # type: ignore[union-attr]
                    timeout=5000)
    cut = heard_words(first, pieces_of(events))
    assert 0 < len(cut) < len(words_of(first))
    # The next announcement plays whole; the cancelled one does not report, not even late.
    events.clear()
    speaker.speak(second, lambda: done.append(second))
    qtbot.waitUntil(lambda: done != [], timeout=5000)
    assert done == [second]
    assert heard_words(second, pieces_of(events)) == words_of(second)


@pytest.mark.parametrize(("engine", "engines", "logged"), [
    ("no-existe", None, "No existe el motor de voz no-existe"),
    (None, [], "No hay voz en español (motores: ninguno)"),
    (None, ["mock"], "No hay voz en español (motores: ninguno)"),  # never picked by itself
])
def test_without_an_engine_the_call_is_the_chime_alone(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, reported: None,
        caplog: pytest.LogCaptureFixture, engine: str | None, engines: list[str] | None,
        logged: str) -> None:
    speech_loads = sound.available_engines() != []
    if engines is not None:
        monkeypatch.setattr(sound, "available_engines", lambda: engines)
    with caplog.at_level(logging.INFO, logger="ui.display.sound"):
        speaker = QtSpeaker(engine=engine)
    assert not speaker.has_voice and speaker.voice is None
    messages = [r.getMessage() for r in caplog.records]
    # Where QtTextToSpeech cannot load, the log says that instead.
    expected = logged if speech_loads else "Sin QtTextToSpeech"
    assert any(m.startswith(expected) for m in messages), messages
    assert all(r.levelno == logging.INFO for r in caplog.records)
    chimes: list[bool] = []
    speaker.chimed.connect(lambda: chimes.append(True))
    done: list[bool] = []
    speaker.speak("Turno A uno, ventanilla uno", lambda: done.append(True))
    qtbot.waitUntil(lambda: done == [True], timeout=5000)
    assert chimes == [True]
