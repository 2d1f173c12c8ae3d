"""A push body is searched once for where a control character can hide; only a body that may
hold one has its values searched one by one (sync/wire.py `unpack_checked`)."""

from __future__ import annotations

import contextlib
import gzip
import json
import re

import pytest

from sync.central.schema import REPLICAS
from sync.wire import CONTROL_REASON, decode_row, has_control, unpack_checked

# Every character `has_control` refuses: C0 controls but tab and line breaks, DEL, and
# surrogates (the first, the last and one of each half).
REFUSED = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F,
                            0xD800, 0xDBFF, 0xDC00, 0xDFFF)]


def _bodies(value: str) -> list[bytes]:
    """`value` in a batch as JSON writers send it: ASCII escapes (lower and upper hex), and
    UTF-8 as is where it can be."""
    document = {"entries": [{"p": {"given_names": value, "data": {"k": [value]}}}]}
    ascii_json = json.dumps(document)
    upper = re.sub(r"\\u([0-9a-f]{4})", lambda m: "\\u" + m[1].upper(), ascii_json)
    bodies = [ascii_json.encode(), upper.encode()]
    with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate has no UTF-8
        bodies.append(json.dumps(document, ensure_ascii=False).encode())
    return bodies


@pytest.mark.parametrize("char", REFUSED, ids=lambda c: f"U+{ord(c):04X}")
def test_a_body_that_may_hold_a_control_character_is_searched_value_by_value(char: str
                                                                             ) -> None:
    assert has_control(char)
    bodies = _bodies(f"Ana{char}María")
    assert len(set(bodies)) >= 2
    for body in bodies:
        for document, clean in (unpack_checked(body, compressed=False),
                                unpack_checked(gzip.compress(body), compressed=True)):
            assert clean is False, body
            with pytest.raises(ValueError, match=re.escape(CONTROL_REASON)):
                decode_row(REPLICAS["persons"], document["entries"][0]["p"], clean)


def test_a_clean_body_is_trusted_and_decodes_the_same() -> None:
    # Accents, ñ, tabs and line breaks, quotes, symbols: no control character.
    value = 'Ñuñoa \t "Áéí"\n\r ☃ \u00ad \u0100'
    for ascii_only in (True, False):
        body = json.dumps({"entries": [{"p": {"given_names": value}}]},
                          ensure_ascii=ascii_only).encode()
        document, clean = unpack_checked(body, compressed=False)
        payload = document["entries"][0]["p"]
        assert payload["given_names"] == value and not has_control(value)
        assert clean is True, body
        assert decode_row(REPLICAS["persons"], payload, clean) == \
            decode_row(REPLICAS["persons"], payload, False)


@pytest.mark.parametrize("value", ["C:\\u0000 y \\b",  # backslashes a person typed
                                   "Ana 😀"])  # in ASCII JSON, a pair of surrogate escapes
def test_what_only_looks_like_a_control_character_costs_the_search_alone(value: str
                                                                          ) -> None:
    document, clean = unpack_checked(json.dumps({"p": value}).encode(), compressed=False)
    assert document["p"] == value and clean is False
    assert decode_row(REPLICAS["persons"], {"given_names": value}, clean) == \
        {"given_names": value}


def test_a_trusted_body_still_checks_every_value_s_type() -> None:
    with pytest.raises(ValueError, match="given_names"):
        decode_row(REPLICAS["persons"], {"given_names": 7}, True)
