"""Identity documents: DNI (with its optional check character), CE, passport, RUC; name matching."""

from __future__ import annotations

import pytest

from kiosk.errors import InvalidInput
from kiosk.rules.identity import (
    clean,
    same_business,
    same_person,
    validate_ce,
    validate_dni,
    validate_document,
    validate_passport,
    validate_ruc,
)


def test_clean_drops_spaces_dots_and_dashes() -> None:
    assert clean(" 10.117.410-2 ") == "101174102"
    assert clean("ab-12 cd") == "AB12CD"


@pytest.mark.parametrize(("raw", "expected"), [
    ("10117410", "10117410"),
    ("10 117 410", "10117410"),
    ("10.117.410", "10117410"),
    ("101174102", "10117410"),  # check digit, digit form
    ("10117410-2", "10117410"),
    ("10117410G", "10117410"),  # check character, letter form
    ("10117410g", "10117410"),
    ("00000001", "00000001"),  # leading zeros are part of the number
])
def test_valid_dni(raw: str, expected: str) -> None:
    assert validate_dni(raw) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("1234567", "El DNI debe tener 8 dígitos; «1234567» tiene 7."),
    ("1234567890", "El DNI debe tener 8 dígitos; «1234567890» tiene 10."),
    ("1", "El DNI debe tener 8 dígitos; «1» tiene 1."),
    ("12A45678", "El DNI solo lleva números; «12A45678» tiene otros caracteres."),
    ("", "Ingrese el número de DNI (8 dígitos)."),
    ("101174105", "El dígito de verificación «5» no corresponde al DNI 10117410 (debería ser "
                  "2 o G). Revise el número, o ingrese solo los 8 dígitos."),
    ("10117410K", "El dígito de verificación «K» no corresponde al DNI 10117410 (debería ser "
                  "2 o G). Revise el número, o ingrese solo los 8 dígitos."),
])
def test_invalid_dni(raw: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_dni(raw)
    assert (caught.value.code, caught.value.message) == ("invalid_dni", message)


@pytest.mark.parametrize("raw", ["20512333797", "20100070970", "10101174102", "20-51233379-7",
                                 " 2010 0070 970 "])
def test_valid_ruc(raw: str) -> None:
    assert validate_ruc(raw) == clean(raw)


@pytest.mark.parametrize(("raw", "message"), [
    ("20512333798", "El RUC 20512333798 no es válido: el dígito de control no corresponde. "
                    "Revise el número."),
    ("2051233379", "El RUC debe tener 11 dígitos; «2051233379» tiene 10."),
    ("30512333797", "El RUC 30512333797 no es válido: debe empezar con 10, 15, 17 o 20. "
                    "Revise el número."),
    ("2051233379O", "El RUC solo lleva números; «2051233379O» tiene otros caracteres."),
    ("  ", "Ingrese el número de RUC (11 dígitos)."),
])
def test_invalid_ruc(raw: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_ruc(raw)
    assert (caught.value.code, caught.value.message) == ("invalid_ruc", message)


def test_carne_de_extranjeria_and_passport() -> None:
    assert validate_ce("001234567") == "001234567"
    assert validate_ce("ab-1234567") == "AB1234567"
    assert validate_passport("x1234567") == "X1234567"
    for bad in ("12345", "1234567890123", "12345678*"):
        with pytest.raises(InvalidInput) as caught:
            validate_ce(bad)
        assert "carné de extranjería tiene de 6 a 12 letras o números" in caught.value.message
    with pytest.raises(InvalidInput) as caught:
        validate_passport("12345")
    assert "pasaporte tiene de 6 a 12" in caught.value.message


def test_validate_document_by_type() -> None:
    assert validate_document("DNI", "10117410") == "10117410"
    assert validate_document("CE", "001234567") == "001234567"
    assert validate_document("PAS", "AB123456") == "AB123456"
    with pytest.raises(InvalidInput) as caught:
        validate_document("LE", "10117410")
    assert caught.value.message == ("Tipo de documento desconocido «LE». Use DNI, CE (carné de "
                                    "extranjería), CPP (carné de permiso temporal de "
                                    "permanencia, también el PTP) o PAS (pasaporte).")


@pytest.mark.parametrize(("stored", "typed", "same"), [
    (("Juan Carlos", "Quispe", "Mamani"), ("JUAN CARLOS", "QUISPE", "MAMANI"), True),
    (("María", "Ñahui", "Pérez"), ("maria", "nahui", "perez"), True),  # accents, case
    (("Juan Carlos", "Quispe", "Mamani"), ("Carlos", "Quispe", None), True),  # one name, no 2nd
    (("Juan Carlos", "Quispe", "Mamani"), ("Juan", "Quipse", "Mamani"), True),  # swapped letters
    (("Juan Carlos", "Quispe", "Mamani"), ("Juan", "Quispe", "Mamanu"), True),  # one-letter slip
    (("Juan Carlos", "Quispe", "Mamani"), ("Rosa", "Quispe", "Mamani"), False),  # a sister
    (("Juan Carlos", "Quispe", "Mamani"), ("Juan", "Huamán", "Cruz"), False),
    (("Juan Carlos", "Quispe", "Mamani"), ("Juan", "Quispe", "Flores"), False),
    (("Ana", "Paz", None), ("Ana", "Pas", None), False),  # short words must match exactly
])
def test_same_person(stored: tuple[str, str, str | None], typed: tuple[str, str, str | None],
                     same: bool) -> None:
    assert same_person(stored, typed) is same


def test_same_business() -> None:
    assert same_business("Bodega Doña Rosa E.I.R.L.", "BODEGA DOÑA ROSA EIRL")
    assert same_business("Transportes Cajamarca S.A.C.", "Transportes Cajamarca")
    assert not same_business("Bodega Doña Rosa E.I.R.L.", "Ferretería El Tornillo S.A.C.")
