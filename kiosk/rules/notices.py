"""Notices to citizens (issue 17): which events tell the citizen something, the short
plain-Spanish text of each, the SMS alphabet, contacts and the retry schedule. Pure rules.

SMS: one segment of the GSM 03.38 default alphabet is 160 characters; one character outside
it turns the whole message into UCS-2 (70 a segment). Spanish keeps ñ/Ñ, é/É, ü/Ü, ¿ and ¡
(all in the basic set); á í ó ú (and Á Í Ó Ú) are not, so they lose their accent (`gsm7`).
The text names nothing but the expediente's number and the office (no name, no document).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from kiosk.errors import InvalidInput

SMS_MAX = 160  # one GSM-7 segment


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"


class NoticeKind(StrEnum):
    OBSERVED = "observed"
    APPROVED = "approved"
    READY = "ready"  # ready for pick-up
    DENIED = "denied"
    CITA_REMINDER = "cita_reminder"  # the day before a cita (the citas' engine enqueues it)


class NoticeState(StrEnum):
    PENDING = "pending"  # waiting for its time (or for a link, a provider)
    SENT = "sent"
    FAILED = "failed"  # the provider refused it for good: the supervisor sees it
    CANCELLED = "cancelled"  # consent withdrawn before it left


# The expediente's events (stream «expediente») that tell the citizen something.
EXPEDIENTE_NOTICES = {
    "observed": NoticeKind.OBSERVED,
    "approved": NoticeKind.APPROVED,
    "approved_automatically": NoticeKind.APPROVED,
    "silence_operated": NoticeKind.APPROVED,
    "denied": NoticeKind.DENIED,
}
# A document that, issued for the first time, is there for the citizen to pick up.
READY_DOCUMENTS = frozenset({"copia", "constancia_silencio"})

# What happened, in a few plain words (kept ASCII-safe after `gsm7`).
KIND_TEXT = {
    NoticeKind.OBSERVED: "fue OBSERVADO. Acérquese a subsanarlo dentro de 2 días hábiles",
    NoticeKind.APPROVED: "fue APROBADO",
    NoticeKind.READY: "está listo para recoger",
    NoticeKind.DENIED: "fue DENEGADO. Puede pedir la resolución en la oficina",
    NoticeKind.CITA_REMINDER: "",  # its own sentence: `reminder_text`
}
KIND_LABEL = {NoticeKind.OBSERVED: "Observado", NoticeKind.APPROVED: "Aprobado",
              NoticeKind.READY: "Listo para recoger", NoticeKind.DENIED: "Denegado",
              NoticeKind.CITA_REMINDER: "Recordatorio de cita"}
CHANNEL_TEXT = {Channel.SMS: "SMS", Channel.EMAIL: "correo"}
STATE_TEXT = {NoticeState.PENDING: "Pendiente", NoticeState.SENT: "Enviado",
              NoticeState.FAILED: "Falló", NoticeState.CANCELLED: "Anulado"}

# --- the GSM 03.38 alphabet ----------------------------------------------------------------

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")  # two characters each (escape + the character)
# Kept as they are although outside the set? No: these fold to the set's nearest letter.
_FOLD = {"á": "a", "í": "i", "ó": "o", "ú": "u", "Á": "A", "Í": "I", "Ó": "O", "Ú": "U",
         "È": "E", "Ì": "I", "Ò": "O", "Ù": "U", "À": "A", "ç": "c", "«": '"', "»": '"',
         "“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "°": "o", "º": "o",
         "ª": "a", "…": "..."}


def gsm7(text: str) -> str:
    """`text` in the GSM-7 basic set: ñ, é, ü, ¿, ¡ stay; á í ó ú lose the accent; anything
    else loses its accent or becomes «?». Extension characters ([ ] € …) are left out too:
    they cost two, and a notice needs none."""
    out = []
    for char in text:
        if char in GSM7_BASIC:
            out.append(char)
        elif char in _FOLD:
            out.append(_FOLD[char])
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", char)
                           if not unicodedata.combining(c))
            out.append(base if base and all(c in GSM7_BASIC for c in base) else "?")
    return "".join(out)


def gsm7_length(text: str) -> int | None:
    """Septets the text takes in GSM-7 (extension characters count two); None if it needs
    UCS-2."""
    total = 0
    for char in text:
        if char in GSM7_BASIC:
            total += 1
        elif char in GSM7_EXTENSION:
            total += 2
        else:
            return None
    return total


# --- the texts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeText:
    subject: str  # the e-mail's subject
    body: str  # the e-mail's body (plain text, accents kept)
    sms: str  # GSM-7, at most SMS_MAX


def _sms(office: str, sentence: str) -> str:
    """«<office>: <sentence>.» in GSM-7, the office's name shortened to fit one segment."""
    tail = gsm7(f": {sentence}.")
    room = SMS_MAX - len(tail)
    name = gsm7(" ".join(office.split()))
    if len(name) > room:
        name = name[:max(room - 1, 0)].rstrip() + "."
    return (name + tail)[:SMS_MAX]


def notice_text(kind: NoticeKind, office: str, number: str, tracking_url: str = "",
                when: str = "") -> NoticeText:
    """The notice of `kind` for expediente (or cita code) `number` at `office`; `when`: the
    cita's date and time, for a reminder."""
    if kind is NoticeKind.CITA_REMINDER:
        sentence = f"le recordamos su cita {number} {when}".rstrip()
        subject = f"Recordatorio de su cita {number}"
    else:
        sentence = f"su expediente {number} {KIND_TEXT[kind]}"
        subject = f"Expediente {number}: {KIND_LABEL[kind].lower()}"
    body = f"{office}\n\n{sentence[0].upper()}{sentence[1:]}.\n"
    if tracking_url:
        body += f"\nConsulte su estado en {tracking_url}\n"
    body += ("\nEste aviso se envía porque usted lo autorizó al presentar su trámite "
             "(Ley 29733). Para dejar de recibirlos, pídalo en la oficina.\n")
    return NoticeText(subject=subject, body=body, sms=_sms(office, sentence))


# --- contacts ------------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def clean_mobile(text: str) -> str:
    """A Peruvian mobile number as its 9 digits (9XXXXXXXX), or a Spanish InvalidInput."""
    digits = re.sub(r"[\s\-().]", "", text)
    if digits.startswith("+51"):
        digits = digits[3:]
    elif digits.startswith("0051"):
        digits = digits[4:]
    if not re.fullmatch(r"9\d{8}", digits):
        raise InvalidInput("invalid_mobile",
                           "El celular debe tener 9 dígitos y empezar con 9 "
                           "(p. ej. 987 654 321).")
    return digits


def clean_email(text: str) -> str:
    address = text.strip()
    if len(address) > 120 or not _EMAIL.fullmatch(address):
        raise InvalidInput("invalid_email",
                           "Escriba un correo electrónico válido (p. ej. nombre@correo.pe).")
    return address


def international(mobile: str) -> str:
    """E.164, as SMS gateways take it."""
    return f"+51{mobile}"


# --- retries -------------------------------------------------------------------------------

RETRY_FIRST = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=6)
# After this many failed tries the supervisor sees the notice among the failing (it still
# retries while it can: nothing is dropped).
FAILING_AFTER = 3


def next_attempt(now: datetime, attempts: int) -> datetime:
    """When to try again after `attempts` failed tries: 1, 2, 4, 8 … minutes, at most 6 h."""
    delay: timedelta = RETRY_FIRST * (2 ** min(max(attempts - 1, 0), 20))
    return now + min(delay, RETRY_CAP)


def idempotency_key(subject: str, event: str, channel: Channel) -> str:
    """One notice per event and channel: «expediente:<event id>:sms»."""
    return f"{subject}:{event}:{channel}"
