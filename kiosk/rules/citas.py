"""Citas (appointments): which slots a service offers on a day, how many places each keeps for
booking, the booking code, and what an arrival is. Pure: the store reads, these rules decide
(kiosk/services/citas.py writes).

A service that takes citas has a slot length and a share of the day kept for walk-ins. The
office's hours (`office_opens`..`office_closes`) are cut into slots of that length; a slot
that would end after closing is not offered. Each slot has one place per counter that serves
the service; of the day's places, the walk-in share is kept for the regular queue and the rest
spread evenly over the day (`bookable_places`), so walk-ins are never crowded out of a morning.
A day that is not a working day (kiosk/rules/calendar.py) has no slots.

Arrival: a citizen who checks in no later than the slot's start plus the office's window gets
a cita ticket, called from the slot's start minus the window, after Ley 28683's preferential
citizens and before the regular queue (kiosk/rules/calling.py); later, a regular ticket.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from kiosk.errors import InvalidInput
from kiosk.rules.calendar import WorkingCalendar

SLOT_MINUTES_RANGE = (5, 240)
# The furthest ahead a cita may be booked (days).
BOOKING_HORIZON_DAYS = 60
# Booking codes: no 0/O, 1/I/L, so a code read aloud on the phone is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
CODE_PREFIX = "C-"


class CitaStatus(StrEnum):
    BOOKED = "reservada"
    ARRIVED = "llego"  # checked in on time: a cita ticket
    LATE = "tarde"  # checked in after the window: a regular ticket
    NO_SHOW = "no_asistio"
    CANCELLED = "cancelada"


STATUS_TEXT = {
    CitaStatus.BOOKED: "Reservada",
    CitaStatus.ARRIVED: "Llegó a tiempo",
    CitaStatus.LATE: "Llegó tarde (cola normal)",
    CitaStatus.NO_SHOW: "No asistió",
    CitaStatus.CANCELLED: "Cancelada",
}

# The bookings that hold their slot's place: a no-show or a cancellation frees it.
HOLDS_PLACE = frozenset({CitaStatus.BOOKED, CitaStatus.ARRIVED, CitaStatus.LATE})


class Channel(StrEnum):
    COUNTER = "ventanilla"
    KIOSK = "quiosco"
    CENTRAL = "central"


@dataclass(frozen=True)
class CitaPlan:
    """A service's citas setting."""

    slot_minutes: int
    walkin_percent: int  # the share of each day's places kept for walk-ins


@dataclass(frozen=True)
class Slot:
    start: time
    places: int  # places kept for citas in this slot


def check_plan(slot_minutes: object, walkin_percent: object) -> CitaPlan:
    low, high = SLOT_MINUTES_RANGE
    if not isinstance(slot_minutes, int) or isinstance(slot_minutes, bool) \
            or not low <= slot_minutes <= high:
        raise InvalidInput("invalid_cita_plan",
                           f"La duración de cada cita debe ser de {low} a {high} minutos.")
    if not isinstance(walkin_percent, int) or isinstance(walkin_percent, bool) \
            or not 0 <= walkin_percent <= 100:
        raise InvalidInput("invalid_cita_plan",
                           "La parte del día para quienes llegan sin cita es un porcentaje "
                           "de 0 a 100.")
    return CitaPlan(slot_minutes, walkin_percent)


def slot_starts(opens: time, closes: time, slot_minutes: int) -> list[time]:
    """The start of each slot between opening and closing; the last ends by closing."""
    day = date(2000, 1, 3)  # any date: only the times matter
    start, end = datetime.combine(day, opens), datetime.combine(day, closes)
    step = timedelta(minutes=slot_minutes)
    starts: list[time] = []
    while start + step <= end:
        starts.append(start.time())
        start += step
    return starts


def bookable_places(slots: int, counters: int, walkin_percent: int) -> list[int]:
    """The places kept for citas in each of a day's `slots`: of the day's slots × counters,
    the walk-in share (rounded up) stays for the queue; the rest is spread evenly (slot i
    gets ⌊(i+1)·B/N⌋ − ⌊i·B/N⌋ of B places over N slots, never more than `counters`)."""
    if slots <= 0 or counters <= 0:
        return [0] * max(slots, 0)
    total = slots * counters * (100 - walkin_percent) // 100
    return [(i + 1) * total // slots - i * total // slots for i in range(slots)]


def day_slots(day: date, plan: CitaPlan, opens: time, closes: time, counters: int,
              calendar: WorkingCalendar) -> list[Slot]:
    """A service's slots on `day` (none on a non-working day or without counters); a slot
    with no place kept for citas is left out."""
    if not calendar.is_working_day(day):
        return []
    starts = slot_starts(opens, closes, plan.slot_minutes)
    places = bookable_places(len(starts), counters, plan.walkin_percent)
    return [Slot(start, n) for start, n in zip(starts, places, strict=True) if n > 0]


def check_booking_day(day: date, today: date, *, same_day: bool) -> date:
    """A day a cita may be booked for: not past, within the horizon; the kiosk books for
    another day only (`same_day` False): today's citizens take a ticket."""
    if day < today or (day == today and not same_day):
        first = "mañana" if not same_day else "hoy"
        raise InvalidInput("invalid_cita_day", f"Elija un día desde {first}.")
    if day > today + timedelta(days=BOOKING_HORIZON_DAYS):
        raise InvalidInput("invalid_cita_day",
                           f"Se reserva con hasta {BOOKING_HORIZON_DAYS} días de anticipación.")
    return day


def new_code() -> str:
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str | None:
    """A booking code as typed («c 7k3m9p», «C-7K3M9P») in its stored form, or None when it
    cannot be one (then the text may be a DNI)."""
    text = "".join(ch for ch in str(raw).upper() if ch.isalnum())
    if text.startswith("C") and len(text) == CODE_LENGTH + 1:
        text = text[1:]
    if len(text) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in text):
        return None
    return CODE_PREFIX + text


def on_time(now: datetime, start: datetime, window: timedelta) -> bool:
    """Whether a check-in at `now` is on time for a slot starting at `start`."""
    return now <= start + window


def callable_from(start: datetime, window: timedelta) -> datetime:
    """When a checked-in cita's ticket may be called: the window before its start."""
    return start - window


def reminder_day(cita_day: date) -> date:
    """The day a reminder is sent: the day before the cita (any day: a message, not an
    office act)."""
    return cita_day - timedelta(days=1)


def reminder_text(office_name: str, service_name: str, start: datetime, code: str) -> str:
    """The reminder's plain text: no personal data, only the office, service, time and code."""
    return (f"{office_name}: su cita de {service_name} es mañana "
            f"{start:%d/%m} a las {start:%H:%M}. Código {code}.")
