"""What the citas hand out and take (issue 17; kiosk/services/citas.py)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from kiosk.rules.text import Name
from kiosk.services.expediente_views import Input
from kiosk.services.views import IssuedTicket, View


class CitaPlanView(View):
    """A service and its citas setting (`takes_citas` False: not set, or switched off)."""

    service: str
    service_name: str
    takes_citas: bool
    slot_minutes: int
    walkin_percent: int
    counters: int  # counters that serve it: one place each per slot


class CitaPlanInput(Input):
    takes_citas: bool = True
    slot_minutes: int
    walkin_percent: int


class SlotView(View):
    start: datetime
    time: str  # «09:30», the office's time
    places: int  # kept for citas
    free: int  # of those, still free for the office to book
    central: int = 0  # of those, delegated to central (booked there, not here)


class CitaDayView(View):
    """A service's slots on a day (none on a non-working day: `closed` says why)."""

    service: str
    service_name: str
    day: date
    closed: str | None = None
    slots: list[SlotView]


class CitaInput(Input):
    service: str = Field(min_length=1, max_length=20)
    start: datetime  # the slot's start, as CitaDayView gave it
    document: str = Field(min_length=1, max_length=20)  # DNI
    name: Name = Field(min_length=3, max_length=120)
    contact: str | None = Field(default=None, max_length=120)  # a phone or an e-mail
    consent: bool = False  # the citizen allows the reminder to the contact (Ley 29733)


class CitaDelegationInput(Input):
    """Give central `places` of each slot of `day` (as many as are free, up to that)."""

    day: date
    places: int = Field(ge=1, le=50)


class CitaChange(Input):
    start: datetime  # the new slot's start (of the same service)
    document: str | None = Field(default=None, max_length=20)  # the kiosk: the booking's DNI


class CitaCancel(Input):
    document: str | None = Field(default=None, max_length=20)  # the kiosk: the booking's DNI


class CitaProof(Input):
    """The booking's DNI, which with its code lets the kiosk open a booking to change it."""

    document: str = Field(min_length=1, max_length=20)


class CheckInInput(Input):
    """The booking code («C-7K3M9P») or the DNI of today's booking."""

    query: str = Field(min_length=1, max_length=20)


class CitaView(View):
    code: str
    service: str
    service_name: str
    day: date
    start: datetime
    time: str
    status: str  # kiosk.rules.citas.CitaStatus
    status_text: str
    channel: str
    document: str
    name: str
    contact: str | None = None
    ticket: str | None = None  # the number of the ticket its check-in issued


class CitaCheckIn(View):
    """A check-in: the cita and its ticket; `on_time` False: it joins the regular queue."""

    cita: CitaView
    ticket: IssuedTicket
    on_time: bool
    called_from: datetime | None = None  # when an on-time ticket may be called
    message: str  # for the citizen, Spanish


class CitaDayStats(View):
    service: str
    day: date
    booked: int  # bookings that were not cancelled
    arrived: int  # on time
    late: int
    no_show: int
    cancelled: int
    pending: int  # still booked (a day not over)


class CitaStats(View):
    date_from: date
    date_to: date
    rows: list[CitaDayStats]


class CitaReminder(View):
    """A reminder due the day before a cita, for the notices' outbox (issue 17): one per
    cita (`key` is its idempotency key), the plain text has no personal data."""

    key: str
    cita: str  # the booking code
    contact: str
    text: str
