"""Wording shared by the expediente's documents, thermal and A4: dates, codes, methods, deadlines.

Everything here is a pure function of the views (kiosk.services.expediente_views): no clock, no
hub, so the same expediente always prints the same words.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from kiosk.rules.comision_tecnica import EVALUACION_TEXT
from kiosk.rules.expedientes import format_tracking_code
from kiosk.services.expediente_views import (
    ExpedienteEventView,
    ExpedienteView,
    PersonView,
)

DEFAULT_TIMEZONE = "America/Lima"

METHOD_TEXT = {"efectivo": "Efectivo", "banco_nacion": "Banco de la Nación"}
DOC_TYPE_TEXT = {"DNI": "DNI", "CE": "C.E.", "CPP": "CPP", "PAS": "Pasaporte", "RUC": "RUC"}
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre")
RELATION_TEXT = {
    "titular": "Titular", "padre_madre": "Padre o madre", "conyuge": "Cónyuge",
    "hijo": "Hijo(a)", "hermano": "Hermano(a)", "apoderado": "Apoderado(a)", "otro": "Otro",
}
DELIVERY_TEXT = {"ventanilla": "En ventanilla", "domicilio": "A domicilio"}
RISK_TEXT = {"bajo": "Bajo", "medio": "Medio", "alto": "Alto", "muy_alto": "Muy alto"}


def method_text(method: str) -> str:
    """`efectivo` -> "Efectivo", `banco_nacion` -> "Banco de la Nación" (else as given)."""
    return METHOD_TEXT.get(method, method.replace("_", " ").capitalize())


def local(when: datetime, timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """`when` in the office's zone; a naive time is taken as already local."""
    return when.astimezone(ZoneInfo(timezone)) if when.tzinfo is not None else when


def short_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def long_date(day: date) -> str:
    """ "20 de noviembre de 2026" (no locale needed)."""
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def clock_time(when: datetime, timezone: str = DEFAULT_TIMEZONE) -> str:
    return local(when, timezone).strftime("%H:%M")


def date_time(when: datetime, timezone: str = DEFAULT_TIMEZONE) -> str:
    """ "20/11/2026 08:15" in the office's zone."""
    return local(when, timezone).strftime("%d/%m/%Y %H:%M")


def grouped(code: str) -> str:
    """A tracking code as people read it: the core's grouping, «7K3QD-9XM2A-VB8»."""
    return format_tracking_code("".join(code.split()).upper())


def days_text(days: int) -> str:
    if days <= 0:
        return "el mismo día"
    return "1 día hábil" if days == 1 else f"{days} días hábiles"


def person_document(person: PersonView) -> str:
    return f"{DOC_TYPE_TEXT.get(person.doc_type, person.doc_type)} {person.doc_number}"


def applicant_document(expediente: ExpedienteView) -> str | None:
    """The applicant's document: the RUC of a business, else the person's DNI/C.E./passport."""
    if expediente.business is not None:
        return f"RUC {expediente.business.ruc}"
    if expediente.person is not None:
        return person_document(expediente.person)
    return None


def representative(expediente: ExpedienteView) -> str | None:
    """The person who filed for a business ("Juan Pérez (DNI 41234567)")."""
    if expediente.business is None or expediente.person is None:
        return None
    return f"{expediente.person.full_name} ({person_document(expediente.person)})"


def received_event(expediente: ExpedienteView) -> ExpedienteEventView | None:
    return next((e for e in expediente.events if e.kind == "received"), None)


def who_and_where(who: str | None, where: str | None) -> str:
    """ "Rosa Chávez – Ventanilla 3"; a bare counter number reads "Ventanilla 3"."""
    if where and where.isdigit():
        where = f"Ventanilla {where}"
    return " – ".join(part for part in (who, where) if part)


def acta_title(kind: str, kind_text: str = "") -> str:
    """ "ACTA DE NACIMIENTO" / "MATRIMONIO" / "DEFUNCIÓN"."""
    names = {"nacimiento": "NACIMIENTO", "matrimonio": "MATRIMONIO", "defuncion": "DEFUNCIÓN"}
    return f"ACTA DE {names.get(kind, kind_text.upper() or kind.upper())}"


def detail_rows(expediente: ExpedienteView) -> list[tuple[str, str]]:
    """The procedure-specific facts worth printing on the cargo, as (label, value)."""
    details = expediente.details or {}
    rows: list[tuple[str, str]] = []

    def add(label: str, value: object) -> None:
        if value is not None and str(value).strip():
            rows.append((label, str(value).strip()))

    kind = details.get("kind", expediente.category)
    if kind == "partida":
        acta = expediente.acta
        if acta is not None:
            add("Acta", f"{acta.kind_text} N.° {acta.acta_number} — {acta.titular_name}")
        else:
            add("Búsqueda", details.get("search_note") or "Acta por ubicar")
        relation = details.get("relation")
        add("Relación", RELATION_TEXT.get(str(relation), relation) if relation else None)
        add("Copias", details.get("copies"))
        delivery = details.get("delivery")
        if delivery == "domicilio":
            add("Entrega", f"A domicilio: {details.get('delivery_address') or ''}".strip(" :"))
        elif delivery:
            add("Entrega", DELIVERY_TEXT.get(str(delivery), delivery))
    elif kind == "licencia_funcionamiento":
        add("Establecimiento", details.get("establishment_address"))
        add("Giro", details.get("activity"))
        area = details.get("area_m2")
        add("Área del local", f"{area} m²" if area is not None else None)
        risk = details.get("risk")
        add("Nivel de riesgo", RISK_TEXT.get(str(risk), risk) if risk else None)
    elif kind == "licencia_edificacion":
        add("Modalidad", details.get("modalidad"))
        add("Obra", details.get("work_address"))
        add("Descripción", details.get("description"))
        professional = details.get("professional_name")
        registration = details.get("professional_registration")
        if professional:
            add("Profesional", f"{professional} ({registration})" if registration
                else professional)
        evaluacion = details.get("evaluacion")
        if evaluacion:
            add("Evaluación", EVALUACION_TEXT.get(str(evaluacion), evaluacion))
        add("Informe técnico favorable", details.get("informe_revisores"))
    return rows
