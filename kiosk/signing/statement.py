"""The signed statement a document's QR carries (issue 18, decision 46).

A compact binary statement — the document id, its kind, the expediente and acta numbers, the
issue date and a digest of what the document says — signed with the office's Ed25519 key and
written in base32 (upper case, no padding) at the end of a URL (`<central>/v/<statement>`):
the QR encodes that part in its alphanumeric mode (5.5 bits a character, against 8 for
base64url in byte mode), so a URL of some 250 characters fits version 10 at level M and a
phone reads it from paper; anyone verifies it with the office's public keys, with or without
a link.

Layout (versions 1 and 2, the same bytes), all big-endian:

    1  version             16 content digest (SHA-256 of the canonical fields, first 16)
    4  key id              1+n expediente number (UTF-8, length first)
    16 document id (UUID)  1+n acta number ("" for a cargo)
    1  kind                64 Ed25519 signature of everything before it
    2  issue date (days since 2020-01-01)

The digest is of the document's data (`content_digest`), not of the PDF file: the QR is drawn
inside the PDF before it is signed, so it cannot name the signed file's bytes; the file is
named by the document id, whose `document_signed` event holds its SHA-256.

The version, signed with the rest, also says which fields the digest covers: a version 1
cargo's digest covers only the kind, the number and the issue date; from version 2 a cargo's
covers what the paper shows that a forger would change (`cargo_fields`). A copy's fields are
the same in both.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import unicodedata
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.errors import InvalidInput
from kiosk.services.expediente_views import ActaView, ExpedienteView

VERSION = 2  # what new statements are; 1: a cargo's digest covers three fields only
VERSIONS = (1, 2)
EPOCH = date(2020, 1, 1)
KINDS = ("copia", "cargo", "cierre")
KIND_TEXT = {"copia": "Copia certificada", "cargo": "Cargo de recepción",
             "cierre": "Cierre de caja"}
KEY_ID_BYTES = 4
DIGEST_BYTES = 16  # 128 bits: a forger must also forge the Ed25519 signature
SIGNATURE_BYTES = 64
MAX_TEXT = 40
VERIFY_PATH = "v/"  # central's page: <central>/v/<statement>


@dataclass(frozen=True)
class Statement:
    key_id: str  # hex, 8 characters (a hint: the signature decides)
    document_id: str
    kind: str
    number: str
    acta_number: str
    issued_on: date
    digest: str  # hex, what the document says (content_digest)
    version: int = VERSION


@dataclass(frozen=True)
class OfficeKey:
    """One office public key and its life: valid from, retired by a rotation (its documents
    stay valid), revoked (its documents are «firma revocada» from that day)."""

    key_id: str
    office_id: str
    public_key: str  # base64url of the 32 raw bytes
    valid_from: datetime
    retired_at: datetime | None = None
    revoked_at: datetime | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"key_id": self.key_id, "office_id": self.office_id,
                "public_key": self.public_key, "valid_from": self.valid_from.isoformat(),
                "retired_at": self.retired_at.isoformat() if self.retired_at else None,
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None}

    @classmethod
    def from_json(cls, data: dict[str, str | None]) -> OfficeKey:
        def when(name: str) -> datetime | None:
            value = data.get(name)
            return datetime.fromisoformat(value) if value else None

        valid_from = when("valid_from")
        if valid_from is None:
            raise ValueError("valid_from")
        return cls(key_id=str(data["key_id"]), office_id=str(data["office_id"]),
                   public_key=str(data["public_key"]), valid_from=valid_from,
                   retired_at=when("retired_at"), revoked_at=when("revoked_at"))


@dataclass(frozen=True)
class Verdict:
    """What a verification found: `valid` and, for a person, a Spanish sentence."""

    valid: bool
    status: str  # valid | revoked | forged | unknown_key | out_of_validity | malformed
    message: str
    statement: Statement | None = None
    key: OfficeKey | None = None
    # What the document says, from the office's record, when its digest was recomputed
    # and matched (`check_content`): a cargo's applicant, procedure, requirements...
    fields: tuple[tuple[str, str], ...] = ()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b32(data: bytes) -> str:
    return base64.b32encode(data).rstrip(b"=").decode("ascii")


def _unb32(text: str) -> bytes:
    return base64.b32decode(text + "=" * (-len(text) % 8), casefold=True)


def raw_public(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id_of(public: bytes) -> str:
    return hashlib.sha256(public).digest()[:KEY_ID_BYTES].hex()


def public_text(key: Ed25519PublicKey) -> str:
    return _b64(raw_public(key))


def content_digest(fields: Iterable[tuple[str, str]]) -> str:
    """SHA-256 (first 16 bytes, hex) of the document's fields as a canonical JSON list: the
    same fields, in the same order, give the same digest on any machine."""
    canonical = json.dumps([[str(k), str(v)] for k, v in fields], ensure_ascii=False,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).digest()[:DIGEST_BYTES].hex()


def _text(value: str) -> bytes:
    data = value.encode("utf-8")
    if len(data) > MAX_TEXT:
        raise ValueError("statement text too long")
    return bytes([len(data)]) + data


def _body(statement: Statement) -> bytes:
    days = (statement.issued_on - EPOCH).days
    return (bytes([statement.version]) + bytes.fromhex(statement.key_id)
            + uuid.UUID(statement.document_id).bytes + bytes([KINDS.index(statement.kind)])
            + days.to_bytes(2, "big") + bytes.fromhex(statement.digest)
            + _text(statement.number) + _text(statement.acta_number))


def sign(key: Ed25519PrivateKey, *, document_id: str, kind: str, number: str,
         acta_number: str, issued_on: date, digest: str, version: int = VERSION) -> str:
    """The statement signed with `key`, base32 (what the QR's URL ends with)."""
    statement = Statement(key_id=key_id_of(raw_public(key.public_key())),
                          document_id=document_id, kind=kind, number=number,
                          acta_number=acta_number, issued_on=issued_on, digest=digest,
                          version=version)
    body = _body(statement)
    return _b32(body + key.sign(body))


def parse(token: str) -> tuple[Statement, bytes, bytes]:
    """The statement, the bytes signed and the signature; ValueError when it is not one."""
    raw = _unb32(token.strip())
    if len(raw) < 1 + KEY_ID_BYTES + 16 + 1 + 2 + DIGEST_BYTES + 2 + SIGNATURE_BYTES \
            or raw[0] not in VERSIONS:
        raise ValueError("not a statement")
    body, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    at = 1 + KEY_ID_BYTES + 16
    kind = body[at]
    days = int.from_bytes(body[at + 1:at + 3], "big")
    at += 3 + DIGEST_BYTES
    texts: list[str] = []
    for _ in range(2):
        size = body[at]
        texts.append(body[at + 1:at + 1 + size].decode("utf-8"))
        at += 1 + size
    if at != len(body) or kind >= len(KINDS):
        raise ValueError("not a statement")
    start = 1 + KEY_ID_BYTES
    statement = Statement(key_id=body[1:start].hex(),
                          document_id=str(uuid.UUID(bytes=body[start:start + 16])),
                          kind=KINDS[kind], number=texts[0], acta_number=texts[1],
                          issued_on=EPOCH + timedelta(days=days),
                          digest=body[start + 19:start + 19 + DIGEST_BYTES].hex(),
                          version=raw[0])
    return statement, body, signature


def token_from_url(text: str) -> str:
    """The statement out of what a scanner or a person typed: the QR's URL or the bare code."""
    text = text.strip()
    marker = "/" + VERIFY_PATH
    return text.rsplit(marker, 1)[1].split("?")[0].split("#")[0] if marker in text else text


def verify(text: str, keys: Sequence[OfficeKey]) -> Verdict:
    """Check a statement (the URL or the code) against the office keys known here."""
    try:
        statement, body, signature = parse(token_from_url(text))
    except (ValueError, IndexError, UnicodeDecodeError, binascii.Error):
        return Verdict(False, "malformed", "El código no es una constancia de verificación de "
                                           "la municipalidad: revise que lo copió completo.")
    key = next((k for k in keys if k.key_id == statement.key_id
                and _signed_by(k, signature, body)), None)
    if key is None and any(k.key_id == statement.key_id for k in keys):
        return Verdict(False, "forged",
                       "El código fue alterado o falsificado: sus datos no coinciden con la "
                       "firma de la oficina. No confíe en este documento.", statement)
    if key is None:
        return Verdict(False, "unknown_key",
                       "No reconocemos la clave con que se firmó este código: el documento no "
                       "fue emitido por una oficina de la municipalidad, o esta copia del "
                       "sistema aún no recibió sus claves.", statement)
    if key.revoked_at is not None and statement.issued_on >= key.revoked_at.date():
        return Verdict(False, "revoked",
                       "Firma revocada: la municipalidad revocó la clave con que se firmó este "
                       f"documento el {key.revoked_at:%d/%m/%Y}. Consulte en la oficina.",
                       statement, key)
    if statement.issued_on < key.valid_from.date() or (
            key.retired_at is not None and statement.issued_on > key.retired_at.date()):
        return Verdict(False, "out_of_validity",
                       "La fecha de emisión está fuera del periodo en que la clave de la "
                       "oficina estuvo vigente: no confíe en este documento.", statement, key)
    return Verdict(True, "valid", "Documento auténtico: emitido y firmado por la "
                                  "municipalidad.", statement, key)


def _signed_by(key: OfficeKey, signature: bytes, body: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(key.public_key)).verify(signature, body)
    except (InvalidSignature, ValueError):
        return False
    return True


def describe(statement: Statement, fields: Sequence[tuple[str, str]] = (),
             public: bool = True) -> list[tuple[str, str]]:
    """What the document should say, as a person reads it: the statement, then the fields
    its digest covers when they were recomputed from the office's record (a cargo's), whose
    applicant a public page shows masked (never whose it is: docs/security.md)."""
    rows = [("Documento", KIND_TEXT[statement.kind]),
            ("Expediente N.°", statement.number)]
    if statement.acta_number:
        rows.append(("Acta N.°", statement.acta_number))
    rows.append(("Fecha de emisión", f"{statement.issued_on:%d/%m/%Y}"))
    for name, value in fields:
        label = FIELD_TEXT.get(name)
        if label is None:
            continue
        if name == "filed_at":
            value = f"{datetime.fromisoformat(value):%d/%m/%Y %H:%M}"
        elif name == "paid":
            value = f"S/ {value}"
        elif public and name in ("applicant", "representative"):
            value = _masked_name(value)
        elif public and name in ("applicant_document", "representative_document"):
            value = _masked_document(value)
        rows.append((label, value))
    rows += [("Identificador", statement.document_id),
             ("Huella del contenido", statement.digest)]
    return rows


FIELD_TEXT = {"filed_at": "Fecha y hora de recepción", "procedure_code": "Código TUPA",
              "procedure": "Trámite", "applicant": "Solicitante",
              "applicant_document": "Documento", "representative": "Representante",
              "representative_document": "Documento del representante",
              "requirement": "Requisito presentado", "paid": "Total pagado"}


def _masked_name(name: str) -> str:
    return " ".join(word[0] + "***" for word in name.split())


def _masked_document(document: str) -> str:
    kind, _, number = document.rpartition(" ")
    return f"{kind} {'*' * max(len(number) - 3, 0)}{number[-3:]}".strip()


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InvalidInput("invalid_kind", f"Tipo de documento desconocido: {kind[:20]}.")


def covers_content(statement: Statement) -> bool:
    """Its digest covers more than the statement says (a cargo from version 2): checked
    against the office's record of what the document says (`check_content`)."""
    return statement.kind == "cargo" and statement.version >= 2


def check_content(verdict: Verdict, fields: Sequence[tuple[str, str]] | None) -> Verdict:
    """A valid statement whose digest covers the document's data, checked against `fields`,
    the office's record of what that document says: the digest recomputed must match
    (else «altered»), and the fields are then what the paper must show. `fields` None: the
    record is not here (another office's cargo not yet replicated); the statement alone."""
    statement = verdict.statement
    if not verdict.valid or statement is None or not covers_content(statement):
        return verdict
    if fields is None:
        return replace(verdict, message=verdict.message + " Los datos del cargo aún no llegaron "
                       "aquí: compárelos en la oficina que lo emitió.")
    if content_digest(fields) != statement.digest:
        return Verdict(False, "altered",
                       "Los datos de este documento no coinciden con los que la oficina "
                       "registró al firmarlo: no confíe en este documento y consulte en la "
                       "oficina.", statement, verdict.key)
    return replace(verdict, fields=tuple((str(k), str(v)) for k, v in fields))


def recorded_fields(records: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]] | None:
    """The fields the `document_signed` events of one document recorded (a cargo's,
    decision 46: the same in each, each checked against the statement when signed), or
    None."""
    for record in records:
        fields = record.get("fields")
        if isinstance(fields, list):
            return [(str(k), str(v)) for k, v in fields]
    return None


def normalised(value: str) -> str:
    """A field's canonical text: Unicode NFC, inner whitespace one space, stripped."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def document_fields(kind: str, number: str, issued_on: date, acta: ActaView | None
                    ) -> list[tuple[str, str]]:
    """The fields the statement's digest covers: what the document certifies (for a copy,
    every datum of the acta it prints), fixed before the PDF and its QR are drawn. A cargo
    of version 1 (and a cierre): these three only; a cargo now: `cargo_fields`."""
    fields = [("kind", kind), ("number", number), ("issued_on", issued_on.isoformat())]
    if acta is not None:
        data = acta.model_dump(mode="json", exclude={"id", "minor"})
        fields += [(name, "" if data[name] is None else str(data[name])) for name in data]
    return fields


def cargo_fields(*, number: str, issued_on: date, filed_at: datetime, procedure_code: str,
                 procedure: str, applicant: str, applicant_document: str,
                 representative: str = "", representative_document: str = "",
                 requirements: Sequence[tuple[int, str]] = (), paid: Decimal
                 ) -> list[tuple[str, str]]:
    """The one canonical form of what a cargo's digest covers (version 2): what the A4
    cargo prints that a forger would change, in this order, each text `normalised`; the
    filing time to the minute in the office's time with its offset (as the paper shows it);
    documents as «TYPE NUMBER»; one row per requirement presented («N. text»); the amount
    paid with two decimals. Whoever recomputes the digest calls this (or `cargo_fields_of`)."""
    if filed_at.tzinfo is None:
        raise ValueError("filed_at must be aware")
    fields = [("kind", "cargo"), ("number", normalised(number)),
              ("issued_on", issued_on.isoformat()),
              ("filed_at", filed_at.replace(second=0, microsecond=0)
               .isoformat(timespec="minutes")),
              ("procedure_code", normalised(procedure_code)),
              ("procedure", normalised(procedure)),
              ("applicant", normalised(applicant)),
              ("applicant_document", normalised(applicant_document))]
    if normalised(representative):
        fields += [("representative", normalised(representative)),
                   ("representative_document", normalised(representative_document))]
    fields += [("requirement", f"{n}. {normalised(text)}") for n, text in sorted(requirements)]
    fields.append(("paid", f"{paid.quantize(Decimal('0.01')):f}"))
    return fields


def cargo_fields_of(view: ExpedienteView, issued_on: date, tz: tzinfo
                    ) -> list[tuple[str, str]]:
    """`cargo_fields` of the hub's own view of the expediente (never what a client sends):
    the applicant is the business when there is one, the person who filed its
    representative (as printing/documents/cargo prints them)."""
    person, business = view.person, view.business
    person_doc = f"{person.doc_type} {person.doc_number}" if person else ""
    applicant_doc = f"RUC {business.ruc}" if business else person_doc
    return cargo_fields(
        number=view.number, issued_on=issued_on,
        filed_at=(view.filed_at if view.filed_at.tzinfo
                  else view.filed_at.replace(tzinfo=UTC)).astimezone(tz),
        procedure_code=view.procedure_code, procedure=view.procedure_name,
        applicant=view.applicant_name, applicant_document=applicant_doc,
        representative=person.full_name if business and person else "",
        representative_document=person_doc if business else "",
        requirements=[(r.number, r.text) for r in view.requirements if r.presented],
        paid=view.paid)


KEYWORD = "verificacion:"  # the statement in the PDF's Keywords, for `cac verify`


def keyword(token: str) -> str:
    return KEYWORD + token


def statement_in_keywords(keywords: str) -> str | None:
    for part in keywords.split(","):
        part = part.strip()
        if part.startswith(KEYWORD):
            return part[len(KEYWORD):]
    return None


def verification_url(public_address: str, token: str) -> str:
    """The QR's payload: central's verification page with the statement in its path."""
    return f"{public_address.rstrip('/')}/{VERIFY_PATH}{token}" if public_address else ""
