"""What the hub says about the office's signing certificate and a signed document (issue 18)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# Files travel in JSON as base64 (a certified copy is some 100 KB).
_FILES = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")
MAX_SIGNED_PDF = 8 * 1024 * 1024
SIGNED_KINDS = ("copia", "cargo", "cierre")


class SigningCertificateView(BaseModel):
    """The certificate as imported (its public part: no key, no password)."""

    holder: str  # the subject's common name
    organisation: str  # the subject's organisation (the municipality), "" if none
    issuer: str  # the accredited provider's common name
    serial: str  # hexadecimal
    valid_from: datetime
    valid_until: datetime
    fingerprint: str  # SHA-256, hexadecimal in groups of two
    expired: bool = False  # at the hub's clock, when it answered


class SigningStatus(BaseModel):
    certificate: SigningCertificateView | None = None
    may_sign: bool = False  # the caller is a user the admin allowed to sign
    signer: str = ""  # their name, as the signature and the printed copy state it
    unlocked: bool = False  # the certificate's password was given in this session
    timestamp_url: str = ""  # the RFC 3161 server, "" none


class CertificateImport(BaseModel):
    """A PKCS#12 file (.p12/.pfx) and its password: the password only opens it to check it,
    it is never stored."""

    model_config = _FILES
    content: bytes = Field(max_length=40_000)
    password: str = Field(max_length=200)


class SigningUnlock(BaseModel):
    password: str = Field(min_length=1, max_length=200)


class SignRequest(BaseModel):
    """A PDF the counter made (a copia certificada, a cargo, a cierre de caja) to be signed
    by the registrar logged in. `reference`: for a cierre, its print reference (date:user)."""

    model_config = _FILES
    kind: Literal["copia", "cargo", "cierre"]
    content: bytes = Field(max_length=MAX_SIGNED_PDF)
    reference: str = Field(default="", max_length=80)


class SignedDocument(BaseModel):
    """A PDF the hub signed: the file, and what a signed QR statement will name."""

    model_config = _FILES

    document_id: str  # UUIDv7 of this signed issue
    kind: str  # copia, cargo, cierre
    reference: str  # the expediente number, or the cierre's date and user
    sha256: str  # of the signed file, hexadecimal
    signer: str  # the registrar's name
    signed_at: datetime
    timestamped: bool  # with the timestamp server's token (the link was up)
    content: bytes


class StatementRequest(BaseModel):
    """Before a copy or cargo is drawn: the signed statement its QR will carry."""

    kind: Literal["copia", "cargo"]


class StatementCheck(BaseModel):
    """A QR statement as a scanner or a person typed it (its URL or the bare code)."""

    code: str = Field(min_length=1, max_length=400)


class StatementVerdict(BaseModel):
    """What the hub's keys say of a statement (kiosk/signing/statement.py `Verdict`)."""

    valid: bool
    status: str  # valid | revoked | forged | unknown_key | out_of_validity | malformed
    message: str
    rows: list[tuple[str, str]] = Field(default_factory=list)  # what the document says


class IssuedStatement(BaseModel):
    """A signed QR statement (kiosk/signing/statement.py): the document id it names (the
    `document_signed` event will carry the same), the issue time the document prints, the
    statement and the verification URL on central's page ("" without a public address)."""

    document_id: str
    kind: str
    reference: str
    issued_at: datetime
    statement: str
    url: str
