"""What the display writes on screen, in Spanish (no Qt)."""

from __future__ import annotations

from datetime import date, datetime

TITLE = "Centro de Atención al Ciudadano"
TICKET = "TURNO"
GO_TO = "DIRÍJASE A"
RECALLED = "Llamado nuevamente"
RECENT = "Últimos llamados"
NUMBER_HEADER = "Turno"
COUNTER_HEADER = "Ventanilla"
WAITING = "Bienvenidos"
WAITING_HINT = "Espere aquí el llamado de su turno"
OFFLINE = "Sin conexión"
# Small under the office name when the PC has no Spanish voice (the calls only chime).
NO_VOICE = "Llamados sin voz: solo campanilla"

LEY_28683 = (
    "Atención preferencial (Ley 28683): gestantes, adultos mayores, personas con discapacidad "
    "y niños o personas con niños en brazos son atendidos primero."
)
DEFAULT_NOTICES = (
    LEY_28683,
    "Conserve su ticket: su número aparecerá en esta pantalla y será anunciado en voz alta.",
    "Tenga a la mano su DNI y los documentos de su trámite al acercarse a la ventanilla.",
    "Los trámites municipales se realizan solo en ventanilla; no se requieren intermediarios.",
)

_WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre")


def long_date(day: date) -> str:
    """'viernes, 20 de noviembre de 2026' (independent of the PC's locale)."""
    return f"{_WEEKDAYS[day.weekday()]}, {day.day} de {_MONTHS[day.month - 1]} de {day.year}"


def clock_time(moment: datetime) -> str:
    return moment.strftime("%H:%M")

