"""The office's civil registry index: actas of birth, marriage and death (partidas).

An acta is entered once (at the counter by a supervisor, from a CSV file of the books, or by
the demo) and never edited here; each one is an event of the office's chain. Checks, in Spanish:
dates not in the future, the registration not before the event, a marriage names both spouses
(and only a marriage has a spouse), one acta per kind and number.

CSV files (`cac actas import`): UTF-8 (a BOM is fine), a header row, comma or semicolon
separated, dates as AAAA-MM-DD or DD/MM/AAAA. Columns (Spanish, or the ActaInput field names):
tipo, numero_acta, libro, folio, fecha_hecho, fecha_inscripcion, lugar, nombres,
apellido_paterno, apellido_materno, conyuge_nombres, conyuge_apellido_paterno,
conyuge_apellido_materno, padre, madre. A file is imported whole or not at all: every wrong
line is reported with its line number and column. Actas already registered with the same data
are skipped, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from pydantic import ValidationError
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.ids import new_id
from kiosk.rules.expedientes import ACTA_KIND_TEXT, ADULT_AGE, age_on
from kiosk.rules.names import fold, full_name, search_key
from kiosk.seed.names import PeopleGenerator
from kiosk.services import search
from kiosk.services.expediente_views import ActaInput, ActaView
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.services.views import View
from kiosk.storage.tables import Acta

_EVENT_TEXT = {"nacimiento": "nacimiento", "matrimonio": "matrimonio", "defuncion": "defunción"}
OLDEST_YEAR = 1850
DEMO_ACTAS = 300
DEMO_SEED = 2026
MAX_IMPORT_BYTES = 50 * 1024 * 1024
MAX_ERRORS_SHOWN = 20

ACTAS = cast(Table, Acta.__table__)

_ACTA_NUMBER = re.compile(r"[0-9A-Z][0-9A-Z/-]*")

# The columns of ActaInput that are stored as they are (after tidying).
FIELDS = ("kind", "acta_number", "book", "folio", "event_date", "registered_on", "place",
          "titular_given", "titular_paternal", "titular_maternal", "spouse_given",
          "spouse_paternal", "spouse_maternal", "father_name", "mother_name")
SPOUSE_FIELDS = ("spouse_given", "spouse_paternal", "spouse_maternal")

# CSV header (folded, lower case, "_" between words) -> ActaInput field.
CSV_COLUMNS: dict[str, str] = {
    "tipo": "kind",
    "numero_acta": "acta_number",
    "libro": "book",
    "folio": "folio",
    "fecha_hecho": "event_date",
    "fecha_inscripcion": "registered_on",
    "lugar": "place",
    "nombres": "titular_given",
    "apellido_paterno": "titular_paternal",
    "apellido_materno": "titular_maternal",
    "conyuge_nombres": "spouse_given",
    "conyuge_apellido_paterno": "spouse_paternal",
    "conyuge_apellido_materno": "spouse_maternal",
    "padre": "father_name",
    "madre": "mother_name",
    **{name: name for name in FIELDS},
}
SPANISH_COLUMN = {field: header for header, field in reversed(CSV_COLUMNS.items())
                  if header != field}

_LABELS = {
    "acta_number": "el número de acta",
    "book": "el libro",
    "folio": "el folio",
    "place": "el lugar",
    "titular_given": "los nombres del titular",
    "titular_paternal": "el apellido paterno del titular",
    "titular_maternal": "el apellido materno del titular",
    "spouse_given": "los nombres del cónyuge",
    "spouse_paternal": "el apellido paterno del cónyuge",
    "spouse_maternal": "el apellido materno del cónyuge",
    "father_name": "el nombre del padre",
    "mother_name": "el nombre de la madre",
}


class ActasImported(View):
    file_name: str
    rows: int  # data lines read
    added: int
    unchanged: int  # already registered with the same data


class _FieldError(Exception):
    """A wrong value: the field says which column to point at in a file."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message


# --- views -----------------------------------------------------------------------------------


def acta_view(acta: Acta, today: date | None = None) -> ActaView:
    """`today` (the office's date) tells whether a birth record's titular is a minor."""
    spouse = (full_name(acta.spouse_given, acta.spouse_paternal, acta.spouse_maternal)
              if acta.spouse_given and acta.spouse_paternal else None)
    return ActaView(
        id=acta.id, kind=acta.kind, kind_text=ACTA_KIND_TEXT.get(acta.kind, acta.kind),
        acta_number=acta.acta_number, book=acta.book, folio=acta.folio,
        event_date=acta.event_date, registered_on=acta.registered_on, place=acta.place,
        titular_name=full_name(acta.titular_given, acta.titular_paternal,
                               acta.titular_maternal),
        titular_given=acta.titular_given, titular_paternal=acta.titular_paternal,
        titular_maternal=acta.titular_maternal, spouse_name=spouse,
        father_name=acta.father_name, mother_name=acta.mother_name,
        minor=(acta.kind == "nacimiento" and today is not None
               and age_on(acta.event_date, today) < ADULT_AGE))


# --- checks ----------------------------------------------------------------------------------


def _text(value: str | None, field: str, required: bool) -> str | None:
    tidy = " ".join(value.split()) if value else ""
    if not tidy:
        if required:
            label = _LABELS[field]
            verb = "Faltan" if label.startswith("los ") else "Falta"
            raise _FieldError(field, "missing_value", f"{verb} {label}.")
        return None
    return tidy


def _name(value: str | None, field: str, required: bool) -> str | None:
    tidy = _text(value, field, required)
    if tidy is None:
        return None
    if any(c.isdigit() for c in tidy) or not any(c.isalpha() for c in tidy):
        raise _FieldError(field, "invalid_name",
                          f"«{tidy}» no es válido como {_LABELS[field]} (solo letras).")
    return tidy


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _validated(acta: ActaInput, today: date) -> dict[str, Any]:
    """The acta's column values, tidied; the first problem raises _FieldError."""
    kind = acta.kind
    number = "".join(acta.acta_number.split()).upper()
    if not _ACTA_NUMBER.fullmatch(number):
        raise _FieldError("acta_number", "invalid_acta_number",
                          f"El número de acta «{acta.acta_number}» solo puede llevar letras, "
                          "dígitos, guiones y barras.")
    event = _EVENT_TEXT[kind]
    for field, day in (("event_date", acta.event_date), ("registered_on", acta.registered_on)):
        if day.year < OLDEST_YEAR:
            raise _FieldError(field, "invalid_date",
                              f"La fecha {_dmy(day)} es anterior a {OLDEST_YEAR}: revísela.")
    if acta.event_date > today:
        raise _FieldError("event_date", "date_in_future",
                          f"La fecha de {event} ({_dmy(acta.event_date)}) no puede ser "
                          "posterior a hoy.")
    if acta.registered_on > today:
        raise _FieldError("registered_on", "date_in_future",
                          f"La fecha de inscripción ({_dmy(acta.registered_on)}) no puede ser "
                          "posterior a hoy.")
    if acta.registered_on < acta.event_date:
        raise _FieldError("registered_on", "registered_before_event",
                          f"La fecha de inscripción ({_dmy(acta.registered_on)}) no puede ser "
                          f"anterior a la de {event} ({_dmy(acta.event_date)}).")
    values: dict[str, Any] = {
        "kind": kind,
        "acta_number": number,
        "book": _text(acta.book, "book", True),
        "folio": _text(acta.folio, "folio", True),
        "event_date": acta.event_date,
        "registered_on": acta.registered_on,
        "place": _text(acta.place, "place", True),
        "titular_given": _name(acta.titular_given, "titular_given", True),
        "titular_paternal": _name(acta.titular_paternal, "titular_paternal", True),
        "titular_maternal": _name(acta.titular_maternal, "titular_maternal", False),
        "father_name": _name(acta.father_name, "father_name", False),
        "mother_name": _name(acta.mother_name, "mother_name", False),
    }
    if kind == "matrimonio":
        if not (acta.spouse_given or "").strip() or not (acta.spouse_paternal or "").strip():
            missing = "spouse_given" if not (acta.spouse_given or "").strip() else \
                "spouse_paternal"
            raise _FieldError(missing, "spouse_required",
                              "Un acta de matrimonio debe indicar al cónyuge: nombres y "
                              "apellido paterno.")
        for field in SPOUSE_FIELDS:
            values[field] = _name(getattr(acta, field), field, field != "spouse_maternal")
    else:
        given = next((f for f in SPOUSE_FIELDS if (getattr(acta, f) or "").strip()), None)
        if given is not None:
            raise _FieldError(given, "spouse_not_allowed",
                              "Solo las actas de matrimonio llevan cónyuge.")
        values.update(dict.fromkeys(SPOUSE_FIELDS))
    return values


def _check(acta: ActaInput, today: date) -> dict[str, Any]:
    try:
        return _validated(acta, today)
    except _FieldError as exc:
        raise InvalidInput(exc.code, exc.message) from None


def _described(kind: str, number: str) -> str:
    return f"el acta de {_EVENT_TEXT[kind]} n.º {number}"


# --- writes ----------------------------------------------------------------------------------


def _row(uow: UnitOfWork, values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": new_id(), "office_id": uow.office.office_id, **values,
        "titular_search": search_key(values["titular_paternal"], values["titular_maternal"],
                                     values["titular_given"]),
        "spouse_search": (search_key(values["spouse_paternal"], values["spouse_maternal"],
                                     values["spouse_given"])
                          if values["spouse_paternal"] else None),
        "created_at": uow.now,
    }


def _insert(uow: UnitOfWork, rows: list[dict[str, Any]], device_id: str | None) -> None:
    """New actas in one statement, and one event each (the fields as entered)."""
    if not rows:
        return
    uow.session.execute(insert(ACTAS), rows)  # Core: no ORM bookkeeping per row
    for row in rows:
        uow.record("acta", row["id"], "registered",
                   {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()
                    if k in FIELDS}, device_id)


def _existing(session: Session, office_id: str, kind: str, number: str) -> Acta | None:
    return session.scalar(select(Acta).where(Acta.office_id == office_id, Acta.kind == kind,
                                             Acta.acta_number == number))


def add_acta(uow: UnitOfWork, acta: ActaInput, device_id: str | None) -> ActaView:
    values = _check(acta, uow.today)
    old = _existing(uow.session, uow.office.office_id, values["kind"], values["acta_number"])
    if old is not None:
        raise Conflict("acta_exists",
                       f"Ya está registrada {_described(old.kind, old.acta_number)} "
                       f"(libro {old.book}, folio {old.folio}).")
    row = _row(uow, values)
    _insert(uow, [row], device_id)
    return acta_view(Acta(**row), uow.today)  # a transient copy of the row just written


def load_demo_actas(uow: UnitOfWork, count: int = DEMO_ACTAS, seed: int = DEMO_SEED) -> int:
    """A few hundred generated actas (seeded) so the demo office's registry can be searched."""
    generator = PeopleGenerator(seed)
    _insert(uow, [_row(uow, _check(ActaInput(**g.as_dict()), uow.today))
                  for g in generator.actas(count, uow.today)], None)
    return count


# --- reads -----------------------------------------------------------------------------------


def get_acta(session: Session, acta_id: str, today: date | None = None) -> ActaView:
    acta = session.get(Acta, acta_id)
    if acta is None:
        raise NotFound("acta_not_found", "No existe el acta solicitada.")
    return acta_view(acta, today)


def check_kind(kind: str | None) -> str | None:
    if kind is None or not kind.strip():
        return None
    folded = fold(kind).lower()
    if folded not in ACTA_KIND_TEXT:
        raise InvalidInput("invalid_acta_kind",
                           f"Tipo de acta desconocido «{kind}»: use nacimiento, matrimonio o "
                           "defunción.")
    return folded


def search_actas(session: Session, query: str, kind: str | None = None, limit: int = 20, *,
                 today: date | None = None) -> list[ActaView]:
    """By acta number, or by the titular's or a spouse's name in any usual order (see
    kiosk/services/search.py): surname-first matches first."""
    return [acta_view(a, today)
            for a in search.rank_actas(session, query, check_kind(kind), limit)]


# --- CSV import ------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise InvalidInput("file_not_found", f"No se encuentra el archivo {path}.")
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise InvalidInput("file_too_big", f"El archivo {path.name} pasa de "
                                           f"{MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InvalidInput("invalid_encoding",
                           f"El archivo {path.name} no está guardado en UTF-8 (línea {line}). "
                           "Guárdelo como «CSV UTF-8».") from None


def _header_key(cell: str) -> str:
    return "_".join(re.findall(r"[a-z0-9]+", fold(cell).lower()))


def _parse_date(value: str) -> date:
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise _FieldError("", "invalid_date",
                      f"fecha no válida «{value}» (use AAAA-MM-DD o DD/MM/AAAA)")


def _pydantic_message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("missing", "string_too_short"):
        return "falta el valor"
    if kind == "string_too_long":
        return f"tiene más de {ctx.get('max_length')} caracteres"
    if kind == "invalid_text":  # kiosk/rules/text.py: what it contains, in Spanish
        return f"contiene {ctx.get('problem')}"
    return "valor no válido"


def import_actas(uow: UnitOfWork, path: Path, device_id: str | None) -> ActasImported:
    text = _read_text(path)
    name = path.name
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise InvalidInput("empty_file", f"El archivo {name} está vacío.")
    first = next(line for line in lines if line.strip())
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    errors: list[str] = []

    header: list[str] | None = None
    fields: list[str | None] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    previous_end = 0
    try:
        for cells in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                fields = [CSV_COLUMNS.get(_header_key(c)) for c in header]
                unknown = [h for h, f in zip(header, fields, strict=True) if f is None]
                if unknown:
                    errors.append(f"línea {line}: columna desconocida «{unknown[0]}». Se "
                                  f"admiten: {', '.join(SPANISH_COLUMN.values())}.")
                required = [f for f in ("kind", "acta_number", "book", "folio", "event_date",
                                        "registered_on", "place", "titular_given",
                                        "titular_paternal") if f not in fields]
                if required:
                    errors.append(f"línea {line}: falta la columna "
                                  f"«{SPANISH_COLUMN[required[0]]}».")
                if errors:
                    break
                continue
            parsed_row = _parse_row(line, cells, header, fields, errors)
            if parsed_row is not None:
                parsed.append((line, parsed_row))
    except csv.Error as exc:
        errors.append(f"línea {reader.line_num}: el archivo CSV está mal formado ({exc}).")

    column_of = {f: h for h, f in zip(header or [], fields, strict=False) if f}

    def where(line: int, field: str) -> str:
        return f"línea {line}, columna «{column_of.get(field) or SPANISH_COLUMN[field]}»"

    first_line: dict[tuple[str, str], int] = {}
    accepted: list[tuple[int, dict[str, Any]]] = []
    for line, data in parsed:
        try:
            values = _validated(ActaInput(**data), uow.today)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = str(error["loc"][0] if error["loc"] else (error.get("ctx") or {}).get(
                "field", ""))
            errors.append(f"{where(line, field)}: {_pydantic_message(error)}."
                          if field in SPANISH_COLUMN else f"línea {line}: valor no válido.")
            continue
        except _FieldError as exc:
            errors.append(f"{where(line, exc.field)}: {exc.message}")
            continue
        key = (values["kind"], values["acta_number"])
        if key in first_line:
            errors.append(f"{where(line, 'acta_number')}: "
                          f"{_described(*key)} ya figura en la línea {first_line[key]}.")
            continue
        first_line[key] = line
        accepted.append((line, values))

    unchanged = 0
    to_insert: list[dict[str, Any]] = []
    for line, values in accepted:
        old = _existing(uow.session, uow.office.office_id, values["kind"],
                        values["acta_number"])
        if old is None:
            to_insert.append(values)
        elif all(getattr(old, f) == values[f] for f in FIELDS):
            unchanged += 1
        else:
            errors.append(f"{where(line, 'acta_number')}: "
                          f"{_described(values['kind'], values['acta_number'])} ya está "
                          f"registrada con otros datos (libro {old.book}, folio {old.folio}).")
    if header is None and not errors:
        errors.append("línea 1: falta la fila de cabecera.")
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        raise InvalidInput(
            "invalid_actas_file",
            f"{name}: {len(errors)} error{'es' if len(errors) > 1 else ''}; no se importó "
            "ninguna acta.\n" + "\n".join(shown) + (f"\n… y {more} más." if more else ""))
    _insert(uow, [_row(uow, values) for values in to_insert], device_id)
    return ActasImported(file_name=name, rows=len(parsed), added=len(to_insert),
                         unchanged=unchanged)


def _parse_row(line: int, cells: list[str], header: list[str], fields: list[str | None],
               errors: list[str]) -> dict[str, Any] | None:
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
        errors.append(f"línea {line}: tiene {len(cells)} valores y la cabecera "
                      f"{len(header)} columnas.")
        return None
    data: dict[str, Any] = {}
    for column, field, cell in zip(header, fields, cells, strict=False):
        value = cell.strip()
        if not value or field is None:
            continue
        if field in ("event_date", "registered_on"):
            try:
                data[field] = _parse_date(value)
            except _FieldError as exc:
                errors.append(f"línea {line}, columna «{column}»: {exc.message}.")
                return None
        elif field == "kind":
            kind = fold(value).lower()
            if kind not in ACTA_KIND_TEXT:
                errors.append(f"línea {line}, columna «{column}»: tipo de acta desconocido "
                              f"«{value}» (nacimiento, matrimonio o defunción).")
                return None
            data[field] = kind
        else:
            data[field] = value
    return data
