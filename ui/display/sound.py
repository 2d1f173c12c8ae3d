"""The real speaker: a chime (QtMultimedia) then a Spanish voice (QtTextToSpeech), both optional.

Either module can be missing on an office PC (no PulseAudio library, no audio output, no speech
engine, no Spanish voice). The display then does what it can (the chime alone, the system beep,
silence), says so once in the log, and never shows an error to the waiting room; a missing
voice (`QtSpeaker.voice_problem`) is shown small on the TV and reported to the hub, which
alerts the supervisor (README «Voz de los llamados» says what to install).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QLocale, QObject, QTimer, QUrl, Signal
from PySide6.QtWidgets import QApplication

from ui.display.chime import CHIME_PATH, wav_duration_ms, write_chime

log = logging.getLogger(__name__)

# Closest to Peruvian Spanish first; Spain's voices are the last resort.
SPANISH_LOCALES = ("es_PE", "es_419", "es_US", "es_MX", "es_CO", "es_CL", "es_AR", "es_ES")
_BEEP_MS = 300
_reported: set[str] = set()


def _report_once(key: str, message: str, *args: object) -> None:
    if key not in _reported:
        _reported.add(key)
        log.info(message, *args)


def choose_locale(names: Iterable[str]) -> str | None:
    """The best Spanish locale among an engine's (e.g. 'es_MX'), or None if it has none."""
    available = [n.replace("-", "_") for n in names]
    for wanted in SPANISH_LOCALES:
        if wanted in available:
            return wanted
    return next((n for n in available if n == "es" or n.startswith("es_")), None)


def chime_file(path: Path = CHIME_PATH) -> Path | None:
    """The chime WAV; rebuilt in the user cache if the installed one is missing."""
    if path.is_file():
        return path
    try:
        return write_chime(platformdirs.user_cache_path("cac-kiosk") / "chime.wav")
    except OSError as exc:
        _report_once("chime", "No se pudo crear el sonido de llamado (%s): sin campanilla.", exc)
        return None


def _sound_effect(path: Path, parent: QObject) -> Any | None:
    try:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
    except (ImportError, OSError) as exc:  # e.g. libpulse.so.0 missing
        _report_once("multimedia", "Sin QtMultimedia (%s): el llamado usará el pitido del "
                     "sistema.", exc)
        return None
    if not QMediaDevices.audioOutputs():
        # A QSoundEffect on no device only warns "playback ... not supported" and stays silent.
        _report_once("multimedia", "No hay salida de audio: el llamado usará el pitido del "
                     "sistema.")
        return None
    effect = QSoundEffect(parent)
    effect.setSource(QUrl.fromLocalFile(str(path)))
    effect.setVolume(0.9)
    return effect


def available_engines() -> list[str]:
    """The speech engines Qt offers here ('mock' is Qt's own test engine: it speaks nothing)."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except (ImportError, OSError):
        return []
    return list(QTextToSpeech.availableEngines())


def why_no_voice(engine: str | None = None) -> str:
    """Why there is no Spanish voice to use (kiosk/services/display_health.py `Voice`):
    no_module (Qt's speech module cannot load), no_engine (no speech engine, or not the one
    named), no_spanish (engines without a Spanish voice)."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech  # noqa: F401
    except (ImportError, OSError):
        return "no_module"
    available = available_engines()
    usable = [engine] if engine is not None and engine in available else \
        [e for e in available if e != "mock"] if engine is None else []
    return "no_spanish" if usable else "no_engine"


def _spanish_voice(parent: QObject, engine: str | None = None) -> Any | None:
    """A Spanish voice of the first engine that has one; only `engine` if it is named."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except (ImportError, OSError) as exc:
        _report_once("tts", "Sin QtTextToSpeech (%s): los llamados solo tendrán campanilla.", exc)
        return None
    available = available_engines()
    if engine is not None and engine not in available:
        # Checked first: Qt answers an unknown engine with a critical message, not an error.
        _report_once(f"tts:{engine}", "No existe el motor de voz %s (motores: %s): los llamados "
                     "solo tendrán campanilla.", engine, ", ".join(available) or "ninguno")
        return None
    # Production never picks 'mock' by itself: it would make the room wait for a silent voice.
    candidates = [engine] if engine is not None else [e for e in available if e != "mock"]
    for name in candidates:
        tts = QTextToSpeech(name, parent)
        if tts.state() == QTextToSpeech.State.Error:
            tts.deleteLater()
            continue
        locale = choose_locale(loc.name() for loc in tts.availableLocales())
        if locale is not None:
            tts.setLocale(QLocale(locale))
        elif engine is None:
            tts.deleteLater()
            continue
        else:  # named on purpose (tests, a technician's choice): keep the language it has
            locale = tts.locale().name()
            _report_once(f"tts-locale:{name}", "El motor de voz %s no tiene español: se usa su "
                         "idioma por defecto (%s).", name, locale)
        tts.setRate(-0.1)  # a little slower: a noisy room, many older citizens
        _report_once(f"tts:{engine or ''}", "Voz de llamados: motor %s, %s.", name, locale)
        return tts
    _report_once(f"tts:{engine or ''}", "No hay voz en español (motores: %s): los llamados "
                 "solo tendrán campanilla.", ", ".join(candidates) or "ninguno")
    return None


class QtSpeaker(QObject):
    """Chime, then voice; reports `done` when the voice is back to Ready (or failed).

    `engine` names the speech engine to use (e.g. 'mock' in tests); by default the first one
    with a Spanish voice. `chimed` is emitted as each chime (or beep) starts.
    """

    chimed = Signal()

    def __init__(self, chime: Path | None = CHIME_PATH, *, voice: bool = True,
                 engine: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        path = chime_file(chime) if chime is not None else None
        self._effect = _sound_effect(path, self) if path is not None else None
        self._chime_ms = wav_duration_ms(path) if self._effect is not None and path else _BEEP_MS
        self._tts = _spanish_voice(self, engine) if voice else None
        # Why a voice was wanted and none found (None: speaking, or silent on purpose).
        self.voice_problem = why_no_voice(engine) if voice and self._tts is None else None
        if self._tts is not None:
            self._tts.stateChanged.connect(self._on_voice_state)
        self._after_chime = QTimer(self, singleShot=True)
        self._after_chime.timeout.connect(self._say)
        self._text = ""
        self._saying = False
        self._done: Callable[[], None] | None = None

    @property
    def has_voice(self) -> bool:
        return self._tts is not None

    @property
    def voice(self) -> Any | None:
        """The QTextToSpeech in use (its signals tell what is being said), or None."""
        return self._tts

    def speak(self, text: str, done: Callable[[], None]) -> None:
        self._text, self._done = text, done
        if self._effect is not None:
            self._effect.play()
        else:
            QApplication.beep()
        self.chimed.emit()
        self._after_chime.start(self._chime_ms)

    def cancel(self) -> None:
        self._done = None
        self._after_chime.stop()
        if self._effect is not None:
            self._effect.stop()
        if self._tts is not None and self._saying:
            self._saying = False
            self._tts.stop()

    def _say(self) -> None:
        if self._tts is None:
            self._finish()
            return
        self._saying = True
        self._tts.say(self._text)

    def _on_voice_state(self, state: Any) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        if self._saying and state in (QTextToSpeech.State.Ready, QTextToSpeech.State.Error):
            self._saying = False
            self._finish()

    def _finish(self) -> None:
        done, self._done = self._done, None
        if done is not None:
            done()
