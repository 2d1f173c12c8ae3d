"""Search over citizens, businesses, actas and expedientes: by number, code, document or name.

What a clerk types is read as every form it can be (`parse_query`): an expediente number
(`CAJ-2026-000123`, `2026-123`, or `123` for this year's), a tracking code (13 Crockford base32
characters, dashes and case ignored), a document (DNI, carné de extranjería, RUC) or a name.

Names follow Peruvian usage: given names, then the paternal and the maternal surname. A name
query is answered in tiers, best first:

0. surname first, in order («Quispe Mamani», «Quispe Mamani Juan», «Quispe»): a prefix range on
   the folded key "PATERNO MATERNO NOMBRES" (B-tree index `search_name`);
1. given names first («Juan Quispe Mamani», «Juan Carlos Quispe»); for a single word, the
   maternal surname;
2. paternal surname and given names without the maternal one («Quispe Juan»); for a single
   word, a given name;
3. every word somewhere in the name, any order («Mamani Quispe»).

Tiers 1-3 come from the FTS5 index of migration 0006 (accents, case and Ñ folded away by its
tokenizer): one query for "every word somewhere" proposes the candidates, and only when too
many match are the precise queries of tiers 1 and 2 asked too. FTS only proposes: every row is
classified again here from its own columns, so the ranking never depends on the index being
current. Compound surnames («De la Cruz», «Del Águila») are kept together: a particle joins
the word after it. Every statement uses an index (tests/integration/test_search.py checks the
query plans).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, column, literal_column, select, table, text
from sqlalchemy.orm import InstrumentedAttribute, Session

from kiosk.errors import InvalidInput
from kiosk.rules.expedientes import STATUS_TEXT, TRACKING_ALPHABET, TRACKING_LENGTH, Status
from kiosk.rules.names import fold, full_name
from kiosk.services.expediente_views import BusinessView, ExpedienteSummary, PersonView
from kiosk.services.people import business_view, person_view
from kiosk.storage.tables import Acta, Business, Expediente, Office, Person, Procedure

MIN_QUERY_CHARS = 2
MAX_QUERY_CHARS = 120
MAX_LIMIT = 100
# How many applicants a name search of expedientes looks at.
APPLICANTS_FOR_EXPEDIENTES = 50
# How many rows the "every word somewhere" FTS query may read before the precise ones are used.
SUPERSET = 200

# The FTS5 tables of migration 0006: name -> (content table, indexed columns).
SEARCH_INDEXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "fts_persons": ("persons", ("paternal_surname", "maternal_surname", "given_names")),
    "fts_businesses": ("businesses", ("name",)),
    "fts_actas": ("actas", ("titular_paternal", "titular_maternal", "titular_given",
                            "spouse_paternal", "spouse_maternal", "spouse_given")),
}

# Words that start a compound surname or given name: «De la Cruz», «Del Águila», «San Martín».
PARTICLES = frozenset({"DE", "DEL", "LA", "LAS", "LOS", "SAN", "SANTA", "DA", "DI", "DO", "DOS",
                       "VAN", "VON"})

_CROCKFORD = frozenset(TRACKING_ALPHABET)
_CROCKFORD_READ = str.maketrans({"I": "1", "L": "1", "O": "0"})

_WORD = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer calls a token
_FULL_NUMBER = re.compile(r"([A-Z]{2,6}) ?-? ?(\d{4}) ?- ?(\d{1,6})")
_YEAR_NUMBER = re.compile(r"(\d{4}) ?- ?(\d{1,6})")
_SEQ_ONLY = re.compile(r"\d{1,6}")
_DOC_NOISE = re.compile(r"[\s.\-/]")
_TOP = "\U0010ffff"  # sorts after any text: [key, key + _TOP) is "starts with key"

Row = TypeVar("Row", Person, Business, Acta)


# --- reading the query -----------------------------------------------------------------------


@dataclass(frozen=True)
class NameQuery:
    key: str  # the whole query folded, for the surname-first prefix: "QUISPE MAMANI JUAN"
    units: tuple[tuple[str, ...], ...]  # words grouped into names: ("DE", "LA", "CRUZ"), ...

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for unit in self.units for w in unit)


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    documents: tuple[str, ...] = ()  # DNI, carné de extranjería, passport numbers
    rucs: tuple[str, ...] = ()
    expediente_numbers: tuple[str, ...] = ()
    tracking_codes: tuple[str, ...] = ()
    acta_number: str | None = None
    name: NameQuery | None = None


def check_query(query: str) -> str:
    """The query with its spaces tidied; too short or too long is refused in Spanish."""
    tidy = " ".join(query.split())
    if len(tidy) < MIN_QUERY_CHARS:
        raise InvalidInput("query_too_short",
                           f"Escriba al menos {MIN_QUERY_CHARS} caracteres para buscar.")
    if len(tidy) > MAX_QUERY_CHARS:
        raise InvalidInput("query_too_long",
                           f"La búsqueda admite hasta {MAX_QUERY_CHARS} caracteres.")
    return tidy


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("invalid_limit",
                           f"El número de resultados debe estar entre 1 y {MAX_LIMIT}.")
    return limit


def name_units(words: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """Group folded words into names: a particle belongs to the word after it.

    «Juan de la Cruz Quispe» → (JUAN), (DE LA CRUZ), (QUISPE). Particles left at the end (the
    clerk is still typing «Quispe de») are dropped, unless they are all there is.
    """
    units: list[tuple[str, ...]] = []
    pending: list[str] = []
    for word in words:
        if word in PARTICLES:
            pending.append(word)
        else:
            units.append((*pending, word))
            pending = []
    if pending and not units:
        units.append(tuple(pending))
    return tuple(units)


def parse_query(query: str, office_code: str = "", year: int | None = None) -> ParsedQuery:
    """Every reading of a search box entry. `office_code` and `year` complete short expediente
    numbers («2026-123», «123»)."""
    tidy = " ".join(query.split())
    folded = fold(tidy)
    compact = _DOC_NOISE.sub("", folded)
    documents: list[str] = []
    rucs: list[str] = []
    numbers: list[str] = []
    codes: list[str] = []
    acta_number: str | None = None

    if full := _FULL_NUMBER.fullmatch(folded):
        if int(full[3]) > 0:
            numbers.append(f"{full[1]}-{full[2]}-{int(full[3]):06d}")
    elif office_code and (short := _YEAR_NUMBER.fullmatch(folded)):
        if int(short[2]) > 0:
            numbers.append(f"{office_code}-{short[1]}-{int(short[2]):06d}")
    elif office_code and year and _SEQ_ONLY.fullmatch(folded) and int(folded) > 0:
        numbers.append(f"{office_code}-{year}-{int(folded):06d}")

    if compact.isalnum() and compact.isascii() and any(c.isdigit() for c in compact):
        acta_number = compact if len(compact) <= 20 else None
        if compact.isdigit() and len(compact) == 11:
            rucs.append(compact)
        elif len(compact) <= 12:
            documents.append(compact)
            if len(compact) == 9 and compact[:8].isdigit() and compact[8] in _dni_checks(
                    compact[:8]):
                documents.append(compact[:8])  # a DNI typed with its check character

    tracking = compact.translate(_CROCKFORD_READ)
    if len(tracking) == TRACKING_LENGTH and set(tracking) <= _CROCKFORD:
        codes.append(tracking)

    name = None
    if not numbers and any(c.isalpha() for c in folded):
        key = " ".join(folded.replace(",", " ").split())
        units = name_units(_WORD.findall(folded))
        if units:
            name = NameQuery(key=key, units=units)
    return ParsedQuery(text=tidy, documents=tuple(documents), rucs=tuple(rucs),
                       expediente_numbers=tuple(numbers), tracking_codes=tuple(codes),
                       acta_number=acta_number, name=name)


def _dni_checks(dni: str) -> tuple[str, str]:
    c = sum(w * int(d) for w, d in zip((3, 2, 7, 6, 5, 4, 3, 2), dni, strict=True)) % 11
    return "65432110987"[c], "KJIHGFEDCBA"[c]


def _ruc_of_dni(dni: str) -> str:
    body = "10" + dni
    total = sum(w * int(d) for w, d in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), body, strict=True))
    return body + str((11 - total % 11) % 10)


# --- ranking names ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NameSlot:
    """Where one person's name is in a row: the surname-first key and the three parts."""

    search: str
    paternal: str
    maternal: str
    given: str


PERSON_SLOTS = (NameSlot("search_name", "paternal_surname", "maternal_surname", "given_names"),)
ACTA_SLOTS = (
    NameSlot("titular_search", "titular_paternal", "titular_maternal", "titular_given"),
    NameSlot("spouse_search", "spouse_paternal", "spouse_maternal", "spouse_given"),
)


def words_of(value: str | None) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(value))) if value else ()


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    """`needle` appears in `haystack` as consecutive words."""
    n = len(needle)
    return n > 0 and any(tuple(haystack[i:i + n]) == tuple(needle)
                         for i in range(len(haystack) - n + 1))


def _flat(units: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(w for unit in units for w in unit)


def _given_first_splits(units: tuple[tuple[str, ...], ...]
                        ) -> list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]:
    """(given names, surnames) for each way the query can end in one or two surnames."""
    k = len(units)
    return [(_flat(units[:i]), units[i:]) for i in range(max(1, k - 2), k)]


def name_tier(paternal: str | None, maternal: str | None, given: str | None,
              search_key: str | None, name: NameQuery) -> int | None:
    """How well one person's name answers the query (0 best), or None when it does not."""
    if not paternal:
        return None
    if search_key and search_key.startswith(name.key):
        return 0
    p, m, g = words_of(paternal), words_of(maternal), words_of(given)
    units = name.units
    if len(units) == 1:
        for tier, words in ((1, m), (2, g), (3, p)):
            if _contains(words, units[0]):
                return tier
        return None
    for given_words, surnames in _given_first_splits(units):
        if (_contains(g, given_words) and _contains(p, surnames[0])
                and (len(surnames) == 1 or _contains(m, surnames[1]))):
            return 1
    if _contains(p, units[0]) and _contains(g, _flat(units[1:])):
        return 2
    if all(_contains(p, u) or _contains(m, u) or _contains(g, u) for u in units):
        return 3
    return None


def _phrase(words: Iterable[str]) -> str:
    return '"' + " ".join(words) + '"'


def fts_tiers(slots: Sequence[NameSlot], name: NameQuery) -> list[str]:
    """The FTS5 queries of tiers 1, 2 and 3 (see the module's docstring), best first."""
    units = name.units

    def any_slot(parts: Iterable[str]) -> str:
        return " OR ".join(f"({p})" for p in parts)

    if len(units) == 1:
        word = _phrase(units[0])
        return [any_slot(f"{getattr(s, part)} : {word}" for s in slots)
                for part in ("maternal", "given", "paternal")]
    given_first = []
    for s in slots:
        for given_words, surnames in _given_first_splits(units):
            terms = [f"{s.given} : {_phrase(given_words)}",
                     f"{s.paternal} : {_phrase(surnames[0])}"]
            if len(surnames) == 2:
                terms.append(f"{s.maternal} : {_phrase(surnames[1])}")
            given_first.append(" AND ".join(terms))
    paternal_given = [f"{s.paternal} : {_phrase(units[0])} AND "
                      f"{s.given} : {_phrase(_flat(units[1:]))}" for s in slots]
    anywhere = [" AND ".join(f"{{{s.paternal} {s.maternal} {s.given}}} : {_phrase(u)}"
                             for u in units) for s in slots]
    return [any_slot(given_first), any_slot(paternal_given), any_slot(anywhere)]


def _superset(name: NameQuery) -> str:
    """Every name unit somewhere (any column): what tiers 1-3 all have in common."""
    return " AND ".join(_phrase(u) for u in name.units)


def _matching(model: type[Row], fts: str, columns: Sequence[Any], match: str, limit: int,
              where: Sequence[ColumnElement[bool]] = ()) -> Select[Any]:
    """`columns` of the rows whose FTS5 entry matches, in rowid order (FTS5 streams them)."""
    index = table(fts, column("rowid"))
    return (select(*columns)
            .join_from(model, index,
                       index.c.rowid == literal_column(f"{model.__tablename__}.rowid"))
            .where(literal_column(fts).op("MATCH")(match), *where)
            .limit(limit))


@dataclass(frozen=True)
class Ranked:
    tier: int  # -1 a document or number; 0 surname-first prefix; 1-3 other orders
    key: str  # sorts within a tier (the surname-first key)
    id: str


def _best(ranked: Iterable[Ranked], limit: int) -> list[Ranked]:
    return sorted(ranked, key=lambda r: (r.tier, r.key, r.id))[:limit]


def _rank_names(session: Session, model: type[Row], fts: str, slots: Sequence[NameSlot],
                name: NameQuery, limit: int, where: Sequence[ColumnElement[bool]] = ()
                ) -> list[Ranked]:
    """The best `limit` rows for a name, best first: tier 0 by the B-tree index, the other
    tiers through FTS5. Only the name columns are read; callers load the rows they show.

    One FTS query (every word anywhere, at most SUPERSET rows) usually finds every candidate,
    and each is classified here. When that many match (common names), the precise queries of
    tiers 1 and 2 are asked too, so the best matches are not lost among the first rows.
    """
    columns = [model.id, *(getattr(model, c) for s in slots
                           for c in (s.search, s.paternal, s.maternal, s.given))]
    found: dict[str, Ranked] = {}

    def take(rows: Iterable[Any]) -> int:
        count = 0
        for row in rows:
            count += 1
            if row.id in found:
                continue
            best: Ranked | None = None
            for slot in slots:
                tier = name_tier(getattr(row, slot.paternal), getattr(row, slot.maternal),
                                 getattr(row, slot.given), getattr(row, slot.search), name)
                if tier is not None and (best is None or tier < best.tier):
                    best = Ranked(tier, getattr(row, slot.search) or "", row.id)
            if best is not None:
                found[row.id] = best
        return count

    for slot in slots:
        key: InstrumentedAttribute[Any] = getattr(model, slot.search)
        take(session.execute(
            select(*columns).where(key >= name.key, key < name.key + _TOP, *where)
            .order_by(key).limit(limit)))
    if len(found) >= limit:
        return _best(found.values(), limit)
    cap = max(SUPERSET, 2 * limit)
    if take(session.execute(_matching(model, fts, columns, _superset(name), cap, where))) < cap:
        return _best(found.values(), limit)
    for match in fts_tiers(slots, name)[:2]:
        if sum(r.tier <= 2 for r in found.values()) >= limit:
            break
        take(session.execute(_matching(model, fts, columns, match, limit + len(found), where)))
    return _best(found.values(), limit)


def _load(session: Session, model: type[Row], ids: Sequence[str]) -> list[Row]:
    """The rows with these ids, in this order."""
    if not ids:
        return []
    rows = {r.id: r for r in session.scalars(select(model).where(model.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


# --- persons and businesses ------------------------------------------------------------------


def rank_persons(session: Session, parsed: ParsedQuery, limit: int) -> list[Ranked]:
    """Persons for a query, best first; a document match is tier -1."""
    documents = {*parsed.documents, *(r[2:10] for r in parsed.rucs if r.startswith("10"))}
    ranked: list[Ranked] = []
    if documents:
        ranked = [Ranked(-1, key, pid) for pid, key in session.execute(
            select(Person.id, Person.search_name)
            .where(Person.doc_number.in_(sorted(documents)))
            .order_by(Person.search_name, Person.id).limit(limit))]
    if parsed.name is not None and len(ranked) < limit:
        seen = {r.id for r in ranked}
        ranked += [r for r in _rank_names(session, Person, "fts_persons", PERSON_SLOTS,
                                          parsed.name, limit) if r.id not in seen]
    return ranked[:limit]


def find_persons(session: Session, query: str, limit: int = 20) -> list[PersonView]:
    parsed = parse_query(check_query(query))
    ranked = rank_persons(session, parsed, check_limit(limit))
    return [person_view(p) for p in _load(session, Person, [r.id for r in ranked])]


def business_tier(name: str, search_name: str, query: NameQuery) -> int | None:
    if search_name.startswith(query.key) or fold(name).startswith(query.key):
        return 0
    words = words_of(name)
    if _contains(words, query.words):
        return 1
    if all(w in words for w in query.words):
        return 2
    return None


def rank_businesses(session: Session, parsed: ParsedQuery, limit: int) -> list[Ranked]:
    """Businesses for a query, best first; a RUC match (or a DNI's RUC 10) is tier -1."""
    rucs = {*parsed.rucs, *(_ruc_of_dni(d) for d in parsed.documents
                            if len(d) == 8 and d.isdigit())}
    found: dict[str, Ranked] = {}
    if rucs:
        for bid, key in session.execute(
                select(Business.id, Business.search_name)
                .where(Business.office_id.in_(select(Office.id)),
                       Business.ruc.in_(sorted(rucs)))):
            found[bid] = Ranked(-1, key, bid)
    query = parsed.name
    if query is not None and len(found) < limit:
        columns = (Business.id, Business.name, Business.search_name)

        def take(rows: Iterable[Any]) -> None:
            for bid, name, key in rows:
                tier = None if bid in found else business_tier(name, key, query)
                if tier is not None:
                    found[bid] = Ranked(tier, key, bid)

        take(session.execute(
            select(*columns).where(Business.search_name >= query.key,
                                   Business.search_name < query.key + _TOP)
            .order_by(Business.search_name).limit(limit)))
        if len(found) < limit:
            match = " AND ".join(_phrase((w,)) for w in query.words)
            take(session.execute(_matching(Business, "fts_businesses", columns, match,
                                           max(SUPERSET, limit + len(found)))))
    return _best(found.values(), limit)


def find_businesses(session: Session, query: str, limit: int = 20) -> list[BusinessView]:
    parsed = parse_query(check_query(query))
    ranked = rank_businesses(session, parsed, check_limit(limit))
    return [business_view(b) for b in _load(session, Business, [r.id for r in ranked])]


# --- actas -----------------------------------------------------------------------------------


def rank_actas(session: Session, query: str, kind: str | None, limit: int) -> list[Acta]:
    """Actas by number or by the titular's or the spouse's name, best first."""
    parsed = parse_query(check_query(query))
    check_limit(limit)
    where = [Acta.kind == kind] if kind else []
    ids: list[str] = []
    if parsed.acta_number:
        kinds = [kind] if kind else ["defuncion", "matrimonio", "nacimiento"]
        ids = list(session.scalars(
            select(Acta.id).where(Acta.office_id.in_(select(Office.id)), Acta.kind.in_(kinds),
                                  Acta.acta_number == parsed.acta_number)
            .order_by(Acta.kind)))
    if parsed.name is not None and len(ids) < limit:
        ids += [r.id for r in _rank_names(session, Acta, "fts_actas", ACTA_SLOTS, parsed.name,
                                          limit, where) if r.id not in ids]
    return _load(session, Acta, ids[:limit])


# --- expedientes -----------------------------------------------------------------------------

# What a summary needs: expedientes are wide (JSON details, requirements), so only these.
_SUMMARY_COLUMNS = (Expediente.id, Expediente.number, Expediente.tracking_code,
                    Expediente.procedure_id, Expediente.person_id, Expediente.business_id,
                    Expediente.status, Expediente.filed_at, Expediente.due_date)


def search_expedientes(session: Session, query: str, limit: int = 20, *,
                       office_code: str | None = None, today: date | None = None
                       ) -> list[ExpedienteSummary]:
    """By number or tracking code (that one), or by an applicant's document or name (their
    expedientes, best-matching applicant first, newest first)."""
    tidy = check_query(query)
    check_limit(limit)
    if office_code is None:
        office_code = session.scalar(select(Office.code).limit(1)) or ""
    parsed = parse_query(tidy, office_code, (today or date.today()).year)
    direct: list[Any] = []
    if parsed.expediente_numbers:
        direct += session.execute(select(*_SUMMARY_COLUMNS).where(
            Expediente.office_id.in_(select(Office.id)),
            Expediente.number.in_(parsed.expediente_numbers)))
    if parsed.tracking_codes:
        direct += session.execute(select(*_SUMMARY_COLUMNS).where(
            Expediente.tracking_code.in_(parsed.tracking_codes)))
    if direct:
        unique = {e.id: e for e in direct}
        return summaries(session, _newest_first(unique.values())[:limit])

    persons = rank_persons(session, parsed, APPLICANTS_FOR_EXPEDIENTES)
    businesses = rank_businesses(session, parsed, APPLICANTS_FOR_EXPEDIENTES)
    results: list[Any] = []
    seen: set[str] = set()
    for tier in sorted({r.tier for r in persons} | {r.tier for r in businesses}):
        wanted = limit - len(results)
        rows = (_of_applicants(session, Expediente.person_id,
                               [r.id for r in persons if r.tier == tier], wanted)
                + _of_applicants(session, Expediente.business_id,
                                 [r.id for r in businesses if r.tier == tier], wanted))
        fresh = [e for e in _newest_first({e.id: e for e in rows}.values())
                 if e.id not in seen]
        results += fresh[:wanted]
        seen.update(e.id for e in fresh)
        if len(results) >= limit:
            break
    return summaries(session, results)


def _of_applicants(session: Session, applicant: InstrumentedAttribute[str | None],
                   ids: list[str], limit: int) -> list[Any]:
    if not ids:
        return []
    # `+filed_at`: sort the few rows found instead of walking the whole filed_at index.
    return list(session.execute(
        select(*_SUMMARY_COLUMNS).where(applicant.in_(ids))
        .order_by(text("+expedientes.filed_at DESC"), Expediente.id.desc()).limit(limit)))


def _newest_first(rows: Iterable[Any]) -> list[Any]:
    return sorted(rows, key=lambda e: (e.filed_at, e.id), reverse=True)


def summaries(session: Session, rows: Sequence[Any]) -> list[ExpedienteSummary]:
    """The list form of expedientes (rows or Expediente objects with the _SUMMARY_COLUMNS),
    with their procedure and applicant."""
    if not rows:
        return []
    procedures = {pid: name for pid, name in session.execute(
        select(Procedure.id, Procedure.name).where(
            Procedure.id.in_({e.procedure_id for e in rows})))}
    person_ids = {e.person_id for e in rows if e.person_id}
    business_ids = {e.business_id for e in rows if e.business_id}
    persons = {p.id: p for p in session.scalars(
        select(Person).where(Person.id.in_(person_ids)))} if person_ids else {}
    businesses = {b.id: b for b in session.scalars(
        select(Business).where(Business.id.in_(business_ids)))} if business_ids else {}
    out = []
    for e in rows:
        name, doc = _applicant(persons.get(e.person_id or ""),
                               businesses.get(e.business_id or ""))
        out.append(ExpedienteSummary(
            id=e.id, number=e.number, tracking_code=e.tracking_code,
            procedure_name=procedures.get(e.procedure_id, ""), applicant_name=name,
            applicant_doc=doc, status=e.status,
            status_text=_status_text(e.status),
            filed_at=e.filed_at, due_date=e.due_date))
    return out


def _status_text(status: str) -> str:
    try:
        return STATUS_TEXT[Status(status)]
    except ValueError:
        return status


def _applicant(person: Person | None, business: Business | None) -> tuple[str, str | None]:
    if business is not None:
        return business.name, f"RUC {business.ruc}"
    if person is not None:
        return (full_name(person.given_names, person.paternal_surname, person.maternal_surname),
                f"{person.doc_type} {person.doc_number}")
    return "", None
