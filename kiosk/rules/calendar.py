"""The working-day calendar: weekends, Peru's national holidays and extra non-working days.

National holidays come from the maintained `holidays` package (`holidays.Peru`), checked and
corrected against the table below, which states each holiday with the first year its law
applies (PERU-RULES.md). The package supplies the holidays' Spanish names and any holiday a
future law adds before this table knows of it; the table wins wherever the two disagree, so an
old copy of the package (one without 7 Jun or 23 Jul, say) still gives the right calendar.

Choices, checked against the law and the installed package (holidays 0.109, which agrees with
this table for 2020-2030):

- 7 Jun (Batalla de Arica y Día de la Bandera): Ley 31788 of 15 Jun 2023, from 2024.
- 23 Jul (Día de la Fuerza Aérea del Perú): Ley 31822, published 8 Jul 2023, declares the
  holiday "el 23 de julio de cada año"; taken from 2023. 23 Jul 2023 fell on a Sunday, so the
  first working day it removed was Tue 23 Jul 2024, which was kept as a national holiday
  (public and private sector). A "from 2025" reading would make 23 Jul 2024 a working day.
- 6 Aug (Batalla de Junín): Ley 31530, from 2022.
- 9 Dec (Batalla de Ayacucho): Ley 31381, from 2022.
- Holy Thursday and Good Friday: computed here from Easter (Gregorian computus) as well.

Extra non-working days (the public-sector "días no laborables" decreed each year, regional or
local ones) are data: central publishes them, the hub stores them in `non_working_days`, and
they reach this module as a mapping given to `WorkingCalendar`. Each carries a scope
(`DayScope`): the whole country, a department, province or district (an INEI ubigeo prefix)
or one office; `applies` says whether it counts for an office (`OfficePlace`). Cusco's Inti
Raymi (24 Jun, department 08) counts at an office in Cusco, never at one in Cajamarca (06).

Counting convention (TUO de la Ley 27444, DS 004-2019-JUS, arts. 144-145): a deadline in
days counts working days only, starting on the working day after the filing.

- The filing date is the office's local date of the filing moment. A filing on a
  non-working day (e.g. through a virtual mesa de partes on a Saturday) counts as made on the
  next working day. Where the office sets a cut-off (its closing time, `filing_cutoff`), a
  filing later than it counts as made on the next working day too (off by default).
- Day 1 is the first working day after that (effective) filing date; the deadline ends on
  day n. So n = 1 filed on Wed 1 Apr 2026 ends on Mon 6 Apr 2026 (Holy Thursday and Good
  Friday do not count), and n = 1 filed on Sat 4 Apr 2026 ends on Tue 7 Apr 2026.
- n = 0 ("same day", e.g. aprobación automática) ends on the effective filing date itself.

The result is always a working day, and it grows strictly with n.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from kiosk.errors import InvalidInput

LIMA = ZoneInfo("America/Lima")
# Years outside this range are refused: they are typing mistakes, not deadlines.
FIRST_YEAR = 1990
LAST_YEAR = 2200
MAX_DEADLINE_DAYS = 3660  # ten years of working days is far past any TUPA deadline


@dataclass(frozen=True)
class FixedHoliday:
    month: int
    day: int
    name: str
    since: int | None = None  # first year the holiday applies (None: before any year we use)
    law: str | None = None


FIXED_HOLIDAYS: tuple[FixedHoliday, ...] = (
    FixedHoliday(1, 1, "Año Nuevo"),
    FixedHoliday(5, 1, "Día del Trabajo"),
    FixedHoliday(6, 7, "Batalla de Arica y Día de la Bandera", 2024, "Ley 31788"),
    FixedHoliday(6, 29, "San Pedro y San Pablo"),
    FixedHoliday(7, 23, "Día de la Fuerza Aérea del Perú", 2023, "Ley 31822"),
    FixedHoliday(7, 28, "Día de la Independencia"),
    FixedHoliday(7, 29, "Día de la Gran Parada Militar"),
    FixedHoliday(8, 6, "Batalla de Junín", 2022, "Ley 31530"),
    FixedHoliday(8, 30, "Santa Rosa de Lima"),
    FixedHoliday(10, 8, "Combate de Angamos"),
    FixedHoliday(11, 1, "Todos los Santos"),
    FixedHoliday(12, 8, "Inmaculada Concepción"),
    FixedHoliday(12, 9, "Batalla de Ayacucho", 2022, "Ley 31381"),
    FixedHoliday(12, 25, "Navidad del Señor"),
)


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous "Meeus/Jones/Butcher" computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


def check_day(day: date, what: str = "fecha") -> date:
    """A date the office's records can hold: years FIRST_YEAR-LAST_YEAR. Every date a person
    or program gives (periods, the day of a cierre) is checked here before any arithmetic on
    it: a day after 9999-12-31 or an instant before 0001-01-01 overflows Python's dates."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput("invalid_date",
                           f"La fecha «{what}» ({day.isoformat()}) está fuera del rango "
                           f"admitido ({FIRST_YEAR}-{LAST_YEAR}).")
    return day


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput("invalid_date",
                           f"El año {year} está fuera del calendario ({FIRST_YEAR}-{LAST_YEAR}).")


def expected_holidays(year: int) -> dict[date, str]:
    """The national holidays of a year according to this module's own table."""
    easter = easter_sunday(year)
    found = {
        date(year, h.month, h.day): h.name
        for h in FIXED_HOLIDAYS
        if h.since is None or year >= h.since
    }
    found[easter - timedelta(days=3)] = "Jueves Santo"
    found[easter - timedelta(days=2)] = "Viernes Santo"
    return found


def package_holidays(year: int) -> dict[date, str]:
    """What the installed `holidays` package says (imported lazily: a slow import)."""
    from holidays.countries.peru import Peru

    return dict(Peru(years=year, language="es").items())


def holiday_corrections(year: int) -> tuple[dict[date, str], dict[date, str]]:
    """(added, removed): how the package's list is corrected for a year. Empty when right."""
    package = package_holidays(year)
    expected = expected_holidays(year)
    added = {d: name for d, name in expected.items() if d not in package}
    not_yet = {
        date(year, h.month, h.day)
        for h in FIXED_HOLIDAYS
        if h.since is not None and year < h.since
    }
    removed = {d: name for d, name in package.items() if d in not_yet and d not in expected}
    return added, removed


@functools.lru_cache(maxsize=64)
def national_holidays(year: int) -> Mapping[date, str]:
    """Peru's national holidays of a year (weekday or not), corrected as documented above."""
    _check_year(year)
    package = package_holidays(year)
    added, removed = holiday_corrections(year)
    merged = {d: name for d, name in package.items() if d not in removed}
    merged.update(added)
    return MappingProxyType(dict(sorted(merged.items())))


class DayScope(StrEnum):
    """Where an extra non-working day counts."""

    NACIONAL = "nacional"  # the whole country
    SECTOR_PUBLICO = "sector_publico"  # the public sector of the whole country (a decree)
    DEPARTAMENTO = "departamento"  # place: the department's ubigeo (2 digits, Cusco "08")
    PROVINCIA = "provincia"  # place: 4 digits
    DISTRITO = "distrito"  # place: 6 digits
    OFICINA = "oficina"  # place: the office's code
    # Stored before days had a place (issue 20): they counted for every office and still do;
    # no new day takes them.
    REGIONAL = "regional"
    LOCAL = "local"


EVERYWHERE = frozenset({DayScope.NACIONAL, DayScope.SECTOR_PUBLICO, DayScope.REGIONAL,
                        DayScope.LOCAL})
PLACE_DIGITS = {DayScope.DEPARTAMENTO: 2, DayScope.PROVINCIA: 4, DayScope.DISTRITO: 6}
NEW_SCOPES = tuple(s for s in DayScope if s not in (DayScope.REGIONAL, DayScope.LOCAL))
SCOPE_TEXT = {
    DayScope.NACIONAL: "nacional", DayScope.SECTOR_PUBLICO: "sector público (nacional)",
    DayScope.DEPARTAMENTO: "departamento", DayScope.PROVINCIA: "provincia",
    DayScope.DISTRITO: "distrito", DayScope.OFICINA: "oficina",
    DayScope.REGIONAL: "regional (sin lugar: todas las oficinas)",
    DayScope.LOCAL: "local (sin lugar: todas las oficinas)",
}
UBIGEO = re.compile(r"\d{6}")
OFFICE_CODE = re.compile(r"[A-Z0-9]{2,10}")


@dataclass(frozen=True)
class OfficePlace:
    """Where an office is: its code and its INEI ubigeo (6 digits; "" when not set)."""

    office_code: str
    ubigeo: str = ""


def check_scope(scope: object, place: object) -> tuple[DayScope, str]:
    """A new day's scope and place as stored, or a Spanish InvalidInput."""
    try:
        parsed = DayScope(str(scope))
    except ValueError:
        parsed = None
    if parsed is None or parsed not in NEW_SCOPES:
        raise InvalidInput("invalid_scope", f"Valor no permitido para «scope»: «{scope}». "
                                            f"Use uno de: {', '.join(NEW_SCOPES)}.")
    text = "" if place is None else str(place).strip().upper()
    if parsed in (DayScope.NACIONAL, DayScope.SECTOR_PUBLICO):
        if text:
            raise InvalidInput("invalid_scope", f"Un día de alcance «{parsed}» vale en todo el "
                                                "país: no lleva «place».")
        return parsed, ""
    if parsed is DayScope.OFICINA:
        if not OFFICE_CODE.fullmatch(text):
            raise InvalidInput("invalid_scope", "Un día de una oficina lleva en «place» su "
                                                "código (p. ej. «CAJ»).")
        return parsed, text
    digits = PLACE_DIGITS[parsed]
    if not re.fullmatch(rf"\d{{{digits}}}", text):
        raise InvalidInput("invalid_scope",
                           f"Un día de alcance «{parsed}» lleva en «place» el ubigeo del INEI "
                           f"de {digits} dígitos (p. ej. Cusco: «{'080101'[:digits]}»).")
    return parsed, text


def applies(scope: str, place: str, office: OfficePlace | None) -> bool:
    """Whether a day of this scope and place counts at `office` (None: no office in
    particular, central's national view: only the days of the whole country)."""
    try:
        parsed = DayScope(scope)
    except ValueError:
        return False  # a scope a newer version made: not this office's to guess
    if parsed in EVERYWHERE:
        return True
    if office is None:
        return False
    if parsed is DayScope.OFICINA:
        return place == office.office_code
    return bool(UBIGEO.fullmatch(office.ubigeo)) and office.ubigeo[:PLACE_DIGITS[parsed]] == place


def parse_cutoff(text: str) -> time | None:
    """The office's filing cut-off ("HH:MM", "" for none), or a Spanish InvalidInput."""
    text = str(text).strip()
    if not text:
        return None
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text)
    if match is None:
        raise InvalidInput("invalid_setting", "Indique la hora de cierre como HH:MM (p. ej. "
                                              "17:00), o déjela vacía.")
    return time(int(match[1]), int(match[2]))


class WorkingCalendar:
    """Working days of one office: weekdays that are neither national holidays nor in `extra`.

    `extra` maps each extra non-working date to its name (días no laborables, regional
    holidays); `tz` is the office's time zone, used to read the local date of a moment;
    `cutoff` the office's closing time for filings (None: a filing counts on its own date).
    """

    def __init__(self, extra: Mapping[date, str] | Iterable[date] = (), tz: ZoneInfo = LIMA,
                 cutoff: time | None = None) -> None:
        self.tz = tz
        self.cutoff = cutoff
        self._extra: dict[date, str] = (
            dict(extra) if isinstance(extra, Mapping)
            else dict.fromkeys(extra, "Día no laborable")
        )

    def non_working_reason(self, day: date) -> str | None:
        """Why a date is not a working day (Spanish), or None when it is one."""
        _check_year(day.year)
        holiday = national_holidays(day.year).get(day)
        if holiday is not None:
            return holiday
        if day in self._extra:
            return self._extra[day]
        if day.weekday() >= 5:
            return "Sábado" if day.weekday() == 5 else "Domingo"
        return None

    def is_working_day(self, day: date) -> bool:
        return self.non_working_reason(day) is None

    def next_working_day(self, day: date) -> date:
        """The first working day on or after `day`."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def local_date(self, moment: datetime | date) -> date:
        if isinstance(moment, datetime):
            if moment.tzinfo is None:
                raise ValueError("the filing moment must be timezone-aware")
            return moment.astimezone(self.tz).date()
        return moment

    def filing_day(self, moment: datetime | date) -> date:
        """The working day a filing made at `moment` counts as made on: its local date, the
        next day when later than the office's cut-off, then the next working day."""
        day = self.local_date(moment)
        if (self.cutoff is not None and isinstance(moment, datetime)
                and moment.astimezone(self.tz).time() > self.cutoff):
            day += timedelta(days=1)
        return self.next_working_day(day)

    def add_working_days(self, start: datetime | date, days: int) -> date:
        """The due date of a deadline of `days` working days filed at `start`.

        See the module docstring for the convention: the filing counts on its local date (the
        next day after the cut-off) or, on a non-working day, on the next working day; day 1
        is the working day after that; 0 days is the (effective) filing day itself.
        """
        if isinstance(days, bool) or not isinstance(days, int) or not (
                0 <= days <= MAX_DEADLINE_DAYS):
            raise InvalidInput("invalid_deadline",
                               f"El plazo debe ser un número entero de 0 a {MAX_DEADLINE_DAYS} "
                               "días hábiles.")
        day = self.filing_day(start)
        for _ in range(days):
            day = self.next_working_day(day + timedelta(days=1))
        return day

    def working_days_between(self, after: date, until: date) -> int:
        """How many working days lie in (after, until]."""
        count, day = 0, after + timedelta(days=1)
        while day <= until:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count


NATIONAL = WorkingCalendar()


def is_working_day(day: date, calendar: WorkingCalendar = NATIONAL) -> bool:
    return calendar.is_working_day(day)


def add_working_days(start_moment: datetime | date, days: int,
                     calendar: WorkingCalendar = NATIONAL) -> date:
    return calendar.add_working_days(start_moment, days)


def due_date(filed_at: datetime, deadline_days: int, calendar: WorkingCalendar) -> date:
    """The last day to decide an expediente filed at `filed_at` (aware) under a deadline.

    The office's calendar (its time zone and extra non-working days) decides; see the module
    docstring for how days are counted.
    """
    if filed_at.tzinfo is None:
        raise ValueError("filed_at must be timezone-aware")
    return calendar.add_working_days(filed_at, deadline_days)
