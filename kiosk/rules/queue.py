"""Queue rules: ticket states and their legal moves, preferential categories, wait estimates."""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum

from kiosk.errors import Conflict, InvalidInput

# Who a counter calls next is the calling policy's (kiosk/rules/calling.py); named here too for
# the code that knew them here.
from kiosk.rules.calling import Candidate as Candidate
from kiosk.rules.calling import choose_regular as choose_regular


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    EXPIRED = "expired"


class CounterState(StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


# Ley 28683 (and Ley 30490: adulto mayor = 60+).
PREFERENTIAL_CATEGORIES: dict[str, str] = {
    "gestante": "Gestante",
    "adulto_mayor": "Adulto mayor",
    "discapacidad": "Persona con discapacidad",
    "nino": "Niña, niño o persona con un niño en brazos",
}

OUTCOMES: dict[str, str] = {
    "atendido": "Atendido",
    "observado": "Atendido con observaciones",
    "derivado": "Derivado a otra área",
    "desistio": "El ciudadano desistió",
}

STATUS_LABELS: dict[TicketStatus, str] = {
    TicketStatus.WAITING: "en espera",
    TicketStatus.CALLED: "llamado",
    TicketStatus.SERVING: "en atención",
    TicketStatus.FINISHED: "atendido",
    TicketStatus.NO_SHOW: "no se presentó",
    TicketStatus.EXPIRED: "vencido al cierre",
}

# action -> statuses the ticket may be in for it
TICKET_ACTIONS: dict[str, frozenset[TicketStatus]] = {
    "call": frozenset({TicketStatus.WAITING}),
    "recall": frozenset({TicketStatus.CALLED}),
    "start": frozenset({TicketStatus.CALLED}),
    "finish": frozenset({TicketStatus.SERVING}),
    "no_show": frozenset({TicketStatus.CALLED}),
    "reinstate": frozenset({TicketStatus.NO_SHOW}),
    "transfer": frozenset({TicketStatus.CALLED, TicketStatus.SERVING}),
    "expire": frozenset({TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING}),
}

ACTION_NAMES: dict[str, str] = {
    "call": "llamar",
    "recall": "volver a llamar",
    "start": "iniciar la atención de",
    "finish": "terminar",
    "no_show": "marcar como no presentado",
    "reinstate": "reincorporar",
    "transfer": "derivar",
    "expire": "dar por vencido",
}

ACTIVE_STATUSES = TICKET_ACTIONS["expire"]


def check_ticket_action(action: str, number: str, status: str) -> None:
    """Raise Conflict (with a Spanish message) when `action` is illegal for a ticket in `status`."""
    current = TicketStatus(status)
    if current not in TICKET_ACTIONS[action]:
        raise Conflict(
            "illegal_transition",
            f"No se puede {ACTION_NAMES[action]} el turno {number}: está "
            f"{STATUS_LABELS[current]}.",
        )


def check_preferential(value: str | None) -> str | None:
    if value is None or value in PREFERENTIAL_CATEGORIES:
        return value
    options = ", ".join(PREFERENTIAL_CATEGORIES)
    raise InvalidInput(
        "invalid_preferential",
        f"Categoría preferencial desconocida «{value}». Use una de: {options}.",
    )


def check_outcome(value: str) -> str:
    if value in OUTCOMES:
        return value
    raise InvalidInput(
        "invalid_outcome",
        f"Resultado de atención desconocido «{value}». Use uno de: {', '.join(OUTCOMES)}.",
    )


def check_reason(reason: str | None, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("reason_required", f"Indique el motivo para {what}.")
    if len(text) > 200:
        raise InvalidInput("reason_too_long", "El motivo no puede pasar de 200 caracteres.")
    return text


PREFERENTIAL_PREFIX = "P"  # PA-001: the preferential series of service A
# Letters a thermal ticket, the TV and a hurried eye read as digits: «O-006» looks like «0-006».
# The letters ISO 3779 leaves out of vehicle numbers for the same reason; S, Z, B and G keep
# their own shapes in the printer's bold font and stay allowed.
DIGIT_LOOKALIKES = {"O": "0", "I": "1", "Q": "0"}


def check_prefix(prefix: str) -> str:
    """A new service's series letter, upper case. Services stored with one of the letters
    refused today keep it: this checks only what an administrator sets now."""
    letter = prefix.strip().upper() if isinstance(prefix, str) else ""
    if not (len(letter) == 1 and "A" <= letter <= "Z"):
        raise InvalidInput("invalid_prefix", "La letra del turno es una sola letra de la A a "
                                             "la Z, sin tilde ni Ñ (p. ej. «C» para Caja).")
    if letter == PREFERENTIAL_PREFIX:
        raise InvalidInput("invalid_prefix", "La P se reserva para los turnos preferenciales "
                                             "(PA-001, PC-001…). Elija otra letra.")
    digit = DIGIT_LOOKALIKES.get(letter)
    if digit is not None:
        raise InvalidInput("invalid_prefix",
                           f"La letra {letter} no sirve para turnos: en el ticket y en la "
                           f"pantalla se confunde con el número {digit} («{letter}-006» se lee "
                           f"«{digit}-006»). Elija otra letra.")
    return letter


def ticket_series(prefix: str, preferential: str | None) -> str:
    """Preferential tickets have their own series, marked P: PA-001."""
    return f"{PREFERENTIAL_PREFIX}{prefix}" if preferential else prefix


def ticket_number(series: str, seq: int) -> str:
    return f"{series}-{seq:03d}"


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (the common "type 7" definition)."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return float(ordered[0])
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = math.ceil(position)
    fraction = position - low
    return float(ordered[low] + (ordered[high] - ordered[low]) * fraction)


MIN_SAMPLES = 3


def estimate_wait_minutes(
    ahead: int,
    counters: int,
    service_seconds: Sequence[float],
    default_service_minutes: float,
) -> tuple[int, int]:
    """A wait range in whole minutes.

    Counters serve in parallel, so people ahead / counters x service time. The range comes from
    the quartiles of today's own service times once there are a few; before that from the office's
    default +-30 %. The upper bound counts one more person: the counter may be busy right now.
    """
    counters = max(counters, 1)
    if len(service_seconds) >= MIN_SAMPLES:
        q25 = percentile(service_seconds, 0.25) or 0.0
        q75 = percentile(service_seconds, 0.75) or 0.0
        fast, slow = q25 / 60, q75 / 60
    else:
        fast, slow = default_service_minutes * 0.7, default_service_minutes * 1.3
    low = math.floor(ahead * fast / counters)
    high = math.ceil((ahead + 1) * slow / counters)
    return low, max(high, low)
