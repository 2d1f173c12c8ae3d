"""The call chime: a soft two-tone "ding-dong", synthesised with the standard library.

Generated rather than shipped as a recording so its source is reviewable and it can be rebuilt
anywhere (`python -m ui.display.chime`); the window regenerates it if the file is missing.
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

CHIME_PATH = Path(__file__).resolve().parents[2] / "assets" / "sounds" / "chime.wav"

RATE = 22_050
# A major third down (E5 then C5), the classic public-address ding-dong.
_NOTES = ((659.25, 0.0), (523.25, 0.55))
_NOTE_S = 1.0
_LENGTH_S = 1.6
# Partials of a soft bell: (multiple of the fundamental, relative amplitude, decay per second).
_PARTIALS = ((1.0, 1.0, 3.2), (2.0, 0.35, 5.0), (3.0, 0.12, 7.0))
_ATTACK_S = 0.008  # no click at the onset
_PEAK = 0.6  # of full scale: pleasant, and the TV's volume does the rest


def chime_samples() -> list[float]:
    count = int(RATE * _LENGTH_S)
    samples = [0.0] * count
    for frequency, start_s in _NOTES:
        first = int(start_s * RATE)
        for i in range(min(int(_NOTE_S * RATE), count - first)):
            t = i / RATE
            envelope = min(1.0, t / _ATTACK_S)
            samples[first + i] += envelope * sum(
                amp * math.exp(-decay * t) * math.sin(2 * math.pi * frequency * mult * t)
                for mult, amp, decay in _PARTIALS
            )
    fade = int(0.05 * RATE)  # end exactly at silence
    for i in range(fade):
        samples[count - fade + i] *= 1 - i / fade
    peak = max(abs(s) for s in samples) or 1.0
    return [s * _PEAK / peak for s in samples]


def write_chime(path: Path = CHIME_PATH) -> Path:
    """Write the chime as 16-bit mono PCM WAV (what QSoundEffect plays everywhere)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = b"".join(struct.pack("<h", round(s * 32_767)) for s in chime_samples())
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)
    return path


def wav_duration_ms(path: Path) -> int:
    with wave.open(str(path), "rb") as wav:
        return round(wav.getnframes() * 1000 / wav.getframerate())


if __name__ == "__main__":
    print(write_chime(Path(sys.argv[1]) if len(sys.argv) > 1 else CHIME_PATH))
