"""TUPA procedures: categories, calificación, and the checks a procedure definition must pass.

A procedure (code, name, category, area, service) has versions; each version carries the
terms that a filing keeps for life: fee, deadline in working days, calificación and the
numbered requirements (RSGP 005-2018-PCM-SGP format, PERU-RULES.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from kiosk.errors import InvalidInput
from kiosk.rules.calendar import MAX_DEADLINE_DAYS
from kiosk.rules.money import Fee


class Category(StrEnum):
    PARTIDA = "partida"
    LICENCIA_FUNCIONAMIENTO = "licencia_funcionamiento"
    LICENCIA_EDIFICACION = "licencia_edificacion"
    OTRO = "otro"


# Lists show categories in this order (the order of a CAC's own leaflets), then by name.
CATEGORY_ORDER = {category: rank for rank, category in enumerate(Category)}

CATEGORY_NAMES = {
    Category.PARTIDA: "Partidas (Registro Civil)",
    Category.LICENCIA_FUNCIONAMIENTO: "Licencias de funcionamiento",
    Category.LICENCIA_EDIFICACION: "Licencias de edificación",
    Category.OTRO: "Otros trámites",
}


class Calificacion(StrEnum):
    APROBACION_AUTOMATICA = "aprobacion_automatica"
    SILENCIO_POSITIVO = "evaluacion_previa_silencio_positivo"
    SILENCIO_NEGATIVO = "evaluacion_previa_silencio_negativo"


# Which kinds a category has (`variant` of a procedure): rules key on it, never on the name.
VARIANTS: dict[Category, tuple[str, ...]] = {
    Category.PARTIDA: ("nacimiento", "matrimonio", "defuncion"),
    Category.LICENCIA_FUNCIONAMIENTO: ("bajo", "medio", "alto", "muy_alto"),
    Category.LICENCIA_EDIFICACION: ("A", "B", "C", "D"),
    Category.OTRO: (),
}

VARIANT_LABEL = {
    Category.PARTIDA: "el tipo de partida",
    Category.LICENCIA_FUNCIONAMIENTO: "el nivel de riesgo",
    Category.LICENCIA_EDIFICACION: "la modalidad",
}


def check_variant(category: Category, variant: object) -> str | None:
    """The variant of a procedure of `category`, checked; None when the file does not give one.

    «otro» has no variants; a partida names its acta, a licencia de funcionamiento its risk
    level, an edificación its modalidad.
    """
    if variant is None:
        return None
    choices = VARIANTS[category]
    if not choices:
        raise InvalidInput("invalid_procedure",
                           f"Un trámite de categoría «{category}» no lleva «variant».")
    if variant not in choices:
        raise InvalidInput(
            "invalid_procedure",
            f"Valor no permitido para «variant» ({VARIANT_LABEL[category]}): «{variant}». "
            f"Use uno de: {', '.join(choices)}.")
    assert isinstance(variant, str)
    return variant


CALIFICACION_TEXT = {
    Calificacion.APROBACION_AUTOMATICA: "Aprobación automática",
    Calificacion.SILENCIO_POSITIVO: "Evaluación previa — silencio positivo",
    Calificacion.SILENCIO_NEGATIVO: "Evaluación previa — silencio negativo",
}

CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,19}")
MAX_NAME = 200
MAX_AREA = 120
MAX_REQUIREMENT = 300
MAX_REQUIREMENTS = 40


def normalize_code(code: str) -> str:
    """Procedure codes are compared in capitals: «lf-01» and «LF-01» are one procedure."""
    normal = code.strip().upper() if isinstance(code, str) else ""
    if not CODE_PATTERN.fullmatch(normal):
        raise InvalidInput(
            "invalid_procedure_code",
            f"Código de trámite no válido «{code}»: de 1 a 20 letras, números, «.», «-» o «_».",
        )
    return normal


@dataclass(frozen=True)
class Requirement:
    text: str
    mandatory: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "mandatory": self.mandatory}


class AppealKind(StrEnum):
    RECONSIDERACION = "reconsideracion"
    APELACION = "apelacion"


APPEAL_NAMES = {
    AppealKind.RECONSIDERACION: "Reconsideración",
    AppealKind.APELACION: "Apelación",
}


@dataclass(frozen=True)
class Appeal:
    """An appeal the TUPA row offers against the decision (RSGP 005-2018-PCM-SGP format)."""

    kind: AppealKind
    authority: str  # who decides the appeal
    filing_working_days: int  # to file it, from the notification of the decision
    resolution_working_days: int  # to decide it

    def to_json(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "authority": self.authority,
                "filing_working_days": self.filing_working_days,
                "resolution_working_days": self.resolution_working_days}

    @classmethod
    def from_json(cls, row: Mapping[str, Any]) -> Appeal:
        return cls(AppealKind(row["kind"]), str(row["authority"]),
                   int(row["filing_working_days"]), int(row["resolution_working_days"]))


@dataclass(frozen=True)
class Terms:
    """The versioned part of a procedure: what a filing is bound to."""

    fee: Fee
    deadline_working_days: int
    calificacion: Calificacion
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class ProcedureDefinition:
    code: str
    name: str
    category: Category
    area: str
    service: str | None
    effective_from: date
    terms: Terms
    variant: str | None = None  # None: the file does not say (a stored one is kept)
    # Who decides, and the appeals; None: the file does not say (the stored ones are kept).
    authority: str | None = None
    appeals: tuple[Appeal, ...] | None = None


def _text(row: Mapping[str, Any], field: str, limit: int, *, required: bool = True
          ) -> str | None:
    value = row.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("invalid_procedure", f"Falta el texto del campo «{field}».")
    value = " ".join(value.split())
    if len(value) > limit:
        raise InvalidInput("invalid_procedure",
                           f"El campo «{field}» excede {limit} caracteres.")
    return value


def _choice(row: Mapping[str, Any], field: str, kind: type[StrEnum]) -> Any:
    value = row.get(field)
    try:
        return kind(value if isinstance(value, str) else "")
    except ValueError:
        raise InvalidInput(
            "invalid_procedure",
            f"Valor no permitido para «{field}»: «{value}». Use uno de: {', '.join(kind)}.",
        ) from None


def _date(value: object, field: str) -> date:
    if isinstance(value, datetime):
        raise InvalidInput("invalid_procedure",
                           f"«{field}» es una fecha sin hora (AAAA-MM-DD).")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidInput("invalid_procedure",
                       f"«{field}» debe ser una fecha AAAA-MM-DD, no «{value}».")


def parse_requirements(raw: object) -> tuple[Requirement, ...]:
    if not isinstance(raw, list) or not raw:
        raise InvalidInput("invalid_procedure",
                           "«requirements» debe ser una lista con al menos un requisito.")
    if len(raw) > MAX_REQUIREMENTS:
        raise InvalidInput("invalid_procedure",
                           f"Un trámite admite como máximo {MAX_REQUIREMENTS} requisitos.")
    found = []
    for number, item in enumerate(raw, start=1):
        row = {"text": item} if isinstance(item, str) else item
        if not isinstance(row, Mapping):
            raise InvalidInput("invalid_procedure",
                               f"El requisito {number} debe tener «text» y «mandatory».")
        unknown = set(row) - {"text", "mandatory"}
        if unknown:
            raise InvalidInput("invalid_procedure",
                               f"Dato desconocido en el requisito {number}: "
                               f"«{sorted(unknown)[0]}».")
        try:
            text = _text(row, "text", MAX_REQUIREMENT)
        except InvalidInput as exc:
            raise InvalidInput(exc.code, f"Requisito {number}: {exc.message}") from None
        mandatory = row.get("mandatory", True)
        if not isinstance(mandatory, bool):
            raise InvalidInput("invalid_procedure",
                               f"Requisito {number}: «mandatory» debe ser true o false.")
        assert text is not None
        found.append(Requirement(text, mandatory))
    return tuple(found)


PROCEDURE_FIELDS = frozenset({
    "code", "name", "category", "area", "service", "effective_from", "fee_kind", "fee_value",
    "deadline_working_days", "calificacion", "requirements", "variant", "authority",
    *AppealKind,
})
APPEAL_FIELDS = frozenset({"authority", "filing_working_days", "resolution_working_days"})


def _days(row: Mapping[str, Any], field: str, default: int | None, where: str) -> int:
    value = row.get(field, default)
    if isinstance(value, bool) or not isinstance(value, int) or not (
            1 <= value <= MAX_DEADLINE_DAYS):
        raise InvalidInput("invalid_procedure",
                           f"{where}: «{field}» debe ser un número entero de días hábiles entre "
                           f"1 y {MAX_DEADLINE_DAYS}.")
    return value


def parse_appeals(row: Mapping[str, Any], authority: str | None,
                  defaults: tuple[int, int] | None) -> tuple[Appeal, ...] | None:
    """The [procedures.reconsideracion] and [procedures.apelacion] tables of a row, in that
    order; None when the row has neither. A reconsideración is decided by the procedure's own
    authority unless it says otherwise; missing days are the law's `defaults` (filing,
    resolution)."""
    found = []
    for kind in AppealKind:
        raw = row.get(str(kind))
        if raw is None:
            continue
        where = f"[procedures.{kind}]"
        if not isinstance(raw, Mapping):
            raise InvalidInput("invalid_procedure",
                               f"«{kind}» debe ser una tabla ({where}) con «authority», "
                               "«filing_working_days» y «resolution_working_days».")
        unknown = set(raw) - APPEAL_FIELDS
        if unknown:
            raise InvalidInput("invalid_procedure",
                               f"{where}: dato desconocido «{sorted(unknown)[0]}».")
        if authority is None:
            raise InvalidInput("invalid_procedure",
                               f"{where}: indique también la autoridad que resuelve el trámite "
                               "(«authority»).")
        own = authority if kind is AppealKind.RECONSIDERACION else None
        try:
            by = _text(raw, "authority", MAX_AREA, required=own is None) or own
        except InvalidInput as exc:
            raise InvalidInput(exc.code, f"{where}: {exc.message}") from None
        assert by is not None
        filing, resolution = defaults or (None, None)
        found.append(Appeal(kind, by, _days(raw, "filing_working_days", filing, where),
                            _days(raw, "resolution_working_days", resolution, where)))
    return tuple(found) if found else None


def parse_definition(row: Mapping[str, Any], appeal_defaults: tuple[int, int] | None = None
                     ) -> ProcedureDefinition:
    """Check one procedure as a catalogue file states it; errors name the field, in Spanish.

    `appeal_defaults`: the days to file and to decide an appeal when the row leaves them out
    (the law's, kiosk.rules.tupa_law.APPEAL_LAW); without them the row must give them."""
    unknown = set(row) - PROCEDURE_FIELDS
    if unknown:
        raise InvalidInput("invalid_procedure", f"Dato desconocido «{sorted(unknown)[0]}».")
    for field in ("code", "fee_kind", "fee_value", "deadline_working_days", "calificacion",
                  "effective_from"):
        if field not in row:
            raise InvalidInput("invalid_procedure", f"Falta el dato «{field}».")
    code = normalize_code(row["code"])
    name = _text(row, "name", MAX_NAME)
    area = _text(row, "area", MAX_AREA)
    service = _text(row, "service", 20, required=False)
    deadline = row["deadline_working_days"]
    if isinstance(deadline, bool) or not isinstance(deadline, int) or not (
            0 <= deadline <= MAX_DEADLINE_DAYS):
        raise InvalidInput("invalid_procedure",
                           "«deadline_working_days» debe ser un número entero de días hábiles "
                           f"entre 0 y {MAX_DEADLINE_DAYS}.")
    try:
        fee = Fee.parse(str(row["fee_kind"]), row["fee_value"])
    except InvalidInput as exc:
        raise InvalidInput("invalid_procedure", exc.message) from None
    assert name is not None and area is not None
    category = _choice(row, "category", Category)
    authority = _text(row, "authority", MAX_AREA, required=False)
    return ProcedureDefinition(
        code=code,
        name=name,
        category=category,
        area=area,
        service=service,
        effective_from=_date(row["effective_from"], "effective_from"),
        terms=Terms(
            fee=fee,
            deadline_working_days=deadline,
            calificacion=_choice(row, "calificacion", Calificacion),
            requirements=parse_requirements(row.get("requirements")),
        ),
        variant=check_variant(category, row.get("variant")),
        authority=authority,
        appeals=parse_appeals(row, authority, appeal_defaults),
    )
