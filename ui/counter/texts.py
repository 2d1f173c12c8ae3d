"""The counter's Spanish wording and small formatting helpers (no Qt)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal

from kiosk.rules.queue import OUTCOMES, PREFERENTIAL_CATEGORIES, STATUS_LABELS, TicketStatus
from kiosk.services.expediente_views import FiledAppealView

OFFLINE = "Sin conexión con el hub, reintentando…"
NO_ONE_WAITING = "No hay personas en espera para esta ventanilla."

# Ticket outcomes when finishing (the hub's codes, shorter words on the buttons).
OUTCOME_LABELS: dict[str, str] = {
    "atendido": "Atendido",
    "observado": "Observado",
    "derivado": "Derivado",
    "desistio": "Desistió",
}
assert set(OUTCOME_LABELS) == set(OUTCOMES)

COUNTER_STATES = {"open": "Abierta", "paused": "En pausa", "closed": "Cerrada"}

PAUSE_REASONS = ("Refrigerio", "Consulta con el supervisor", "Problema técnico",
                 "Trámite interno", "Servicios higiénicos")

# Expediente actions: button text and keyboard shortcut (Alt + the letter shown).
ACTION_LABELS: dict[str, tuple[str, str]] = {
    "observe": ("Observar", "Alt+O"),
    "correct": ("Subsanación", "Alt+S"),
    "derive": ("Derivar", "Alt+D"),
    "inspect": ("Inspección ITSE", "Alt+I"),
    "review": ("Dictamen Comisión Técnica", "Alt+T"),
    "link_acta": ("Vincular acta", "Alt+V"),
    "approve": ("Aprobar", "Alt+A"),
    "deny": ("Denegar", "Alt+G"),
    "deliver": ("Entregar", "Alt+E"),
    "cancel": ("Anular", "Alt+X"),
}

# What the clerk confirms on the transition form.
ACTION_TITLES: dict[str, str] = {
    "observe": "Observar el expediente (el ciudadano tiene 2 días hábiles para subsanar)",
    "correct": "Registrar la subsanación de las observaciones",
    "derive": "Derivar el expediente a un área",
    "inspect": "Registrar la inspección técnica (ITSE)",
    "review": "Registrar el dictamen de la Comisión Técnica sobre el proyecto",
    "link_acta": "Vincular el acta que encontró el archivo",
    "approve": "Aprobar el expediente",
    "deny": "Denegar el expediente",
    "deliver": "Entregar el documento al ciudadano",
    "cancel": "Anular el expediente",
}

# Actions whose note is mandatory: the citizen must learn why.
NOTE_REQUIRED = frozenset({"observe", "deny", "cancel"})

# Recursos against the decision (kiosk/rules/appeals.py): the form's choices.
APPEAL_KINDS = {"reconsideracion": "Reconsideración (la misma autoridad)",
                "apelacion": "Apelación (el superior jerárquico)"}


def appeal_text(appeal: FiledAppealView) -> str:
    """One line for the recurso on an expediente: in process (late or not) or decided."""
    head = f"Recurso de {appeal.kind_text.lower()} contra {appeal.against}"
    if appeal.outcome_text is None:
        late = " — VENCIDO, sin resolver" if appeal.overdue else ""
        return (f"{head}: en trámite, resuelve {appeal.authority} hasta el "
                f"{day_text(appeal.due_date)}{late}.")
    return f"{head}: {appeal.outcome_text.lower()}" + (
        f" ({appeal.resolution})." if appeal.resolution else ".")


INSPECTION_RESULTS = {"conforme": "Conforme", "no_conforme": "No conforme"}
# Who reviews the project of an edificación C or D (short: the filing form is narrow).
EVALUACIONES = {"comision_tecnica": "Comisión Técnica", "revisores_urbanos": "Revisores Urbanos"}
DICTAMEN_RESULTS = {"conforme": "Conforme",
                    "conforme_con_observaciones": "Conforme con observaciones",
                    "no_conforme": "No conforme"}

AREAS = ("Registro Civil", "Desarrollo Económico", "Desarrollo Urbano", "Defensa Civil",
         "Asesoría Jurídica", "Rentas")

PAYMENT_METHODS = {"efectivo": "Efectivo", "banco_nacion": "Banco de la Nación"}
# How a receipt was settled, in lists: the methods a clerk chooses, and an exemption's S/ 0.00.
RECEIPT_METHODS = {**PAYMENT_METHODS, "exonerado": "Exonerado"}

DOC_TYPES = {"DNI": "DNI", "CE": "Carné de extranjería",
             "CPP": "Carné de permiso temporal (CPP/PTP)", "PAS": "Pasaporte"}

RELATIONS = {
    "titular": "Titular",
    "padre_madre": "Padre o madre",
    "conyuge": "Cónyuge",
    "hijo": "Hijo o hija",
    "hermano": "Hermano o hermana",
    "apoderado": "Apoderado (carta poder)",
    "otro": "Otro",
}

DELIVERIES = {"ventanilla": "En ventanilla", "domicilio": "A domicilio"}

RISKS = {"bajo": "Riesgo bajo", "medio": "Riesgo medio", "alto": "Riesgo alto",
         "muy_alto": "Riesgo muy alto"}

ACTA_KINDS = {"nacimiento": "Nacimiento", "matrimonio": "Matrimonio", "defuncion": "Defunción"}

CATEGORY_LABELS = {
    "partida": "Partida",
    "licencia_funcionamiento": "Licencia de funcionamiento",
    "licencia_edificacion": "Licencia de edificación",
    "otro": "Otro trámite",
}

ATTACHMENT_TYPES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPG"}

CENT = Decimal("0.01")


def size_text(size: int) -> str:
    """`512 B`, `340 KB`, `1.2 MB` (1 KB = 1024 bytes, as the hub's limit)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def ticket_status(status: str) -> str:
    try:
        return STATUS_LABELS[TicketStatus(status)].capitalize()
    except ValueError:
        return status


def preferential_text(category: str | None) -> str:
    if not category:
        return ""
    return "Preferencial: " + PREFERENTIAL_CATEGORIES.get(category, category)


def soles(amount: Decimal | None) -> str:
    if amount is None:
        return "—"
    return f"S/ {amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def day_text(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day is not None else "—"


def time_text(moment: datetime | None, tz: tzinfo | None = None) -> str:
    if moment is None:
        return "—"
    if tz is not None and moment.tzinfo is not None:
        moment = moment.astimezone(tz)
    return moment.strftime("%d/%m/%Y %H:%M")


def clock_text(moment: datetime | None, tz: tzinfo | None = None) -> str:
    if moment is None:
        return "—"
    if tz is not None and moment.tzinfo is not None:
        moment = moment.astimezone(tz)
    return moment.strftime("%H:%M")


def waited_text(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    minutes = seconds // 60
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def days_text(days: int) -> str:
    if days <= 0:
        return "el mismo día"
    return "1 día hábil" if days == 1 else f"{days} días hábiles"


def parse_soles(text: str) -> Decimal | None:
    """`12.5`, `12,50`, `S/ 1,234.50` → Decimal with two decimals; None when not a number."""
    cleaned = text.strip().replace("S/", "").replace(" ", "")
    if not cleaned:
        return None
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # a comma typed as the decimal mark
    cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        return None
    if not value.is_finite():
        return None
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
