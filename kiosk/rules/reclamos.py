"""The Libro de Reclamaciones: what a reclamo is, its number, the entity's answer deadline, what
is not a reclamo and where it goes, and the kiosk's anonymous suggestions box.

Pure rules (no database); the figures are data with their source (docs/decisions.md, record 38):

- A reclamo is a person's dissatisfaction with the attention or the service the entity gave
  (DS 007-2020-PCM, which replaced DS 042-2011-PCM). Its categories are the ones that decree
  lists: trato profesional, información, tiempo de atención, acceso, resultado, confianza and
  otros. It is not a queja por defectos de tramitación, a denuncia, an appeal nor the follow-up
  of an expediente: `NOT_RECLAMOS` says where each of those goes, and the forms show it.
- Its number is yearly per office: «CAJ-LR-2026-000001» (LR: Libro de Reclamaciones), issued
  by the hub alone like every human number (ARCHITECTURE §4), never reused.
- The answer is due `ANSWER_WORKING_DAYS` working days after the filing, counted on the
  office's calendar like any deadline (kiosk/rules/calendar.py). DS 042-2011-PCM set 30
  working days; reports of DS 007-2020-PCM say 30 days too, but the decree's own article was
  not read here: the figure stays marked unconfirmed until someone checks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from kiosk.errors import InvalidInput
from kiosk.rules.calendar import WorkingCalendar


@dataclass(frozen=True)
class ReclamoTerm:
    """A figure the Libro de Reclamaciones uses, with where it comes from."""

    value: int
    source: str
    confirmed: bool


ANSWER_WORKING_DAYS = ReclamoTerm(
    30, "DS 042-2011-PCM (30 días hábiles); DS 007-2020-PCM vigente: la prensa informa 30 "
        "días, el artículo del decreto no se verificó", confirmed=False)

SERIES = "LR"  # the year sequence of reclamos (kiosk/storage/tables.py YearSequence)


class Category(StrEnum):
    TRATO = "trato_profesional"
    INFORMACION = "informacion"
    TIEMPO = "tiempo_atencion"
    ACCESO = "acceso"
    RESULTADO = "resultado"
    CONFIANZA = "confianza"
    OTROS = "otros"


CATEGORY_TEXT = {
    Category.TRATO: "Trato profesional durante la atención",
    Category.INFORMACION: "Información",
    Category.TIEMPO: "Tiempo de atención",
    Category.ACCESO: "Acceso a la atención o al servicio",
    Category.RESULTADO: "Resultado de la atención",
    Category.CONFIANZA: "Confianza en la entidad",
    Category.OTROS: "Otros",
}


# The same, short enough for a kiosk's button.
CATEGORY_SHORT = {
    Category.TRATO: "Trato profesional",
    Category.INFORMACION: "Información",
    Category.TIEMPO: "Tiempo de atención",
    Category.ACCESO: "Acceso",
    Category.RESULTADO: "Resultado",
    Category.CONFIANZA: "Confianza",
    Category.OTROS: "Otros",
}


class Channel(StrEnum):
    KIOSCO = "kiosco"
    VENTANILLA = "ventanilla"


class Delivery(StrEnum):
    """How the answer reached the citizen (the supervisor records it with the answer)."""

    CORREO = "correo_electronico"
    DOMICILIO = "domicilio"
    OFICINA = "en_oficina"


DELIVERY_TEXT = {
    Delivery.CORREO: "Correo electrónico",
    Delivery.DOMICILIO: "Carta al domicilio",
    Delivery.OFICINA: "Entregada en la oficina",
}


class Status(StrEnum):
    ABIERTO = "abierto"
    RESPONDIDO = "respondido"


@dataclass(frozen=True)
class Elsewhere:
    """Something a citizen may take for a reclamo that goes another way."""

    what: str
    where: str


NOT_RECLAMOS = (
    Elsewhere("Queja por defectos de tramitación (un trámite paralizado o un plazo "
              "incumplido)",
              "Se presenta por mesa de partes ante el superior de quien tramita "
              "(TUO de la Ley 27444, art. 169)."),
    Elsewhere("Denuncia por actos de corrupción",
              "Plataforma Digital Única de Denuncias del Ciudadano (denuncias.servicios.gob.pe)"
              " o el Órgano de Control Institucional."),
    Elsewhere("Desacuerdo con una resolución (reconsideración o apelación)",
              "Recurso administrativo por mesa de partes (TUO de la Ley 27444, art. 218)."),
    Elsewhere("Seguimiento de un expediente",
              "«Consultar expediente» en el quiosco de la oficina, o la ventanilla de "
              "orientación."),
)


class SuggestionCategory(StrEnum):
    ATENCION = "atencion"
    INSTALACIONES = "instalaciones"
    TRAMITES = "tramites"
    INFORMACION = "informacion"
    OTROS = "otros"


SUGGESTION_TEXT = {
    SuggestionCategory.ATENCION: "Atención del personal",
    SuggestionCategory.INSTALACIONES: "Instalaciones",
    SuggestionCategory.TRAMITES: "Trámites y requisitos",
    SuggestionCategory.INFORMACION: "Información",
    SuggestionCategory.OTROS: "Otros",
}

# The columns of the export, in order: the fields of the hoja de reclamación the PCM's
# platform registers (DS 007-2020-PCM). The platform publishes no import file format, so these
# are named after the hoja's own fields (docs/decisions.md, record 38).
EXPORT_COLUMNS = (
    "numero_reclamo", "fecha_registro", "hora_registro", "canal", "oficina",
    "tipo_documento", "numero_documento", "nombres_apellidos", "domicilio", "telefono",
    "correo_electronico", "categoria", "descripcion", "pedido", "fecha_limite_respuesta",
    "estado", "fecha_respuesta", "respuesta", "medio_notificacion",
)


def reclamo_number(office_code: str, year: int, seq: int) -> str:
    return f"{office_code}-{SERIES}-{year}-{seq:06d}"


def parse_category(value: object) -> Category:
    try:
        return Category(str(value))
    except ValueError:
        raise InvalidInput("invalid_category",
                           "Elija la categoría del reclamo: "
                           + ", ".join(CATEGORY_TEXT.values()) + ".") from None


def parse_delivery(value: object) -> Delivery:
    try:
        return Delivery(str(value))
    except ValueError:
        raise InvalidInput("invalid_delivery",
                           "Indique cómo se entregó la respuesta: "
                           + ", ".join(DELIVERY_TEXT.values()) + ".") from None


def parse_suggestion_category(value: object) -> SuggestionCategory:
    try:
        return SuggestionCategory(str(value))
    except ValueError:
        raise InvalidInput("invalid_category",
                           "Elija el tema de su sugerencia: "
                           + ", ".join(SUGGESTION_TEXT.values()) + ".") from None


def answer_due(filed_at: datetime, calendar: WorkingCalendar,
               term: ReclamoTerm = ANSWER_WORKING_DAYS) -> date:
    """The last day for the entity's answer to a reclamo filed at `filed_at` (aware): `term`
    working days on the office's calendar, counted like every deadline (a filing after the
    office's cut-off or on a non-working day counts from the next working day)."""
    if filed_at.tzinfo is None:
        raise ValueError("filed_at must be timezone-aware")
    return calendar.add_working_days(filed_at, term.value)


def is_overdue(due: date, today: date, answered: bool) -> bool:
    """An open reclamo whose answer day has passed."""
    return not answered and today > due
