"""Identity documents (DNI, carné de extranjería, CPP/PTP, pasaporte, RUC) and "is this the same
person?".

Numbers are typed by people: spaces, dots and dashes are dropped before checking ("10.117.410",
"20512333797 ", "10117410-2"). Check digits use python-stdnum (`stdnum.pe.cui` for the DNI's
optional 9th character, `stdnum.pe.ruc` for the RUC), as PERU-RULES.md describes. The cards
of Migraciones (carné de extranjería, carné de permiso temporal de permanencia) have no public
check digit: `MIGRACIONES_CARDS` says their format and where it comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from stdnum.exceptions import ValidationError
from stdnum.pe import cui, ruc

from kiosk.errors import InvalidInput
from kiosk.rules.names import fold


class DocType(StrEnum):
    DNI = "DNI"
    CE = "CE"  # carné de extranjería
    CPP = "CPP"  # carné de permiso temporal de permanencia (CPP, and the older PTP card)
    PAS = "PAS"  # pasaporte


DOC_NAMES = {
    DocType.DNI: "DNI",
    DocType.CE: "carné de extranjería",
    DocType.CPP: "carné de permiso temporal de permanencia (CPP/PTP)",
    DocType.PAS: "pasaporte",
}


@dataclass(frozen=True)
class CardFormat:
    """The number of a card Migraciones issues: letters or digits, `min_length` to
    `max_length` of them; a number of digits only shorter than `digits` is the card's number
    without its leading zeros (people drop them), stored with them."""

    min_length: int
    max_length: int
    digits: int
    source: str


# docs/decisions.md «Documentos de extranjeros» says what of this is unconfirmed.
MIGRACIONES_CARDS = {
    DocType.CE: CardFormat(
        6, 12, 9,
        "Superintendencia Nacional de Migraciones: el carné de extranjería (DL 1350) lleva un "
        "número de 9 dígitos; SUNAT (tabla de documentos de identidad, código 4) admite hasta "
        "12 caracteres alfanuméricos para carnés anteriores."),
    DocType.CPP: CardFormat(
        6, 12, 9,
        "Superintendencia Nacional de Migraciones: carné de permiso temporal de permanencia "
        "(CPP, DS 010-2020-IN) y su antecesor, el carné PTP (DS 002-2017-IN, DS 001-2018-IN), "
        "con número de 9 dígitos como el carné de extranjería."),
}

RUC_PREFIXES = ("10", "15", "17", "20")

_SEPARATORS = re.compile(r"[\s.\-]+")
_ALNUM = re.compile(r"[A-Z0-9]+")


def clean(raw: str) -> str:
    """What a person typed, without spaces, dots or dashes, in capitals."""
    return _SEPARATORS.sub("", raw if isinstance(raw, str) else "").upper()


def _shown(raw: str) -> str:
    return " ".join(str(raw).split())[:30]


def validate_dni(raw: str) -> str:
    """The 8 digits of a DNI. A 9th check character (digit or letter) is verified and dropped."""
    number = clean(raw)
    if not number:
        raise InvalidInput("invalid_dni", "Ingrese el número de DNI (8 dígitos).")
    if len(number) == 9 and number[:8].isdigit():
        try:
            cui.validate(number)
        except ValidationError:
            expected = " o ".join(cui.calc_check_digits(number[:8]))
            raise InvalidInput(
                "invalid_dni",
                f"El dígito de verificación «{number[8]}» no corresponde al DNI {number[:8]} "
                f"(debería ser {expected}). Revise el número, o ingrese solo los 8 dígitos.",
            ) from None
        return number[:8]
    if not number.isdigit():
        raise InvalidInput("invalid_dni",
                           f"El DNI solo lleva números; «{_shown(raw)}» tiene otros caracteres.")
    if len(number) != 8:
        raise InvalidInput("invalid_dni",
                           f"El DNI debe tener 8 dígitos; «{number}» tiene {len(number)}.")
    return number


def validate_card(kind: DocType, raw: str) -> str:
    """A Migraciones card's number (carné de extranjería or CPP/PTP) as `MIGRACIONES_CARDS`
    says: «1234567» is stored as the card prints it, «001234567»."""
    card = MIGRACIONES_CARDS[kind]
    name = DOC_NAMES[kind]
    code = f"invalid_{kind.value.lower()}"
    number = clean(raw)
    if not number:
        raise InvalidInput(code, f"Ingrese el número del {name}.")
    if not _ALNUM.fullmatch(number) or not card.min_length <= len(number) <= card.max_length:
        raise InvalidInput(code,
                           f"El {name} tiene de {card.min_length} a {card.max_length} letras o "
                           f"números (el actual, {card.digits} dígitos); «{_shown(raw)}» no "
                           "cumple. Revise el número.")
    if number.isdigit() and len(number) < card.digits:
        return number.zfill(card.digits)
    return number


def validate_ce(raw: str) -> str:
    """A carné de extranjería (no public check digit)."""
    return validate_card(DocType.CE, raw)


def validate_cpp(raw: str) -> str:
    """A carné de permiso temporal de permanencia, CPP or the older PTP."""
    return validate_card(DocType.CPP, raw)


def validate_passport(raw: str) -> str:
    number = clean(raw)
    if not number:
        raise InvalidInput("invalid_passport", "Ingrese el número de pasaporte.")
    if not _ALNUM.fullmatch(number) or not 6 <= len(number) <= 12:
        raise InvalidInput("invalid_passport",
                           f"El pasaporte tiene de 6 a 12 letras o números; «{_shown(raw)}» "
                           "no cumple. Revise el número.")
    return number


def validate_document(doc_type: str, raw: str) -> str:
    """A person's document number in its stored form, or a Spanish error saying what is wrong."""
    try:
        kind = DocType(doc_type)
    except ValueError:
        raise InvalidInput("invalid_doc_type",
                           f"Tipo de documento desconocido «{_shown(doc_type)}». Use DNI, CE "
                           "(carné de extranjería), CPP (carné de permiso temporal de "
                           "permanencia, también el PTP) o PAS (pasaporte).") from None
    if kind is DocType.DNI:
        return validate_dni(raw)
    if kind in MIGRACIONES_CARDS:
        return validate_card(kind, raw)
    return validate_passport(raw)


def validate_ruc(raw: str) -> str:
    """The 11 digits of a RUC with a known prefix and a right check digit."""
    number = clean(raw)
    if not number:
        raise InvalidInput("invalid_ruc", "Ingrese el número de RUC (11 dígitos).")
    if not number.isdigit():
        raise InvalidInput("invalid_ruc",
                           f"El RUC solo lleva números; «{_shown(raw)}» tiene otros caracteres.")
    if len(number) != 11:
        raise InvalidInput("invalid_ruc",
                           f"El RUC debe tener 11 dígitos; «{number}» tiene {len(number)}.")
    if number[:2] not in RUC_PREFIXES:
        raise InvalidInput("invalid_ruc",
                           f"El RUC {number} no es válido: debe empezar con 10, 15, 17 o 20. "
                           "Revise el número.")
    if not ruc.is_valid(number):
        raise InvalidInput("invalid_ruc",
                           f"El RUC {number} no es válido: el dígito de control no corresponde. "
                           "Revise el número.")
    return number


# --- is a typed name the person already on record? ----------------------------------------


def _one_slip(a: str, b: str) -> bool:
    """True when `a` and `b` differ by at most one inserted, deleted or changed letter, or two
    neighbouring letters swapped («Quipse» for «Quispe»)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i]
        return a[i + 1:] == b[i + 1:] or (swapped and a[i + 2:] == b[i + 2:])
    return a[i:] == b[i + 1:]


def _similar(a: str, b: str) -> bool:
    """Folded words that are the same but for a typing slip (one letter, in words of 4+)."""
    if a == b:
        return True
    return min(len(a), len(b)) >= 4 and _one_slip(a, b)


def same_person(stored: tuple[str, str, str | None], typed: tuple[str, str, str | None]) -> bool:
    """Whether names typed at the counter can be the person on record with that document.

    Each tuple is (given names, paternal surname, maternal surname). Accents, case and
    spacing never matter, and one slip of the keyboard in a word of 4+ letters is tolerated;
    a different paternal surname, a different maternal surname (when both are known) or no
    given name in common means someone else — most likely a mistyped document number.
    """
    stored_given, stored_paternal, stored_maternal = (fold(p) if p else "" for p in stored)
    typed_given, typed_paternal, typed_maternal = (fold(p) if p else "" for p in typed)
    if not _similar(stored_paternal, typed_paternal):
        return False
    if stored_maternal and typed_maternal and not _similar(stored_maternal, typed_maternal):
        return False
    return any(_similar(a, b) for a in stored_given.split() for b in typed_given.split())


_LEGAL_FORMS = frozenset({
    "S", "A", "C", "SA", "SAC", "SAA", "SRL", "EIRL", "E", "I", "R", "L", "SOCIEDAD",
    "ANONIMA", "CERRADA", "ABIERTA", "COMERCIAL", "RESPONSABILIDAD", "LIMITADA", "EMPRESA",
    "INDIVIDUAL", "DE", "DEL", "LA", "LAS", "LOS", "EL", "Y", "E.I.R.L.",
})


def _name_words(name: str) -> set[str]:
    words = re.sub(r"[^A-Z0-9 ]+", " ", fold(name)).split()
    return {w for w in words if w not in _LEGAL_FORMS}


def same_business(stored: str, typed: str) -> bool:
    """Whether a typed business name can be the one on record for that RUC.

    «Bodega Doña Rosa E.I.R.L.» and «BODEGA DOÑA ROSA EIRL» are the same; names that share no
    significant word are not.
    """
    a, b = _name_words(stored), _name_words(typed)
    if not a or not b:
        return fold(stored) == fold(typed)
    return any(_similar(x, y) for x in a for y in b)
