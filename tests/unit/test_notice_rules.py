"""Notices' pure rules: the SMS alphabet and length, the texts, contacts, the backoff."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.errors import InvalidInput
from kiosk.rules.notices import (
    SMS_MAX,
    NoticeKind,
    clean_email,
    clean_mobile,
    gsm7,
    gsm7_length,
    next_attempt,
    notice_text,
)


def test_gsm7_keeps_n_tilde_and_e_acute_and_drops_the_other_accents() -> None:
    assert gsm7("Señora Muñoz, ¿dónde está el trámite? ¡Éxito! Güero") == \
        "Señora Muñoz, ¿donde esta el tramite? ¡Éxito! Güero"
    assert gsm7("ÁÍÓÚ áíóú é") == "AIOU aiou é"
    assert gsm7("«Nº 5» — ok…") == '"No 5" - ok...'
    assert gsm7("emoji 😀 y ŧ") == "emoji ? y ?"
    assert gsm7_length("Muñoz é") == 7  # one septet each: still one segment
    assert gsm7_length("á") is None  # would turn the whole SMS into UCS-2 (70 a segment)
    assert gsm7_length("€") == 2  # the extension table costs two


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_sms_is_one_gsm7_segment_even_with_a_long_office_name(kind: NoticeKind) -> None:
    office = "Municipalidad Provincial de Cajamarca — Centro de Atención al Ciudadano " * 3
    text = notice_text(kind, office, "CAJ-2026-000123", when="el 09/12/2026 a las 10:30")
    length = gsm7_length(text.sms)
    assert length is not None and length <= SMS_MAX
    assert "CAJ-2026-000123" in text.sms
    assert text.sms.startswith("Municipalidad Provincial de Cajamarca")


def test_the_texts_name_only_the_number_and_the_office() -> None:
    text = notice_text(NoticeKind.OBSERVED, "CAC Cajamarca", "CAJ-2026-000007",
                       "https://tramites.example.pe/t/ABCD")
    assert text.sms == ("CAC Cajamarca: su expediente CAJ-2026-000007 fue OBSERVADO. "
                        "Acérquese a subsanarlo dentro de 2 dias habiles.")
    assert gsm7_length(text.sms) == len(text.sms)
    assert text.subject == "Expediente CAJ-2026-000007: observado"
    assert "días hábiles" in text.body and "https://tramites.example.pe/t/ABCD" in text.body
    assert "Ley 29733" in text.body
    ready = notice_text(NoticeKind.READY, "CAC Cajamarca", "CAJ-2026-000007")
    assert ready.sms == "CAC Cajamarca: su expediente CAJ-2026-000007 esta listo para recoger."


def test_contacts_are_checked() -> None:
    assert clean_mobile("+51 987-654-321") == "987654321"
    assert clean_mobile("987654321") == "987654321"
    for wrong in ("87654321", "076 123456", "98765432a"):
        with pytest.raises(InvalidInput) as caught:
            clean_mobile(wrong)
        assert caught.value.code == "invalid_mobile"
    assert clean_email(" ana@correo.pe ") == "ana@correo.pe"
    with pytest.raises(InvalidInput):
        clean_email("ana@correo")


def test_retries_back_off_exponentially_up_to_a_cap() -> None:
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    delays = [next_attempt(now, n) - now for n in range(1, 12)]
    assert delays[:5] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert delays[-1] == timedelta(hours=6)
    assert delays == sorted(delays)
