"""The civil registry index on a real office store: entering actas, importing a CSV of the books,
searching by name with Peruvian two-surname handling; the demo office's registry."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kiosk.cli import main
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import Conflict, InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services import registry
from kiosk.services.expediente_views import ActaInput
from kiosk.storage.tables import Acta, Event

TODAY = date(2026, 11, 20)  # the conftest clock's day

HEADER = ("tipo;numero_acta;libro;folio;fecha_hecho;fecha_inscripcion;lugar;nombres;"
          "apellido_paterno;apellido_materno;conyuge_nombres;conyuge_apellido_paterno;"
          "conyuge_apellido_materno;padre;madre")


@pytest.fixture
def office(data_dir: DataDir, clock: VirtualClock) -> Iterator[OfficeHub]:
    """An office without the demo's generated actas: only the actas each test enters."""
    hub = OfficeHub.initialise(data_dir, "CAJ", "CAC Cajamarca", clock=clock)
    yield hub
    hub.close()


def acta(**changes: Any) -> ActaInput:
    fields: dict[str, Any] = {
        "kind": "nacimiento", "acta_number": "90001", "book": "12", "folio": "34",
        "event_date": date(1990, 3, 14), "registered_on": date(1990, 3, 20),
        "place": "Cajamarca", "titular_given": "Juan Carlos", "titular_paternal": "Quispe",
        "titular_maternal": "Mamani", "father_name": "Pedro Quispe Huamán",
        "mother_name": "Rosa Mamani Condori",
    }
    fields.update(changes)
    return ActaInput(**fields)


def write_csv(path: Path, *lines: str, header: str = HEADER, encoding: str = "utf-8-sig"
              ) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding=encoding)
    return path


def acta_count(hub: OfficeHub) -> int:
    with hub.store.read_session() as session:
        return session.scalar(select(func.count()).select_from(Acta)) or 0


# --- entering actas --------------------------------------------------------------------------


def test_an_acta_is_entered_with_its_event_and_found_again(office: OfficeHub) -> None:
    view = office.add_acta(SYSTEM, acta(acta_number=" 90001 ", titular_given=" Juan  Carlos "))
    assert view.kind_text == "Nacimiento"
    assert view.titular_name == "Juan Carlos Quispe Mamani"
    assert view.acta_number == "90001" and not view.minor
    with office.store.read_session() as session:
        stored = session.get(Acta, view.id)
        assert stored is not None and stored.titular_search == "QUISPE MAMANI JUAN CARLOS"
        events = [(e.stream, e.kind, e.data["acta_number"]) for e in session.scalars(
            select(Event).where(Event.stream_id == view.id))]
        assert registry.get_acta(session, view.id, TODAY) == view
    assert events == [("acta", "registered", "90001")]
    assert office.search_actas(SYSTEM, "90001")[0].id == view.id
    assert office.search_actas(SYSTEM, "quispe mamani juan")[0].id == view.id


def test_a_marriage_names_both_spouses_and_either_finds_it(office: OfficeHub) -> None:
    view = office.add_acta(SYSTEM, acta(
        kind="matrimonio", acta_number="M-77", event_date=date(2015, 6, 6),
        registered_on=date(2015, 6, 6), titular_given="Luis", titular_paternal="Ticona",
        titular_maternal="Apaza", spouse_given="Ana María", spouse_paternal="Del Águila",
        spouse_maternal="Ñahui", father_name=None, mother_name=None))
    assert view.spouse_name == "Ana María Del Águila Ñahui"
    for query in ("Ticona Apaza", "del aguila nahui", "Ana Maria del Aguila", "nahui"):
        assert [a.id for a in office.search_actas(SYSTEM, query)] == [view.id], query
    assert office.search_actas(SYSTEM, "del aguila", "matrimonio")[0].id == view.id
    assert [a.id for a in office.search_actas(SYSTEM, "Ticona Apaza", "nacimiento")] == []


@pytest.mark.parametrize(("changes", "code", "words"), [
    ({"event_date": date(2026, 11, 21), "registered_on": date(2026, 11, 21)},
     "date_in_future", "posterior a hoy"),
    ({"registered_on": date(2026, 12, 1)}, "date_in_future", "inscripción"),
    ({"registered_on": date(1990, 3, 1)}, "registered_before_event", "anterior a la de"),
    ({"event_date": date(1700, 1, 1)}, "invalid_date", "anterior a 1850"),
    ({"kind": "matrimonio", "father_name": None, "mother_name": None}, "spouse_required",
     "cónyuge"),
    ({"kind": "matrimonio", "spouse_given": "Ana"}, "spouse_required", "apellido paterno"),
    ({"spouse_given": "Ana", "spouse_paternal": "Flores"}, "spouse_not_allowed",
     "Solo las actas de matrimonio"),
    ({"titular_paternal": "Quispe2"}, "invalid_name", "apellido paterno del titular"),
    ({"titular_given": "   "}, "missing_value", "Faltan los nombres del titular"),
    ({"acta_number": "12 #4"}, "invalid_acta_number", "número de acta"),
    ({"book": "  "}, "missing_value", "Falta el libro"),
])
def test_wrong_actas_are_refused_in_spanish(office: OfficeHub, changes: dict[str, Any],
                                           code: str, words: str) -> None:
    before = acta_count(office)
    with pytest.raises(InvalidInput) as error:
        office.add_acta(SYSTEM, acta(**changes))
    assert error.value.code == code
    assert words in error.value.message
    assert acta_count(office) == before


def test_the_same_kind_and_number_twice_is_a_conflict(office: OfficeHub) -> None:
    office.add_acta(SYSTEM, acta())
    with pytest.raises(Conflict) as error:
        office.add_acta(SYSTEM, acta(titular_given="Otro"))
    assert error.value.code == "acta_exists"
    assert "nacimiento n.º 90001 (libro 12, folio 34)" in error.value.message
    # The same number in another kind of book is another acta.
    assert office.add_acta(SYSTEM, acta(kind="defuncion", event_date=date(2020, 1, 2),
                                     registered_on=date(2020, 1, 3))).kind == "defuncion"


def test_a_minors_birth_record_says_so(office: OfficeHub) -> None:
    child = office.add_acta(SYSTEM, acta(acta_number="1", event_date=date(2010, 5, 1),
                                      registered_on=date(2010, 5, 3)))
    adult = office.add_acta(SYSTEM, acta(acta_number="2", event_date=date(2008, 11, 20),
                                      registered_on=date(2008, 11, 21)))
    eve = office.add_acta(SYSTEM, acta(acta_number="3", event_date=date(2008, 11, 21),
                                    registered_on=date(2008, 11, 22)))
    dead = office.add_acta(SYSTEM, acta(kind="defuncion", acta_number="4",
                                     event_date=date(2020, 1, 1), registered_on=date(2020, 1, 2)))
    assert child.minor and eve.minor  # 18 tomorrow
    assert not adult.minor and not dead.minor  # 18 today; deaths are never «minors»
    found = {a.acta_number: a.minor for a in office.search_actas(SYSTEM, "Juan Carlos Quispe")}
    assert found == {"1": True, "2": False, "3": True, "4": False}


# --- searching the registry ------------------------------------------------------------------


@pytest.fixture
def registry_hub(office: OfficeHub) -> OfficeHub:
    """A few actas whose names test the orders, accents and compound surnames."""
    people = [
        ("Juan Carlos", "Quispe", "Mamani"),
        ("Rosa", "Quispe", "Mamani"),
        ("Juan", "Mamani", "Quispe"),  # surnames the other way round
        ("Carlos", "Quispe", "Flores"),
        ("José", "Núñez", "Huamán"),
        ("María", "De la Cruz", "Quispe"),
        ("Pedro", "Cruz", "Ccori"),
        ("Juan Quispe", "Ticona", "Condori"),  # «Quispe» as a given name (rare, but legal)
    ]
    for n, (given, paternal, maternal) in enumerate(people, start=1):
        office.add_acta(SYSTEM, acta(acta_number=f"5{n:03d}", titular_given=given,
                                  titular_paternal=paternal, titular_maternal=maternal))
    return office


def names(hub: OfficeHub, query: str, kind: str | None = None) -> list[str]:
    return [a.titular_name for a in hub.search_actas(SYSTEM, query, kind, 100)]


def test_both_surnames_in_order_come_first_then_other_orders(registry_hub: OfficeHub) -> None:
    assert names(registry_hub, "Quispe Mamani") == [
        "Juan Carlos Quispe Mamani", "Rosa Quispe Mamani",  # paterno materno, by given name
        "Juan Mamani Quispe",  # the same surnames in the other order
    ]


def test_given_names_first(registry_hub: OfficeHub) -> None:
    # Given names first, then the surnames; all the words in another order come after.
    assert names(registry_hub, "Juan Quispe Mamani") == [
        "Juan Carlos Quispe Mamani", "Juan Mamani Quispe"]
    assert names(registry_hub, "Juan Carlos Quispe")[0] == "Juan Carlos Quispe Mamani"
    assert names(registry_hub, "Quispe Mamani Juan") == [
        "Juan Carlos Quispe Mamani", "Juan Mamani Quispe"]


def test_one_surname_paternal_first_then_maternal_then_given(registry_hub: OfficeHub) -> None:
    assert names(registry_hub, "Quispe") == [
        "Carlos Quispe Flores", "Juan Carlos Quispe Mamani", "Rosa Quispe Mamani",  # paterno
        "María De la Cruz Quispe", "Juan Mamani Quispe",  # materno
        "Juan Quispe Ticona Condori",  # a given name
    ]


def test_surname_and_given_name(registry_hub: OfficeHub) -> None:
    assert names(registry_hub, "Quispe Carlos") == [
        "Carlos Quispe Flores", "Juan Carlos Quispe Mamani"]


def test_accents_and_enie_are_ignored(registry_hub: OfficeHub) -> None:
    for query in ("Nuñez", "NUNEZ", "núñez huamán", "jose nunez"):
        assert names(registry_hub, query) == ["José Núñez Huamán"], query


def test_compound_surnames_stay_together(registry_hub: OfficeHub) -> None:
    assert names(registry_hub, "de la Cruz") == ["María De la Cruz Quispe"]
    assert names(registry_hub, "Maria de la Cruz") == ["María De la Cruz Quispe"]
    assert names(registry_hub, "Cruz") == ["Pedro Cruz Ccori", "María De la Cruz Quispe"]


def test_search_refuses_short_queries_and_unknown_kinds(registry_hub: OfficeHub) -> None:
    with pytest.raises(InvalidInput, match="al menos 2"):
        registry_hub.search_actas(SYSTEM, "Q")
    with pytest.raises(InvalidInput, match="Tipo de acta desconocido"):
        registry_hub.search_actas(SYSTEM, "Quispe", "bautizo")
    assert names(registry_hub, "Quispe Mamani", "defunción") == []


def test_the_demo_office_has_a_registry_to_search(hub: OfficeHub) -> None:
    assert acta_count(hub) == registry.DEMO_ACTAS
    found = hub.search_actas(SYSTEM, "Quispe", limit=100)
    assert found and all("QUISPE" in (a.titular_name + (a.spouse_name or "")).upper()
                         for a in found)
    assert {a.kind for a in hub.search_actas(SYSTEM, "Maria", limit=100)} == {
        "nacimiento", "matrimonio", "defuncion"}
    with hub.store.read_session() as session:
        minors = [a for a in session.scalars(select(Acta)) if registry.acta_view(a, TODAY).minor]
    assert minors


# --- importing a CSV -------------------------------------------------------------------------


GOOD_LINES = (
    "nacimiento;70001;3;15;14/03/1990;20/03/1990;Cajamarca;Juan Carlos;Quispe;Mamani;;;;"
    "Pedro Quispe Huamán;Rosa Mamani Condori",
    "Matrimonio;70002;1;2;2015-06-06;2015-06-06;Jesús;Luis;Ticona;Apaza;Ana;Del Águila;Ñahui;;",
    "defunción;70003;9;100;2024-01-02;2024-01-03;Namora;Segundo;Chuquimango;Ccori;;;;;",
)


def test_a_csv_of_the_books_is_imported_whole_and_again_changes_nothing(
        office: OfficeHub, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "libros.csv", *GOOD_LINES)
    before = acta_count(office)
    result = office.import_actas(SYSTEM, path)
    assert (result.rows, result.added, result.unchanged) == (3, 3, 0)
    assert acta_count(office) == before + 3
    found = office.search_actas(SYSTEM, "chuquimango ccori")
    assert [(a.kind, a.acta_number, a.event_date) for a in found] == [
        ("defuncion", "70003", date(2024, 1, 2))]
    assert office.search_actas(SYSTEM, "70002")[0].spouse_name == "Ana Del Águila Ñahui"
    again = office.import_actas(SYSTEM, path)
    assert (again.added, again.unchanged) == (0, 3)
    assert acta_count(office) == before + 3


def test_a_comma_separated_file_with_english_headers(office: OfficeHub, tmp_path: Path) -> None:
    header = ("kind,acta_number,book,folio,event_date,registered_on,place,titular_given,"
              "titular_paternal,titular_maternal")
    path = write_csv(tmp_path / "en.csv",
                     'nacimiento,80001,1,1,2001-01-01,2001-01-05,"Baños del Inca, Cajamarca",'
                     "Rosa,Huamán,", header=header, encoding="utf-8")
    assert office.import_actas(SYSTEM, path).added == 1
    (found,) = office.search_actas(SYSTEM, "huaman rosa")
    assert found.place == "Baños del Inca, Cajamarca" and found.titular_maternal is None


@pytest.mark.parametrize(("line", "expected"), [
    ("nacimiento;1;1;1;31/02/2001;01/03/2001;Cajamarca;Rosa;Huamán;;;;;;",
     "línea 3, columna «fecha_hecho»: fecha no válida «31/02/2001»"),
    ("bautizo;1;1;1;2001-01-01;2001-01-02;Cajamarca;Rosa;Huamán;;;;;;",
     "línea 3, columna «tipo»: tipo de acta desconocido «bautizo»"),
    ("nacimiento;1;1;1;2001-01-01;2001-01-02;Cajamarca;;Huamán;;;;;;",
     "línea 3, columna «nombres»: falta el valor."),
    ("nacimiento;1;1;1;2030-01-01;2030-01-02;Cajamarca;Rosa;Huamán;;;;;;",
     "línea 3, columna «fecha_hecho»: La fecha de nacimiento (01/01/2030) no puede ser "
     "posterior a hoy."),
    ("nacimiento;1;1;1;2001-01-05;2001-01-01;Cajamarca;Rosa;Huamán;;;;;;",
     "línea 3, columna «fecha_inscripcion»: La fecha de inscripción (01/01/2001)"),
    ("matrimonio;1;1;1;2001-01-01;2001-01-01;Cajamarca;Rosa;Huamán;;;;;;",
     "línea 3, columna «conyuge_nombres»: Un acta de matrimonio debe indicar al cónyuge"),
    ("nacimiento;1;1;1;2001-01-01;2001-01-02;Cajamarca;Rosa;Huamán;;Luis;Flores;;;",
     "línea 3, columna «conyuge_nombres»: Solo las actas de matrimonio llevan cónyuge."),
    ("nacimiento;1;1;1;2001-01-01;2001-01-02;Cajamarca;Rosa;Huamán;;;;;;;extra",
     "línea 3: tiene 16 valores y la cabecera 15 columnas."),
    ("nacimiento;70001;1;1;2001-01-01;2001-01-02;Cajamarca;Rosa;Huamán;;;;;;",
     "línea 3, columna «numero_acta»: el acta de nacimiento n.º 70001 ya figura en la línea 2."),
    (f"nacimiento;{'9' * 21};1;1;2001-01-01;2001-01-02;Cajamarca;Rosa;Huamán;;;;;;",
     "línea 3, columna «numero_acta»: tiene más de 20 caracteres."),
])
def test_a_bad_line_names_its_line_and_column_and_nothing_is_imported(
        office: OfficeHub, tmp_path: Path, line: str, expected: str) -> None:
    path = write_csv(tmp_path / "malo.csv", GOOD_LINES[0], line, *GOOD_LINES[1:])
    before = acta_count(office)
    with pytest.raises(InvalidInput) as error:
        office.import_actas(SYSTEM, path)
    assert error.value.code == "invalid_actas_file"
    assert error.value.message.startswith("malo.csv: 1 error; no se importó ninguna acta.")
    assert expected in error.value.message
    assert acta_count(office) == before


def test_every_bad_line_is_listed(office: OfficeHub, tmp_path: Path) -> None:
    bad = "nacimiento;{n};1;1;ayer;2001-01-02;Cajamarca;Rosa;Huamán;;;;;;"
    path = write_csv(tmp_path / "muchos.csv", *(bad.format(n=n) for n in range(25)))
    with pytest.raises(InvalidInput) as error:
        office.import_actas(SYSTEM, path)
    message = error.value.message
    assert message.startswith("muchos.csv: 25 errores; no se importó ninguna acta.")
    assert "línea 2, columna «fecha_hecho»" in message and "línea 21," in message
    assert "… y 5 más." in message


def test_an_acta_already_registered_with_other_data_is_an_error(office: OfficeHub,
                                                              tmp_path: Path) -> None:
    office.add_acta(SYSTEM, acta(acta_number="70001"))
    path = write_csv(tmp_path / "libros.csv", *GOOD_LINES)
    with pytest.raises(InvalidInput) as error:
        office.import_actas(SYSTEM, path)
    assert ("línea 2, columna «numero_acta»: el acta de nacimiento n.º 70001 ya está "
            "registrada con otros datos") in error.value.message


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "est\u00e1 vac\u00edo"),
    (b"tipo;numero;libro\n", "columna desconocida «numero»"),
    (b"tipo;numero_acta;libro;folio\n", "falta la columna «fecha_hecho»"),
    (HEADER.encode() + "\nnacimiento;1;1;1;2001-01-01;2001-01-02;Cajamarca;Mar\u00eda;"
     "Pe\u00f1a;;;;;;\n".encode("latin-1"), "no está guardado en UTF-8 (línea 2)"),
])
def test_files_that_are_not_a_csv_of_actas(office: OfficeHub, tmp_path: Path, content: bytes,
                                           expected: str) -> None:
    path = tmp_path / "archivo.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as error:
        office.import_actas(SYSTEM, path)
    assert expected in error.value.message


def test_a_missing_file(office: OfficeHub, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="No se encuentra el archivo"):
        office.import_actas(SYSTEM, tmp_path / "no-existe.csv")


def test_cac_actas_import(office: OfficeHub, data_dir: DataDir, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    office.close()
    path = write_csv(tmp_path / "libros.csv", *GOOD_LINES)
    args = ["actas", "import", "--data-dir", str(data_dir.root), str(path)]
    assert main(args) == 0
    assert "Actas de libros.csv: 3 nuevas, 0 ya estaban registradas" in capsys.readouterr().out
    assert main([*args, "--json"]) == 0
    assert '"unchanged": 3' in capsys.readouterr().out
    bad = write_csv(tmp_path / "malo.csv", "nacimiento;1;1;1;ayer;;x;Rosa;Huamán;;;;;;")
    assert main(["actas", "import", "--data-dir", str(data_dir.root), str(bad)]) == 2
    assert "línea 2, columna «fecha_hecho»" in capsys.readouterr().err
