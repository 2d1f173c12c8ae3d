"""Spanish words for what the display announces, against a hand-written table."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.services.views import CallView
from ui.display.speech_text import (
    announcement_text,
    spanish_number,
    spoken_counter,
    spoken_ticket,
)

NUMBERS = {
    0: "cero", 1: "uno", 2: "dos", 3: "tres", 5: "cinco", 7: "siete", 9: "nueve", 10: "diez",
    11: "once", 12: "doce", 13: "trece", 14: "catorce", 15: "quince", 16: "dieciséis",
    17: "diecisiete", 18: "dieciocho", 19: "diecinueve", 20: "veinte", 21: "veintiuno",
    22: "veintidós", 23: "veintitrés", 24: "veinticuatro", 26: "veintiséis", 29: "veintinueve",
    30: "treinta", 31: "treinta y uno", 39: "treinta y nueve", 40: "cuarenta",
    42: "cuarenta y dos", 50: "cincuenta", 56: "cincuenta y seis", 60: "sesenta",
    67: "sesenta y siete", 70: "setenta", 78: "setenta y ocho", 80: "ochenta",
    83: "ochenta y tres", 90: "noventa", 99: "noventa y nueve", 100: "cien",
    101: "ciento uno", 110: "ciento diez", 115: "ciento quince", 116: "ciento dieciséis",
    121: "ciento veintiuno", 122: "ciento veintidós", 131: "ciento treinta y uno",
    199: "ciento noventa y nueve", 200: "doscientos", 201: "doscientos uno",
    222: "doscientos veintidós", 300: "trescientos", 345: "trescientos cuarenta y cinco",
    400: "cuatrocientos", 416: "cuatrocientos dieciséis", 500: "quinientos",
    555: "quinientos cincuenta y cinco", 600: "seiscientos", 606: "seiscientos seis",
    700: "setecientos", 777: "setecientos setenta y siete", 800: "ochocientos",
    880: "ochocientos ochenta", 900: "novecientos", 901: "novecientos uno",
    999: "novecientos noventa y nueve",
    # A busy day can pass 999 tickets in one series (the hub then prints A-1000).
    1000: "mil", 1001: "mil uno", 1100: "mil cien", 1999: "mil novecientos noventa y nueve",
    2000: "dos mil", 2026: "dos mil veintiséis", 21_000: "veintiún mil",
    31_000: "treinta y un mil", 100_000: "cien mil", 101_000: "ciento un mil",
    500_500: "quinientos mil quinientos", 999_999: "novecientos noventa y nueve mil "
    "novecientos noventa y nueve",
}


@pytest.mark.parametrize(("n", "words"), sorted(NUMBERS.items()))
def test_spanish_number(n: int, words: str) -> None:
    assert spanish_number(n) == words


def test_every_number_below_a_thousand_has_plain_words() -> None:
    seen = {spanish_number(n) for n in range(1000)}
    assert len(seen) == 1000  # no two numbers sound the same
    assert all(w == w.strip() and "  " not in w and not w.startswith("y ") for w in seen)
    assert not any(w.endswith(" cero") for w in seen if w != "cero")


@pytest.mark.parametrize("bad", [-1, 1_000_000])
def test_spanish_number_refuses_out_of_range(bad: int) -> None:
    with pytest.raises(ValueError):
        spanish_number(bad)


@pytest.mark.parametrize("bad", [1.5, "3", True])
def test_spanish_number_refuses_non_integers(bad: object) -> None:
    with pytest.raises(TypeError):
        spanish_number(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(("number", "spoken"), [
    ("A-001", "A uno"),
    ("A-023", "A veintitrés"),
    ("C-100", "C cien"),
    ("L-115", "L ciento quince"),
    ("M-999", "M novecientos noventa y nueve"),
    ("A-1000", "A mil"),
    ("PA-001", "P A uno"),
    ("PC-021", "P C veintiuno"),
    ("pa-7", "P A siete"),
    ("B 12", "B doce"),
    ("12-B", "doce B"),  # not the hub's format: digits still become words
])
def test_spoken_ticket(number: str, spoken: str) -> None:
    assert spoken_ticket(number) == spoken


@pytest.mark.parametrize(("counter", "name", "spoken"), [
    (3, "Ventanilla 3", "ventanilla tres"),
    (12, "Ventanilla 12", "ventanilla doce"),
    (1, "", "ventanilla uno"),
    (21, "  ", "ventanilla veintiuno"),
    (2, "Caja 2", "caja dos"),
    (4, "Módulo 04", "módulo cuatro"),
    (5, "SAT 5", "SAT cinco"),
])
def test_spoken_counter(counter: int, name: str, spoken: str) -> None:
    assert spoken_counter(counter, name) == spoken


def _call(number: str, counter: int, name: str, kind: str = "called") -> CallView:
    return CallView(seq=1, kind=kind, number=number, service="partidas", counter=counter,
                    counter_name=name, at=datetime(2026, 11, 20, 13, 0, tzinfo=UTC))


@pytest.mark.parametrize(("call", "text"), [
    (_call("A-023", 3, "Ventanilla 3"), "Turno A veintitrés, ventanilla tres"),
    (_call("A-001", 1, "Ventanilla 1"), "Turno A uno, ventanilla uno"),
    (_call("PA-001", 2, "Ventanilla 2"), "Turno P A uno, ventanilla dos"),
    (_call("C-110", 5, "Ventanilla 5"), "Turno C ciento diez, ventanilla cinco"),
    (_call("L-031", 4, "Ventanilla 4", "recalled"), "Turno L treinta y uno, ventanilla cuatro"),
])
def test_announcement_text(call: CallView, text: str) -> None:
    assert announcement_text(call) == text
    assert "cero" not in text
