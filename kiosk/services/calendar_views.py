"""What the office's calendar of non-working days hands out and takes (issue 20)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from kiosk.rules.text import Name
from kiosk.services.expediente_views import Input
from kiosk.services.views import View


class NonWorkingDayView(View):
    day: date
    name: str
    scope: str  # kiosk.rules.calendar.DayScope
    scope_text: str  # Spanish
    place: str  # ubigeo prefix or office code; "" for the whole country
    counts: bool  # whether it counts in this office's deadlines
    own: bool  # the office's own day (scope «oficina», this office): its admin may change it


class OfficeDayInput(Input):
    """A non-working day of this office only (a local emergency, the town's anniversary)."""

    day: date
    name: Name = Field(min_length=3, max_length=120)


class OfficeDayChange(Input):
    """A correction of one of the office's own days: only the fields given change."""

    day: date | None = None
    name: Name | None = Field(default=None, min_length=3, max_length=120)


class CalendarChanged(View):
    """A day added, corrected or removed, and the expedientes whose due dates moved."""

    entry: NonWorkingDayView | None  # None: removed
    moved: list[str] = Field(default_factory=list)
