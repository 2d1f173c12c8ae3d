"""A deterministic generator of realistic Peruvian people, businesses and civil-registry actas.

Seeded (`random.Random(seed)`), so a demo office, a test and a benchmark get the same data on
every run. Names follow Peruvian usage: one or two given names, then the paternal and the
maternal surname; Quechua and Aymara surnames (Quispe, Mamani, Huamán, Condori, Ccori, Ticona,
Chuquimango, ...) are frequent, and some surnames are compound («De la Cruz», «Del Águila»).
Weights roughly follow how common each name is (Quispe is the most frequent surname of Peru).

Documents carry valid check digits: the DNI's optional 9th character (PERU-RULES.md) and the
RUC's 11th digit, so generated records pass the same validation as typed ones.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from kiosk.rules.names import full_name

# --- name lists (weight = relative frequency, roughly) -------------------------------------

SURNAMES: tuple[tuple[str, int], ...] = (
    ("Quispe", 60), ("Flores", 40), ("Sánchez", 30), ("Rodríguez", 28), ("García", 28),
    ("Rojas", 26), ("Mamani", 25), ("Huamán", 24), ("Vásquez", 22), ("Ramírez", 20),
    ("Torres", 20), ("Chávez", 20), ("Díaz", 19), ("Mendoza", 18), ("Castillo", 17),
    ("López", 17), ("Gonzales", 16), ("Ramos", 16), ("Espinoza", 15), ("Pérez", 15),
    ("Cruz", 14), ("Gutiérrez", 14), ("Vargas", 14), ("Fernández", 13), ("Romero", 13),
    ("Condori", 13), ("Huanca", 11), ("Apaza", 10), ("Choque", 10), ("Ticona", 8),
    ("Ccori", 5), ("Chuquimango", 5), ("Cusi", 5), ("Yupanqui", 5), ("Chambi", 5),
    ("Cutipa", 4), ("Pari", 4), ("Coaquira", 4), ("Ccahuana", 4), ("Huillca", 4),
    ("Ñahui", 3), ("Núñez", 8), ("Muñoz", 8), ("Peña", 8), ("Zúñiga", 6), ("Ibáñez", 4),
    ("Castañeda", 6), ("Cóndor", 5), ("Tacilla", 5), ("Cotrina", 5), ("Chilón", 5),
    ("Vilca", 6), ("Alvarado", 9), ("Salazar", 9), ("Medina", 9), ("Herrera", 9),
    ("Aguilar", 9), ("Córdova", 8), ("Silva", 9), ("Morales", 9), ("Reyes", 9), ("Ruiz", 8),
    ("Jiménez", 8), ("Paredes", 8), ("Cabrera", 7), ("León", 7), ("Palomino", 6), ("Ríos", 7),
    ("Ayala", 6), ("Campos", 7), ("Vega", 7), ("Carrasco", 6), ("Valdivia", 5), ("Quiroz", 6),
    ("Villanueva", 6), ("Villavicencio", 3), ("Huamaní", 6), ("Llanos", 4), ("Cerna", 5),
    ("Terrones", 4), ("Chuquiruna", 3), ("Ayay", 2), ("Sangay", 2), ("Atalaya", 3),
    ("Mego", 3), ("Tafur", 3), ("Infante", 3), ("Ocas", 3), ("Julcamoro", 2),
    ("Quiliche", 2), ("Sáenz", 3), ("Machaca", 4), ("Callata", 2), ("Larico", 3),
    ("Ccallo", 2), ("Huarachi", 3), ("Limachi", 3), ("Cahuana", 2), ("Pacompía", 2),
    # Compound surnames: one surname of several words.
    ("De la Cruz", 8), ("Del Águila", 4), ("De los Santos", 3), ("Del Castillo", 3),
    ("De la Torre", 3), ("Del Carpio", 3), ("San Martín", 2),
)

MALE_NAMES: tuple[tuple[str, int], ...] = (
    ("Juan", 30), ("José", 28), ("Luis", 22), ("Carlos", 20), ("Jorge", 15), ("Miguel", 14),
    ("Víctor", 12), ("César", 11), ("Jesús", 10), ("Pedro", 10), ("Manuel", 10),
    ("Julio", 9), ("Alberto", 8), ("Marco Antonio", 6), ("Edwin", 6), ("Wilmer", 5),
    ("Richard", 4), ("Roger", 4), ("Percy", 4), ("Walter", 5), ("Elmer", 4),
    ("Segundo", 8), ("Santos", 5), ("Teófilo", 3), ("Néstor", 3), ("Fidel", 3),
    ("Alejandro", 6), ("Diego", 6), ("Sebastián", 6), ("Mateo", 6), ("Thiago", 5),
    ("Rodrigo", 5), ("Ángel", 6), ("Raúl", 5), ("Efraín", 3), ("Hernán", 3), ("Rubén", 4),
    ("Wilfredo", 3), ("Inti", 1), ("Amaru", 1), ("Eusebio", 2),
    ("Florencio", 2), ("Gregorio", 2), ("Francisco", 6), ("Antonio", 6), ("Daniel", 5),
)

FEMALE_NAMES: tuple[tuple[str, int], ...] = (
    ("María", 35), ("Rosa", 18), ("Ana", 14), ("Carmen", 12), ("Juana", 10), ("Luz", 9),
    ("Elizabeth", 8), ("Yolanda", 6), ("Gladys", 6), ("Milagros", 7), ("Flor", 6),
    ("Sonia", 5), ("Julia", 6), ("Nelly", 4), ("Marleny", 4), ("Yessenia", 3), ("Lucía", 7),
    ("Valentina", 6), ("Camila", 6), ("Sofía", 7), ("Ximena", 4), ("Ángela", 5),
    ("Sara", 4), ("Norma", 4), ("Doris", 4), ("Roxana", 4), ("Maribel", 4), ("Zulema", 2),
    ("Rocío", 5), ("Fiorella", 3), ("Pilar", 3), ("Inés", 3), ("Nélida", 3),
    ("Epifanía", 2), ("Santusa", 2), ("Herminia", 2), ("Teodora", 2), ("Dominga", 2),
    ("María de los Ángeles", 3), ("María del Carmen", 4), ("Ñusta", 1), ("Killa", 1),
    ("Micaela", 2), ("Isabel", 5), ("Patricia", 5), ("Verónica", 4), ("Jesús", 1),
)

DISTRICTS: tuple[str, ...] = (
    "Cajamarca", "Los Baños del Inca", "Jesús", "Llacanora", "Namora", "Matara",
    "La Encañada", "Chetilla", "Magdalena", "San Juan", "Cospán", "Asunción",
)

STREETS: tuple[str, ...] = (
    "Jr. Amalia Puga", "Jr. Del Comercio", "Av. Atahualpa", "Jr. Dos de Mayo",
    "Av. Vía de Evitamiento Norte", "Jr. Junín", "Jr. Apurímac", "Av. Independencia",
    "Jr. Tarapacá", "Jr. Silva Santisteban", "Psje. Los Sauces", "Av. Hoyos Rubio",
)

BUSINESS_KINDS: tuple[str, ...] = (
    "Bodega", "Restaurante", "Botica", "Ferretería", "Librería", "Panadería",
    "Pollería", "Hostal", "Taller de mecánica", "Cabinas de internet", "Minimarket",
    "Lácteos", "Cevichería", "Peluquería", "Farmacia", "Multiservicios",
)

COMPANY_SUFFIXES: tuple[str, ...] = ("S.A.C.", "E.I.R.L.", "S.R.L.", "S.A.")

COMPANY_WORDS: tuple[str, ...] = (
    "Andina", "Cajamarquina", "del Norte", "Los Andes", "Inca", "Cumbemayo", "Qhapaq Ñan",
    "Atahualpa", "Agroindustrial", "Constructora", "Transportes", "Inversiones",
    "Servicios Generales", "Lácteos", "Comercial", "Minera", "Textil",
)

_DNI_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
_RUC_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_DNI_FIRST = 10_000_000  # generated DNIs are 10000000 .. 79999999
_DNI_SPAN = 70_000_000
_DNI_STRIDE = 48_271_123  # odd and prime to 70,000,000: i -> DNI is one-to-one


# --- documents -----------------------------------------------------------------------------


def dni_check_characters(dni: str) -> tuple[str, str]:
    """The DNI's optional 9th character in its digit and its letter form (PERU-RULES.md)."""
    if len(dni) != 8 or not dni.isdigit():
        raise ValueError(f"a DNI has 8 digits, not {dni!r}")
    c = sum(w * int(d) for w, d in zip(_DNI_WEIGHTS, dni, strict=True)) % 11
    return "65432110987"[c], "KJIHGFEDCBA"[c]


def ruc_check_digit(first_ten: str) -> str:
    """The 11th digit of a RUC: weights 5,4,3,2,7,6,5,4,3,2; (11 - sum mod 11) mod 10."""
    if len(first_ten) != 10 or not first_ten.isdigit():
        raise ValueError(f"a RUC body has 10 digits, not {first_ten!r}")
    total = sum(w * int(d) for w, d in zip(_RUC_WEIGHTS, first_ten, strict=True))
    return str((11 - total % 11) % 10)


def person_ruc(dni: str) -> str:
    """A person with business: RUC 10 + DNI + check digit."""
    body = "10" + dni
    return body + ruc_check_digit(body)


def dni_for(index: int) -> str:
    """The index-th generated DNI: distinct for every index below 70 million."""
    return str(_DNI_FIRST + (index * _DNI_STRIDE + 1_234_567) % _DNI_SPAN)


# --- records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedPerson:
    dni: str
    dni_check: str  # the digit form of the 9th character
    given_names: str
    paternal_surname: str
    maternal_surname: str
    sex: str  # "F" | "M"
    birth_date: date

    @property
    def full_name(self) -> str:
        return full_name(self.given_names, self.paternal_surname, self.maternal_surname)


@dataclass(frozen=True)
class GeneratedBusiness:
    ruc: str
    name: str
    address: str


@dataclass(frozen=True)
class GeneratedActa:
    """The fields of an ActaInput (kiosk.services.expediente_views) as plain data."""

    kind: str
    acta_number: str
    book: str
    folio: str
    event_date: date
    registered_on: date
    place: str
    titular_given: str
    titular_paternal: str
    titular_maternal: str | None
    spouse_given: str | None = None
    spouse_paternal: str | None = None
    spouse_maternal: str | None = None
    father_name: str | None = None
    mother_name: str | None = None

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


class _Weighted:
    """Draws from a weighted list fast (cumulative weights computed once)."""

    def __init__(self, items: Sequence[tuple[str, int]]) -> None:
        self.values = [name for name, _ in items]
        self.cum = list(accumulate(weight for _, weight in items))

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cum)[0]


_SURNAMES = _Weighted(SURNAMES)
_MALE = _Weighted(MALE_NAMES)
_FEMALE = _Weighted(FEMALE_NAMES)

ACTAS_PER_BOOK = 200
_FIRST_ACTA_NUMBER = {"nacimiento": 1_000_001, "matrimonio": 3_000_001, "defuncion": 5_000_001}
_KIND_MIX = (("nacimiento", 70), ("matrimonio", 15), ("defuncion", 15))


class PeopleGenerator:
    """Seeded source of people, businesses and actas. Same seed, same sequence."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self._people = 0
        self._companies = 0
        self._actas = {kind: 0 for kind in _FIRST_ACTA_NUMBER}

    # --- names ---------------------------------------------------------------------------

    def surname(self) -> str:
        return _SURNAMES.draw(self.rng)

    def given_names(self, sex: str) -> str:
        names = _FEMALE if sex == "F" else _MALE
        first = names.draw(self.rng)
        if " " in first or self.rng.random() < 0.4:
            return first  # one given name (or an already compound one)
        second = names.draw(self.rng)
        while second == first or " " in second:
            second = names.draw(self.rng)
        return f"{first} {second}"

    def _surnames(self) -> tuple[str, str]:
        paternal = self.surname()
        maternal = self.surname()
        return paternal, maternal

    # --- people and businesses -----------------------------------------------------------

    def person(self, today: date = date(2026, 1, 1), *, min_age: int = 0,
               max_age: int = 90) -> GeneratedPerson:
        """The next person: a DNI no earlier person of this generator has."""
        rng = self.rng
        sex = "F" if rng.random() < 0.5 else "M"
        paternal, maternal = self._surnames()
        dni = dni_for(self._people)
        self._people += 1
        age_days = rng.randint(min_age * 365, max_age * 365 + 364)
        return GeneratedPerson(
            dni=dni, dni_check=dni_check_characters(dni)[0], given_names=self.given_names(sex),
            paternal_surname=paternal, maternal_surname=maternal, sex=sex,
            birth_date=today - timedelta(days=age_days))

    def people(self, count: int, today: date = date(2026, 1, 1)) -> Iterator[GeneratedPerson]:
        for _ in range(count):
            yield self.person(today, min_age=18)

    def address(self) -> str:
        rng = self.rng
        return f"{rng.choice(STREETS)} {rng.randint(1, 1999)}, {rng.choice(DISTRICTS)}"

    def business(self, owner: GeneratedPerson | None = None) -> GeneratedBusiness:
        """A person with business (RUC 10, named after the owner) or a company (RUC 20)."""
        rng = self.rng
        if owner is not None:
            kind = rng.choice(BUSINESS_KINDS)
            return GeneratedBusiness(
                ruc=person_ruc(owner.dni),
                name=f"{kind} {owner.given_names.split()[0]} {owner.paternal_surname}",
                address=self.address())
        self._companies += 1
        body = f"20{40_000_000 + (self._companies * 7_919) % 59_999_999:08d}"
        words = rng.sample(COMPANY_WORDS, 2)
        name = f"{words[0]} {words[1]} {rng.choice(COMPANY_SUFFIXES)}"
        return GeneratedBusiness(ruc=body + ruc_check_digit(body), name=name,
                                 address=self.address())

    # --- actas ---------------------------------------------------------------------------

    def _next_number(self, kind: str) -> tuple[str, str, str]:
        n = self._actas[kind]
        self._actas[kind] = n + 1
        return (str(_FIRST_ACTA_NUMBER[kind] + n), str(n // ACTAS_PER_BOOK + 1),
                str(n % ACTAS_PER_BOOK + 1))

    def acta(self, today: date, kind: str | None = None) -> GeneratedActa:
        """One acta of the office's registry, dated on or before `today`."""
        rng = self.rng
        if kind is None:
            kind = rng.choices([k for k, _ in _KIND_MIX], [w for _, w in _KIND_MIX])[0]
        number, book, folio = self._next_number(kind)
        place = rng.choice(DISTRICTS)
        if kind == "nacimiento":
            # A quarter are minors: their copies go to the parents only.
            years = rng.randint(0, 17) if rng.random() < 0.25 else rng.randint(18, 85)
            event = today - timedelta(days=years * 365 + rng.randint(0, 364))
            late = rng.random() < 0.05
            registered = event + timedelta(days=rng.randint(400, 4000) if late
                                           else rng.randint(0, 60))
            registered = min(registered, today)
            father_paternal, mother_paternal = self.surname(), self.surname()
            sex = "F" if rng.random() < 0.5 else "M"
            father = full_name(self.given_names("M"), father_paternal, self.surname())
            mother = full_name(self.given_names("F"), mother_paternal, self.surname())
            return GeneratedActa(
                kind=kind, acta_number=number, book=book, folio=folio, event_date=event,
                registered_on=registered, place=place, titular_given=self.given_names(sex),
                titular_paternal=father_paternal, titular_maternal=mother_paternal,
                father_name=father, mother_name=mother)
        if kind == "matrimonio":
            event = today - timedelta(days=rng.randint(0, 60 * 365))
            husband_p, husband_m = self._surnames()
            wife_p, wife_m = self._surnames()
            return GeneratedActa(
                kind=kind, acta_number=number, book=book, folio=folio, event_date=event,
                registered_on=event, place=place, titular_given=self.given_names("M"),
                titular_paternal=husband_p, titular_maternal=husband_m,
                spouse_given=self.given_names("F"), spouse_paternal=wife_p,
                spouse_maternal=wife_m)
        event = today - timedelta(days=rng.randint(0, 40 * 365))
        registered = min(event + timedelta(days=rng.randint(0, 10)), today)
        paternal, maternal = self._surnames()
        sex = "F" if rng.random() < 0.5 else "M"
        return GeneratedActa(
            kind=kind, acta_number=number, book=book, folio=folio, event_date=event,
            registered_on=registered, place=place, titular_given=self.given_names(sex),
            titular_paternal=paternal, titular_maternal=maternal)

    def actas(self, count: int, today: date) -> Iterator[GeneratedActa]:
        for _ in range(count):
            yield self.acta(today)
