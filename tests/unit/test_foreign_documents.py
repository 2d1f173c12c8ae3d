"""The cards Migraciones issues to foreigners: the carné de extranjería (9 digits today, the
zeros people drop put back) and the carné de permiso temporal de permanencia (CPP, and the
older PTP card) that many Venezuelan residents hold."""

from __future__ import annotations

import pytest

from kiosk.errors import InvalidInput
from kiosk.rules.identity import (
    DOC_NAMES,
    MIGRACIONES_CARDS,
    DocType,
    validate_ce,
    validate_cpp,
    validate_document,
)


@pytest.mark.parametrize(("typed", "stored"), [
    ("001234567", "001234567"),  # the card as Migraciones prints it: 9 digits
    ("1234567", "001234567"),  # the same card, its leading zeros dropped
    ("12345678", "012345678"),  # 8 characters: refused on the old rule
    ("123456", "000123456"),
    ("N-123456", "N123456"),  # an older card with a letter: as typed
    ("ab1234567890", "AB1234567890"),  # 12: the most SUNAT's table admits
])
def test_a_carne_de_extranjeria_keeps_the_number_the_card_has(typed: str, stored: str) -> None:
    assert validate_ce(typed) == stored
    assert validate_document("CE", typed) == stored


@pytest.mark.parametrize(("typed", "stored"), [
    ("000456789", "000456789"),
    ("456 789", "000456789"),
    ("98765432", "098765432"),
])
def test_a_cpp_or_ptp_card_is_a_document(typed: str, stored: str) -> None:
    assert validate_cpp(typed) == stored
    assert validate_document("CPP", typed) == stored


@pytest.mark.parametrize(("kind", "typed"), [
    ("CE", "12345"), ("CE", "1234567890123"), ("CE", "1234*5678"),
    ("CPP", "1234"), ("CPP", "ABCDEFGHIJKLM"), ("CPP", ""),
])
def test_numbers_a_card_cannot_have_are_refused(kind: str, typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_document(kind, typed)
    assert caught.value.code == f"invalid_{kind.lower()}"
    assert DOC_NAMES[DocType(kind)] in caught.value.message


def test_each_card_says_where_its_format_comes_from() -> None:
    assert set(MIGRACIONES_CARDS) == {DocType.CE, DocType.CPP}
    for card in MIGRACIONES_CARDS.values():
        assert "Migraciones" in card.source
        assert card.min_length <= card.digits <= card.max_length == 12
