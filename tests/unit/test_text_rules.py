"""The rules for incoming text (kiosk/rules/text.py), over any text hypothesis makes."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.errors import InvalidInput
from kiosk.rules.text import check_line, check_note, clean_name, forbidden


@given(st.text())
def test_a_name_is_refused_or_comes_out_clean_and_stable(text: str) -> None:
    try:
        name = clean_name(text, "nombre")
    except InvalidInput as refused:
        assert refused.code == "invalid_text"
        assert forbidden(text) is not None or "solo caracteres invisibles" in refused.message
        return
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in name)
    assert all(c == " " for c in name if unicodedata.category(c) == "Zs")
    assert unicodedata.is_normalized("NFC", name)
    assert clean_name(name, "nombre") == name
    assert name.strip() or not text.strip()  # never emptied by the cleaning


@given(st.text())
def test_a_line_is_kept_as_typed_or_refused(text: str) -> None:
    has_control = any(unicodedata.category(c) in ("Cc", "Cs") or c in "\u2028\u2029"
                      for c in text)
    if has_control:
        with pytest.raises(InvalidInput):
            check_line(text, "dato")
    else:
        assert check_line(text, "dato") == text


@pytest.mark.parametrize(("text", "problem"), [
    ("a\x00b", "un carácter nulo (U+0000)"), ("a\tb", "una tabulación"),
    ("a\nb", "un salto de línea"), ("a\u2028b", "un salto de línea"),
    ("a\x85b", "un salto de línea"), ("a\x1bb", "un carácter de control (U+001B)"),
    ("a\x9bb", "un carácter de control (U+009B)"), ("a\ud800b", "un carácter Unicode roto"),
])
def test_each_refusal_says_what_the_text_holds(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_line(text, "place")
    assert refused.value.message == (f"«place» contiene {problem}, que no se admite. Escríbalo "
                                     "de nuevo (sin copiarlo y pegarlo de otro documento).")


def test_notes_keep_their_lines_and_nothing_else() -> None:
    assert check_note("uno\r\ndos\rtres\ncuatro", "note") == "uno\ndos\ntres\ncuatro"
    with pytest.raises(InvalidInput):
        check_note("uno\tdos", "note")
