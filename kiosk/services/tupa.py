"""The TUPA catalogue of the office: procedures with versions, UIT per year, extra non-working
days. Loaded from a TOML file (`cac catalogue import`, `cac init --demo`); later pulled from
central in the same shape.

Import rules (idempotent):

- A procedure new to the office is added with version 1.
- Name, category, area and service are the procedure's own: a change updates them in place.
- Fee, deadline, calificación and requirements are versioned: a change needs an
  `effective_from` later than the newest version's, and adds a new version (filings keep the
  version they were made under). The same terms again change nothing, whatever the date.
- UIT rows and non-working days are set as given. Nothing absent from the file is deleted.
- Each procedure is checked against its category's law (kiosk/rules/tupa_law.py): a row that
  breaks it refuses the whole file, naming the article. Rows stored earlier are never changed;
  the supervisor is warned about them (`law_alerts`).

Every change is an event in the office's audited chain.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.ids import new_id
from kiosk.rules.calendar import DayScope, check_scope
from kiosk.rules.money import Fee, FeeKind, validate_uit
from kiosk.rules.procedures import (
    APPEAL_NAMES,
    CALIFICACION_TEXT,
    CATEGORY_ORDER,
    Appeal,
    Calificacion,
    Category,
    ProcedureDefinition,
    Requirement,
    Terms,
    check_variant,
    normalize_code,
    parse_definition,
)
from kiosk.rules.text import TextRefused, check_tree
from kiosk.rules.tupa_law import APPEAL_LAW, check_appeals, check_law, law_breaches
from kiosk.services import calendar_days
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.services.views import (
    AppealView,
    CatalogueImported,
    ProcedureView,
    RequirementView,
)
from kiosk.storage.tables import (
    Procedure,
    ProcedureVersion,
    Service,
    UitValue,
)

DEMO_TUPA = Path(__file__).resolve().parent.parent / "seed" / "tupa_demo.toml"

SECTIONS = frozenset({"format", "uit", "non_working_days", "procedures"})
FORMAT_VERSION = 1

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


# --- reading the file ------------------------------------------------------------------------


def read_catalogue_file(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed TOML and its text; errors say what is wrong and where, in Spanish."""
    if not path.is_file():
        raise InvalidInput("catalogue_not_found", f"No se encuentra el archivo {path}.")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("invalid_catalogue",
                           f"El archivo {path.name} no está guardado en UTF-8.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_POSITION.search(str(exc))
        place = f" (línea {where[1]}, columna {where[2]})" if where else ""
        raise InvalidInput("invalid_catalogue",
                           f"El archivo {path.name} no es TOML válido{place}.") from None
    try:  # TOML escapes («\u0000», «\t») put control characters in its strings
        check_tree(data, "catálogo")
    except TextRefused as exc:
        raise InvalidInput("invalid_catalogue", f"{path.name}: {exc.message}") from None
    return data, text


def _header_lines(text: str, section: str) -> list[int]:
    """Line numbers of each `[[section]]` header, to point at the entry at fault."""
    header = re.compile(rf"^\s*\[\[\s*{re.escape(section)}\s*\]\]")
    return [n for n, line in enumerate(text.splitlines(), start=1) if header.match(line)]


def _entries(data: Mapping[str, Any], section: str, file_name: str) -> list[Mapping[str, Any]]:
    rows = data.get(section, [])
    if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
        raise InvalidInput("invalid_catalogue",
                           f"{file_name}: «{section}» debe ser una lista de tablas "
                           f"([[{section}]]).")
    return rows


def _where(file_name: str, section: str, index: int, lines: list[int],
           code: object = None) -> str:
    parts = [f"[[{section}]] n.º {index + 1}"]
    if isinstance(code, str | int):
        parts.append(f"«{code}»")
    line = f", línea {lines[index]}" if index < len(lines) else ""
    return f"{file_name}{line} ({' '.join(parts)})"


# --- import ----------------------------------------------------------------------------------


def import_catalogue(uow: UnitOfWork, path: Path, device_id: str | None) -> CatalogueImported:
    data, text = read_catalogue_file(path)
    return apply_catalogue(uow, data, text, path.name, device_id)


def apply_catalogue(uow: UnitOfWork, data: Mapping[str, Any], text: str, file_name: str,
                    device_id: str | None) -> CatalogueImported:
    unknown = set(data) - SECTIONS
    if unknown:
        raise InvalidInput("invalid_catalogue",
                           f"{file_name}: sección desconocida «{sorted(unknown)[0]}». "
                           f"Se admiten: {', '.join(sorted(SECTIONS))}.")
    if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        raise InvalidInput("invalid_catalogue",
                           f"{file_name}: formato {data.get('format')!r} no soportado "
                           f"(este programa lee el formato {FORMAT_VERSION}).")
    uits = _parse_uits(data, text, file_name)
    days = _parse_non_working_days(data, text, file_name)
    definitions = _parse_procedures(uow.session, data, text, file_name)
    counts: dict[str, int] = {}

    def bump(key: str) -> None:
        counts[key] = counts.get(key, 0) + 1

    for year, (amount, source) in uits.items():
        if _set_uit(uow, year, amount, source, device_id):
            bump("uit_set")
    for (day, scope, place), name in days.items():
        if calendar_days.set_day(uow, day, scope, place, name, device_id):
            bump("non_working_days_set")
    for definition in definitions:
        bump(_apply_procedure(uow, definition, device_id))
    uow.session.flush()
    return CatalogueImported(**counts)


def _parse_uits(data: Mapping[str, Any], text: str, file_name: str
                ) -> dict[int, tuple[Decimal, str | None]]:
    rows = _entries(data, "uit", file_name)
    lines = _header_lines(text, "uit")
    found: dict[int, tuple[Decimal, str | None]] = {}
    for index, row in enumerate(rows):
        where = _where(file_name, "uit", index, lines, row.get("year"))
        try:
            unknown = set(row) - {"year", "amount", "source"}
            if unknown:
                raise InvalidInput("invalid_uit", f"Dato desconocido «{sorted(unknown)[0]}».")
            year, amount = validate_uit(row.get("year"), row.get("amount"))
            source = row.get("source")
            if source is not None and (not isinstance(source, str) or len(source) > 120):
                raise InvalidInput("invalid_uit", "«source» es un texto de hasta 120 caracteres.")
            if year in found:
                raise InvalidInput("invalid_uit", f"La UIT {year} aparece dos veces.")
        except InvalidInput as exc:
            raise InvalidInput("invalid_catalogue", f"{where}: {exc.message}") from None
        found[year] = (amount, source.strip() if source else None)
    return found


def _parse_non_working_days(data: Mapping[str, Any], text: str, file_name: str
                            ) -> dict[tuple[date, str, str], str]:
    rows = _entries(data, "non_working_days", file_name)
    lines = _header_lines(text, "non_working_days")
    found: dict[tuple[date, str, str], str] = {}
    known = {"date", "name", "scope", "place"}
    for index, row in enumerate(rows):
        where = _where(file_name, "non_working_days", index, lines, None)
        day, name = row.get("date"), row.get("name")
        problem = None
        if set(row) - known:
            problem = f"Dato desconocido «{sorted(set(row) - known)[0]}»."
        elif not isinstance(day, date) or hasattr(day, "hour"):
            problem = "«date» debe ser una fecha AAAA-MM-DD."
        elif not isinstance(name, str) or not name.strip() or len(name) > 120:
            problem = "«name» es un texto de 1 a 120 caracteres."
        else:
            try:
                scope, place = check_scope(row.get("scope", DayScope.SECTOR_PUBLICO),
                                           row.get("place"))
            except InvalidInput as exc:
                problem = exc.message
            else:
                if (day, scope, place) in found:
                    problem = f"El día {day} ({scope} {place}) aparece dos veces."
        if problem:
            raise InvalidInput("invalid_catalogue", f"{where}: {problem}")
        assert isinstance(day, date) and isinstance(name, str)
        found[(day, str(scope), place)] = " ".join(name.split())
    return found


def _parse_procedures(session: Session, data: Mapping[str, Any], text: str, file_name: str
                      ) -> list[ProcedureDefinition]:
    rows = _entries(data, "procedures", file_name)
    lines = _header_lines(text, "procedures")
    services = set(session.scalars(select(Service.code)))
    # A row that does not repeat its variant keeps the stored one: the law is checked on it.
    stored = {(code, Category(category)): variant for code, category, variant in session.execute(
        select(Procedure.code, Procedure.category, Procedure.variant))}
    found: dict[str, ProcedureDefinition] = {}
    for index, row in enumerate(rows):
        where = _where(file_name, "procedures", index, lines, row.get("code"))
        try:
            definition = parse_definition(row, (APPEAL_LAW.filing_working_days,
                                                APPEAL_LAW.max_resolution_working_days))
            if definition.code in found:
                raise InvalidInput("invalid_procedure",
                                   f"El código {definition.code} aparece dos veces.")
            if definition.service is not None and definition.service not in services:
                raise InvalidInput("invalid_procedure",
                                   f"El servicio «{definition.service}» no existe en esta "
                                   "oficina.")
            terms = definition.terms
            check_law(definition.category, definition.variant or stored.get(
                (definition.code, definition.category)), terms.calificacion,
                terms.deadline_working_days)
            if definition.appeals is not None:
                check_appeals(definition.authority, definition.appeals)
        except InvalidInput as exc:
            raise InvalidInput("invalid_catalogue", f"{where}: {exc.message}") from None
        found[definition.code] = definition
    return list(found.values())


def _set_uit(uow: UnitOfWork, year: int, amount: Decimal, source: str | None,
             device_id: str | None) -> bool:
    row = uow.session.get(UitValue, year)
    if row is not None and row.amount == amount and (source is None or row.source == source):
        return False
    previous = None if row is None else f"{row.amount:f}"
    if row is None:
        row = UitValue(year=year, amount=amount, source=source)
        uow.session.add(row)
    else:
        row.amount = amount
        row.source = source or row.source
    uow.record("uit", str(year), "uit_set",
               {"year": year, "amount": f"{amount:f}", "previous": previous,
                "source": row.source}, device_id)
    return True


def _terms_json(terms: Terms) -> dict[str, Any]:
    return {
        "fee_kind": str(terms.fee.kind),
        "fee_value": f"{terms.fee.value:f}",
        "deadline_working_days": terms.deadline_working_days,
        "calificacion": str(terms.calificacion),
        "requirements": [r.to_json() for r in terms.requirements],
    }


def terms_of(version: ProcedureVersion) -> Terms:
    return Terms(
        fee=Fee(FeeKind(version.fee_kind), version.fee_value),
        deadline_working_days=version.deadline_working_days,
        calificacion=Calificacion(version.calificacion),
        requirements=tuple(Requirement(str(r["text"]), bool(r["mandatory"]))
                           for r in version.requirements),
    )


def _add_version(uow: UnitOfWork, procedure: Procedure, number: int,
                 definition: ProcedureDefinition) -> ProcedureVersion:
    terms = definition.terms
    version = ProcedureVersion(
        id=new_id(), procedure_id=procedure.id, version=number,
        effective_from=definition.effective_from, fee_kind=str(terms.fee.kind),
        fee_value=terms.fee.value, deadline_working_days=terms.deadline_working_days,
        calificacion=str(terms.calificacion),
        requirements=[r.to_json() for r in terms.requirements], created_at=uow.now)
    uow.session.add(version)
    return version


def _apply_procedure(uow: UnitOfWork, definition: ProcedureDefinition,
                     device_id: str | None) -> str:
    """Add or update one procedure; returns which counter of CatalogueImported it bumps."""
    own: dict[str, Any] = {"name": definition.name,
                                  "category": str(definition.category),
                                  "area": definition.area, "service_code": definition.service}
    if definition.variant is not None:  # absent from the file: the stored one is kept
        own["variant"] = definition.variant
    if definition.authority is not None:  # the same: absent, the stored ones are kept
        own["authority"] = definition.authority
    if definition.appeals is not None:
        own["appeals"] = [a.to_json() for a in definition.appeals]
    procedure = uow.session.scalar(select(Procedure).where(
        Procedure.office_id == uow.office.office_id, Procedure.code == definition.code))
    if (procedure is not None and definition.variant is None
            and procedure.category != definition.category and procedure.variant is not None):
        try:
            check_variant(definition.category, procedure.variant)
        except InvalidInput:
            raise InvalidInput(
                "invalid_catalogue",
                f"El trámite {definition.code} cambia de categoría a «{definition.category}»: "
                "indique también su «variant».") from None
    if procedure is None:
        procedure = Procedure(id=new_id(), office_id=uow.office.office_id,
                              code=definition.code, created_at=uow.now, updated_at=uow.now,
                              **own)
        uow.session.add(procedure)
        uow.session.flush()
        _add_version(uow, procedure, 1, definition)
        uow.record("procedure", procedure.id, "procedure_added",
                   {"code": definition.code, **own, "version": 1,
                    "effective_from": definition.effective_from.isoformat(),
                    **_terms_json(definition.terms)}, device_id)
        return "procedures_added"
    outcome = "procedures_unchanged"
    changes = {key: value for key, value in own.items() if getattr(procedure, key) != value}
    if changes:
        for key, value in changes.items():
            setattr(procedure, key, value)
        procedure.updated_at = uow.now
        uow.record("procedure", procedure.id, "procedure_updated",
                   {"code": procedure.code, **changes}, device_id)
        outcome = "procedures_updated"
    latest = uow.session.scalar(select(ProcedureVersion).where(
        ProcedureVersion.procedure_id == procedure.id).order_by(
        ProcedureVersion.version.desc()).limit(1))
    assert latest is not None
    if terms_of(latest) == definition.terms:
        return outcome
    if definition.effective_from <= latest.effective_from:
        raise Conflict(
            "version_needs_later_date",
            f"El trámite {procedure.code} cambia su derecho, plazo, calificación o requisitos, "
            f"pero su vigencia ({definition.effective_from:%d/%m/%Y}) no es posterior a la de "
            f"la versión {latest.version} ({latest.effective_from:%d/%m/%Y}). Indique en "
            "«effective_from» la fecha desde la que rige el cambio.",
        )
    number = latest.version + 1
    _add_version(uow, procedure, number, definition)
    procedure.updated_at = uow.now
    uow.record("procedure", procedure.id, "procedure_version_added",
               {"code": procedure.code, "version": number,
                "effective_from": definition.effective_from.isoformat(),
                **_terms_json(definition.terms)}, device_id)
    return "versions_added"


# --- reading ---------------------------------------------------------------------------------


def uit_table(session: Session) -> dict[int, Decimal]:
    return {row.year: row.amount for row in session.scalars(select(UitValue))}


def current_version(session: Session, procedure_id: str, today: date
                    ) -> ProcedureVersion | None:
    """The version in force on `today`: the latest `effective_from` on or before it."""
    return session.scalar(
        select(ProcedureVersion)
        .where(ProcedureVersion.procedure_id == procedure_id,
               ProcedureVersion.effective_from <= today)
        .order_by(ProcedureVersion.effective_from.desc()).limit(1))


def procedure_view(procedure: Procedure, version: ProcedureVersion, today: date,
                   uits: Mapping[int, Decimal]) -> ProcedureView:
    terms = terms_of(version)
    # Without this year's UIT (1 January, before central publishes it) a fee in % of it is
    # «tasa por confirmar» (None), never a guess; fixed and free fees are still shown.
    uit = uits.get(today.year) if terms.fee.needs_uit else None
    pending = terms.fee.needs_uit and uit is None
    return ProcedureView(
        code=procedure.code,
        name=procedure.name,
        category=procedure.category,
        variant=procedure.variant,
        area=procedure.area,
        service=procedure.service_code,
        version=version.version,
        effective_from=version.effective_from,
        fee_soles=None if pending else terms.fee.amount(uit),
        fee_basis=terms.fee.basis(today.year, uit),
        deadline_working_days=terms.deadline_working_days,
        calificacion=str(terms.calificacion),
        calificacion_text=CALIFICACION_TEXT[terms.calificacion],
        authority=procedure.authority,
        appeals=[AppealView(kind=str(a.kind), name=APPEAL_NAMES[a.kind],
                            authority=a.authority, filing_working_days=a.filing_working_days,
                            resolution_working_days=a.resolution_working_days)
                 for a in map(Appeal.from_json, procedure.appeals or ())],
        requirements=[RequirementView(number=n, text=r.text, mandatory=r.mandatory)
                      for n, r in enumerate(terms.requirements, start=1)],
    )


def _sort_name(name: str) -> str:
    """Spanish-friendly order without a locale: accents and case do not move a name."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in plain if not unicodedata.combining(c))


def list_procedures(session: Session, office_id: str, today: date) -> list[ProcedureView]:
    """Procedures in force today (office local date), by category then name."""
    uits = uit_table(session)
    views = []
    for procedure in session.scalars(select(Procedure).where(Procedure.office_id == office_id)):
        version = current_version(session, procedure.id, today)
        if version is not None:
            views.append(procedure_view(procedure, version, today, uits))
    views.sort(key=lambda v: (CATEGORY_ORDER.get(Category(v.category), len(CATEGORY_ORDER)),
                              _sort_name(v.name), v.code))
    return views


def get_procedure(session: Session, office_id: str, code: str, today: date) -> ProcedureView:
    procedure, version = find_procedure(session, office_id, code, today)
    return procedure_view(procedure, version, today, uit_table(session))


def find_procedure(session: Session, office_id: str, code: str, today: date
                   ) -> tuple[Procedure, ProcedureVersion]:
    """A procedure by its code and the version in force on `today`, or a Spanish NotFound."""
    shown = code.strip()[:40] if isinstance(code, str) else ""
    unknown = NotFound("unknown_procedure",
                       f"No existe el trámite «{shown}» en el catálogo de esta oficina.")
    try:
        normal = normalize_code(code)
    except InvalidInput:
        raise unknown from None
    procedure = session.scalar(select(Procedure).where(
        Procedure.office_id == office_id, Procedure.code == normal))
    if procedure is None:
        raise unknown
    version = current_version(session, procedure.id, today)
    if version is None:
        first = session.scalar(select(ProcedureVersion.effective_from).where(
            ProcedureVersion.procedure_id == procedure.id).order_by(
            ProcedureVersion.effective_from).limit(1))
        raise NotFound("procedure_not_in_force",
                       f"El trámite {procedure.code} aún no está vigente"
                       + (f" (rige desde el {first:%d/%m/%Y})." if first else "."))
    return procedure, version


# --- what the supervisor is told -------------------------------------------------------------


def _needing_uit(session: Session, office_id: str, day: date) -> list[str]:
    """Codes of the procedures whose version in force on `day` is a % of the UIT."""
    codes = []
    for procedure in session.scalars(select(Procedure).where(Procedure.office_id == office_id)):
        version = current_version(session, procedure.id, day)
        if version is not None and terms_of(version).fee.needs_uit:
            codes.append(procedure.code)
    return sorted(codes)


def _listed(codes: list[str], limit: int = 5) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f" y {len(codes) - limit} más" if len(codes) > limit else "")


def uit_alerts(session: Session, office_id: str, today: date
               ) -> list[tuple[str, str]]:
    """(severity, Spanish message) about the UIT: this year's missing (its procedures show
    «tasa por confirmar» and cannot be filed), or, in December, next year's not loaded yet."""
    uits = uit_table(session)
    alerts = []
    if today.year not in uits:
        codes = _needing_uit(session, office_id, today)
        if codes:
            alerts.append((
                "critical",
                f"Falta la UIT {today.year}: {len(codes)} trámite(s) en % de la UIT "
                f"({_listed(codes)}) se muestran con «tasa por confirmar» y no se pueden "
                "registrar ni cobrar. Cargue la UIT del año (catálogo de la central o "
                "«cac catalogue import»)."))
    if today.month == 12 and today.year + 1 not in uits:
        codes = _needing_uit(session, office_id, date(today.year + 1, 1, 1))
        if codes:
            alerts.append((
                "warning",
                f"Aún no está cargada la UIT {today.year + 1}: desde el 1 de enero, "
                f"{len(codes)} trámite(s) en % de la UIT ({_listed(codes)}) quedarán con "
                "«tasa por confirmar» hasta que se cargue."))
    return alerts


def law_alerts(session: Session, office_id: str, today: date) -> list[tuple[str, str]]:
    """Procedures stored before the law was checked (or under an older table) whose version in
    force breaks it: kept as they are, filings keep their terms; the supervisor is warned
    until a corrected version is imported."""
    alerts = []
    for procedure in session.scalars(select(Procedure).where(
            Procedure.office_id == office_id).order_by(Procedure.code)):
        version = current_version(session, procedure.id, today)
        if version is None:
            continue
        breaches = law_breaches(Category(procedure.category), procedure.variant,
                                Calificacion(version.calificacion),
                                version.deadline_working_days)
        if breaches:
            alerts.append((
                "warning",
                f"El trámite {procedure.code} del catálogo es contrario a la ley. "
                f"{' '.join(breaches)} Se mantiene como está; importe una versión corregida."))
    return alerts


def catalogue_alerts(session: Session, office_id: str, today: date) -> list[tuple[str, str]]:
    """Everything about the catalogue the supervisor should act on, as (severity, message)."""
    return uit_alerts(session, office_id, today) + law_alerts(session, office_id, today)
