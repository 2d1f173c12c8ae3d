"""The supervisor window's Spanish wording, periods and number formats (no Qt).

Numbers read as the office's printed report reads them (printing/pdf/report.py): thousands
with a comma, one decimal, «—» where there is no data; minutes with one decimal as in the
CSV and XLSX tables (kiosk.services.report.minutes).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from kiosk.shared_views import minutes

OFFLINE = "Sin conexión con el hub, reintentando…"
EMPTY = "—"
NO_DATA = "Sin datos en el periodo"

# The period picker: today, this week (Monday on), this month, or two dates.
PERIODS = {"today": "Hoy", "week": "Esta semana", "month": "Este mes",
           "custom": "Fechas…"}

SEVERITIES = {"critical": "Crítica", "warning": "Advertencia"}
ALERT_KINDS = {"sla": "Espera", "no_counter": "Sin ventanilla abierta",
               "idle_counter": "Ventanilla libre", "printer": "Impresora",
               "sync": "Sincronización", "config": "Configuración", "voice": "Voz"}
COUNTER_STATES = {"open": "Abierta", "paused": "En pausa", "closed": "Cerrada"}
ATTENTION_KINDS = {"push": "Rechazado por la central", "pull": "No aplicado en la oficina"}
SCORE_WORDS = ("Muy mala", "Mala", "Regular", "Buena", "Muy buena")

# What the person sees when the device's credential is not a supervisor's.
ROLE_HINT = ("Esta ventana necesita una credencial de supervisor o administrador "
             "(cac device add --role supervisor).")


def number(value: int | float | None) -> str:
    """1,234 · 12.5 · «—»."""
    if value is None:
        return EMPTY
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.1f}"


def mins(seconds: float | None) -> str:
    """Seconds as the tables' minutes: «7.5», or «—»."""
    return number(minutes(seconds))


def pct(value: float | None) -> str:
    return EMPTY if value is None else f"{value:.1f} %"


def wait_text(seconds: float | None) -> str:
    """A wait for people: «45 s», «12 min», «1 h 05 min»."""
    if seconds is None:
        return EMPTY
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    whole = total // 60
    if whole < 60:
        return f"{whole} min"
    return f"{whole // 60} h {whole % 60:02d} min"


def clock_text(moment: datetime | None, tz: tzinfo | None = None) -> str:
    if moment is None:
        return EMPTY
    return moment.astimezone(tz).strftime("%H:%M")


def day_text(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def period_dates(kind: str, today: date, custom: tuple[date, date] | None = None
                 ) -> tuple[date, date]:
    """The first and last day of a period of the picker, by the hub's business date."""
    if kind == "today":
        return today, today
    if kind == "week":
        return today - timedelta(days=today.weekday()), today
    if kind == "month":
        return today.replace(day=1), today
    if custom is None:
        return today, today
    start, end = custom
    return (start, end) if start <= end else (end, start)


def period_text(date_from: date, date_to: date) -> str:
    if date_from == date_to:
        return day_text(date_from)
    return f"{day_text(date_from)} – {day_text(date_to)}"


def export_name(what: str, date_from: date, date_to: date, extension: str,
                office: str | None = None) -> str:
    """A file name that says what and when: «por_servicio_CAJ_2026-11-01_2026-11-20.csv»."""
    parts = [what, *([office] if office else []), date_from.isoformat()]
    if date_to != date_from:
        parts.append(date_to.isoformat())
    return "_".join(parts) + "." + extension
