"""Peruvian names for search: folding, reading a query, ranking a name; the data generator."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.pe import cui, ruc

from kiosk.errors import InvalidInput
from kiosk.rules.names import fold, search_key
from kiosk.seed.names import (
    SURNAMES,
    PeopleGenerator,
    dni_check_characters,
    dni_for,
    person_ruc,
    ruc_check_digit,
)
from kiosk.services.search import (
    PERSON_SLOTS,
    NameQuery,
    check_limit,
    check_query,
    fts_tiers,
    name_tier,
    name_units,
    parse_query,
)

# --- folding -------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "folded"), [
    ("Núñez", "NUNEZ"),
    ("NUNEZ", "NUNEZ"),
    ("  maría   del  Águila ", "MARIA DEL AGUILA"),
    ("Ñahui-Pérez", "NAHUI-PEREZ"),
    ("Huamán", "HUAMAN"),
])
def test_fold_ignores_case_accents_and_the_tilde_of_n(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_search_key_is_surnames_first_and_handles_a_missing_maternal_surname() -> None:
    assert search_key("Quispe", "Mamani", "Juan Carlos") == "QUISPE MAMANI JUAN CARLOS"
    assert search_key("De la Cruz", None, "Rosa") == "DE LA CRUZ ROSA"


# --- reading a query -------------------------------------------------------------------------


def test_name_units_keep_compound_surnames_together() -> None:
    assert name_units(["JUAN", "DE", "LA", "CRUZ", "QUISPE"]) == (
        ("JUAN",), ("DE", "LA", "CRUZ"), ("QUISPE",))
    assert name_units(["ROSA", "DEL", "AGUILA"]) == (("ROSA",), ("DEL", "AGUILA"))
    # Still typing «Quispe de…»: the dangling particle is left out.
    assert name_units(["QUISPE", "DE"]) == (("QUISPE",),)
    assert name_units(["DE", "LA"]) == (("DE", "LA"),)


@pytest.mark.parametrize(("typed", "number"), [
    ("CAJ-2026-000123", "CAJ-2026-000123"),
    ("caj-2026-123", "CAJ-2026-000123"),
    ("CAJ 2026-123", "CAJ-2026-000123"),
    ("2026-123", "CAJ-2026-000123"),
    ("2025-7", "CAJ-2025-000007"),
    ("123", "CAJ-2026-000123"),
    ("HYO-2024-000045", "HYO-2024-000045"),
])
def test_expediente_numbers_in_their_short_forms(typed: str, number: str) -> None:
    parsed = parse_query(typed, "CAJ", 2026)
    assert parsed.expediente_numbers == (number,)
    assert parsed.name is None


def test_a_number_zero_is_no_expediente() -> None:
    assert parse_query("0", "CAJ", 2026).expediente_numbers == ()
    assert parse_query("2026-0", "CAJ", 2026).expediente_numbers == ()


@pytest.mark.parametrize("typed", ["7K3QD-9XM2A-VB8", "7k3qd9xm2avb8", "7K3QD 9XM2A VB8"])
def test_tracking_codes_ignore_case_spaces_and_dashes(typed: str) -> None:
    assert parse_query(typed).tracking_codes == ("7K3QD9XM2AVB8",)


def test_tracking_codes_read_o_i_l_as_digits() -> None:
    assert parse_query("7K3QD-9XM2A-VBO").tracking_codes == ("7K3QD9XM2AVB0",)
    assert parse_query("IL3QD-9XM2A-VB8").tracking_codes == ("113QD9XM2AVB8",)


def test_documents() -> None:
    dni = parse_query("10117410")
    assert dni.documents == ("10117410",) and dni.rucs == () and dni.name is None
    assert parse_query("10.117.410").documents == ("10117410",)
    # The DNI's 9th check character (digit or letter form) is recognised and dropped.
    digit, letter = cui.calc_check_digits("10117410")
    assert "10117410" in parse_query(f"10117410-{digit}").documents
    assert "10117410" in parse_query(f"10117410{letter}").documents
    assert parse_query("20512333797").rucs == ("20512333797",)
    assert parse_query("001234567").documents == ("001234567",)  # carné de extranjería


def test_names_in_any_order_read_as_a_name_with_the_whole_query_as_prefix() -> None:
    parsed = parse_query("Quispe Mamani, Juan")
    assert parsed.name == NameQuery(key="QUISPE MAMANI JUAN",
                                    units=(("QUISPE",), ("MAMANI",), ("JUAN",)))
    assert parsed.documents == () and parsed.expediente_numbers == ()


def test_too_short_or_too_long_queries_and_limits_are_refused_in_spanish() -> None:
    for query in ("", " ", "a", " q "):
        with pytest.raises(InvalidInput) as error:
            check_query(query)
        assert error.value.code == "query_too_short"
        assert "al menos 2 caracteres" in error.value.message
    with pytest.raises(InvalidInput, match="hasta"):
        check_query("x" * 500)
    assert check_query("  Quispe   Mamani ") == "Quispe Mamani"
    for limit in (0, -1, 101):
        with pytest.raises(InvalidInput, match="entre 1 y 100"):
            check_limit(limit)


# --- ranking a name --------------------------------------------------------------------------


def _tier(query: str, given: str, paternal: str, maternal: str | None) -> int | None:
    name = parse_query(query).name
    assert name is not None
    return name_tier(paternal, maternal, given, search_key(paternal, maternal, given), name)


@pytest.mark.parametrize(("query", "tier"), [
    ("Quispe Mamani", 0),  # both surnames, in order
    ("Quispe Mamani Juan", 0),
    ("quispe mamani juan carlos", 0),
    ("Quispe", 0),  # the paternal surname alone
    ("Quispe Mam", 0),  # still typing
    ("Juan Carlos Quispe Mamani", 1),  # as printed on documents
    ("Juan Quispe Mamani", 1),
    ("Juan Carlos Quispe", 1),
    ("Carlos Quispe", 1),
    ("Mamani", 1),  # the maternal surname alone
    ("Quispe Juan", 2),  # paternal surname and a given name
    ("Carlos", 2),  # a given name alone
    ("Mamani Quispe", 3),  # surnames swapped
    ("Mamani Juan", 3),
])
def test_tiers_of_one_person(query: str, tier: int) -> None:
    assert _tier(query, "Juan Carlos", "Quispe", "Mamani") == tier


def test_names_that_do_not_match() -> None:
    assert _tier("Quispe Flores", "Juan Carlos", "Quispe", "Mamani") is None
    assert _tier("Mamani Rosa", "Juan Carlos", "Quispe", "Mamani") is None
    # Given names must be consecutive and in order to count as «given names first».
    assert _tier("Carlos Juan Quispe", "Juan Carlos", "Quispe", "Mamani") == 3


def test_accents_and_the_tilde_of_n_do_not_matter() -> None:
    assert _tier("nunez huaman", "José", "Núñez", "Huamán") == 0
    assert _tier("José NUÑEZ", "Jose", "Nuñez", None) == 1


def test_compound_surnames() -> None:
    assert _tier("de la Cruz Quispe", "Rosa", "De la Cruz", "Quispe") == 0
    assert _tier("Rosa de la Cruz", "Rosa", "De la Cruz", "Quispe") == 1
    assert _tier("Rosa de la Cruz Quispe", "Rosa", "De la Cruz", "Quispe") == 1
    assert _tier("Cruz", "Rosa", "De la Cruz", "Quispe") == 3
    assert _tier("del aguila", "Luis", "Tafur", "Del Águila") == 1
    assert _tier("María de los Ángeles Quispe", "María de los Ángeles", "Quispe", None) == 1


def test_a_person_without_a_maternal_surname() -> None:
    assert _tier("Quispe Juan", "Juan", "Quispe", None) == 0
    assert _tier("Juan Quispe", "Juan", "Quispe", None) == 1


def test_fts_queries_name_the_columns_of_each_tier() -> None:
    name = parse_query("Juan Carlos Quispe").name
    assert name is not None
    given_first, paternal_given, anywhere = fts_tiers(PERSON_SLOTS, name)
    assert 'given_names : "JUAN CARLOS" AND paternal_surname : "QUISPE"' in given_first
    assert ('given_names : "JUAN" AND paternal_surname : "CARLOS" AND '
            'maternal_surname : "QUISPE"') in given_first
    assert paternal_given == ('(paternal_surname : "JUAN" AND '
                              'given_names : "CARLOS QUISPE")')
    assert anywhere.count("{paternal_surname maternal_surname given_names}") == 3
    single = parse_query("Mamani").name
    assert single is not None
    assert fts_tiers(PERSON_SLOTS, single)[0] == '(maternal_surname : "MAMANI")'


# --- the generator ---------------------------------------------------------------------------


def test_documents_of_the_generator_have_valid_check_digits() -> None:
    assert dni_check_characters("10117410") == tuple(cui.calc_check_digits("10117410"))
    for known in ("20512333797", "20100070970"):
        assert ruc_check_digit(known[:10]) == known[10]
    generator = PeopleGenerator(3)
    for _ in range(200):
        person = generator.person()
        assert len(person.dni) == 8 and person.dni.isdigit()
        assert person.dni_check == cui.calc_check_digits(person.dni)[0]
        assert ruc.is_valid(person_ruc(person.dni))
        assert ruc.is_valid(generator.business().ruc)
        assert ruc.is_valid(generator.business(person).ruc)


def test_generated_dnis_are_distinct() -> None:
    dnis = {dni_for(i) for i in range(50_000)}
    assert len(dnis) == 50_000
    assert all(len(d) == 8 for d in dnis)


def test_the_same_seed_gives_the_same_people_and_actas() -> None:
    today = date(2026, 11, 20)
    first, second, other = PeopleGenerator(11), PeopleGenerator(11), PeopleGenerator(12)
    assert [first.person() for _ in range(20)] == [second.person() for _ in range(20)]
    assert list(first.actas(50, today)) == list(second.actas(50, today))
    assert [p.full_name for p in other.people(20)] != [
        p.full_name for p in PeopleGenerator(11).people(20)]


def test_generated_people_look_peruvian() -> None:
    people = list(PeopleGenerator(5).people(3000))
    surnames = [p.paternal_surname for p in people] + [p.maternal_surname for p in people]
    for expected in ("Quispe", "Mamani", "Huamán", "Condori", "De la Cruz", "Del Águila",
                     "Chuquimango", "Ticona", "Ccori"):
        assert expected in surnames, expected
    # Quispe is the most frequent surname of Peru, here too.
    assert max({s for s, _ in SURNAMES}, key=surnames.count) == "Quispe"
    assert any(" " in p.given_names for p in people)  # two given names
    assert any(" " not in p.given_names for p in people)


def test_generated_actas_are_consistent() -> None:
    today = date(2026, 11, 20)
    actas = list(PeopleGenerator(9).actas(600, today))
    assert {a.kind for a in actas} == {"nacimiento", "matrimonio", "defuncion"}
    numbers = [(a.kind, a.acta_number) for a in actas]
    assert len(set(numbers)) == len(numbers)
    for acta in actas:
        assert acta.event_date <= acta.registered_on <= today
        assert (acta.spouse_given is not None) == (acta.kind == "matrimonio")
        if acta.kind == "nacimiento":
            # The child carries the father's and the mother's paternal surnames.
            assert acta.father_name and acta.mother_name
            assert acta.titular_paternal in acta.father_name
            assert acta.titular_maternal and acta.titular_maternal in acta.mother_name
    minors = [a for a in actas if a.kind == "nacimiento"
              and (today - a.event_date).days < 18 * 365]
    assert minors  # the registry has minors, whose copies go to the parents only
