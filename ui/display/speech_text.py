"""What the waiting room hears: Spanish words for ticket numbers and counters (no Qt).

Ticket numbers are read as a person would say them: "A-023" is "A veintitrés", never
"A cero veintitrés"; the letters of a series ("PA" for preferential) are spelled one by one.
"""

from __future__ import annotations

import re

from kiosk.services.views import CallView

_UNITS = (
    "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
    "diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete",
    "dieciocho", "diecinueve", "veinte", "veintiuno", "veintidós", "veintitrés",
    "veinticuatro", "veinticinco", "veintiséis", "veintisiete", "veintiocho", "veintinueve",
)
_TENS = ("", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta",
         "noventa")
_HUNDREDS = ("", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos",
             "seiscientos", "setecientos", "ochocientos", "novecientos")

MAX_SPOKEN = 999_999

_TICKET = re.compile(r"^\s*([A-Za-z]+)\s*-?\s*(\d+)\s*$")
_DIGITS = re.compile(r"\d+")


def _below_thousand(n: int) -> str:
    if n < 30:
        return _UNITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _TENS[tens] + (f" y {_UNITS[unit]}" if unit else "")
    if n == 100:
        return "cien"
    hundreds, rest = divmod(n, 100)
    return _HUNDREDS[hundreds] + (f" {_below_thousand(rest)}" if rest else "")


def _apocope(words: str) -> str:
    """'uno' becomes 'un' before 'mil': veintiún mil, treinta y un mil, ciento un mil."""
    if words.endswith("veintiuno"):
        return words[: -len("veintiuno")] + "veintiún"
    if words == "uno" or words.endswith(" uno"):
        return words[:-1]
    return words


def spanish_number(n: int) -> str:
    """Cardinal number in Spanish words, as read aloud (0 to 999 999)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"spanish_number needs an int, not {type(n).__name__}")
    if not 0 <= n <= MAX_SPOKEN:
        raise ValueError(f"spanish_number covers 0 to {MAX_SPOKEN}, not {n}")
    thousands, rest = divmod(n, 1000)
    if not thousands:
        return _below_thousand(rest)
    head = "mil" if thousands == 1 else f"{_apocope(_below_thousand(thousands))} mil"
    return head + (f" {_below_thousand(rest)}" if rest else "")


def _numbers_to_words(text: str) -> str:
    def words(match: re.Match[str]) -> str:
        value = int(match.group())
        return spanish_number(value) if value <= MAX_SPOKEN else " ".join(
            spanish_number(int(d)) for d in match.group())
    return _DIGITS.sub(words, text)


def spoken_ticket(number: str) -> str:
    """'A-023' -> 'A veintitrés'; 'PA-001' -> 'P A uno' (series letters spelled)."""
    match = _TICKET.match(number)
    if match is None:  # not the hub's format: still never read digits as a string
        return _numbers_to_words(number.replace("-", " ")).strip()
    letters, digits = match.groups()
    return f"{' '.join(letters.upper())} {_numbers_to_words(digits)}"


def spoken_counter(number: int, name: str = "") -> str:
    """'Ventanilla 3' -> 'ventanilla tres'; an unnamed counter is a 'ventanilla'."""
    name = " ".join(name.split())
    if not name:
        return f"ventanilla {spanish_number(number)}"
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        name = name[0].lower() + name[1:]  # mid-sentence; leaves acronyms ("SAT 2") alone
    return _numbers_to_words(name)


def announcement_text(call: CallView) -> str:
    """The sentence spoken for a call or a recall: 'Turno A veintitrés, ventanilla tres'."""
    return f"Turno {spoken_ticket(call.number)}, {spoken_counter(call.counter, call.counter_name)}"
