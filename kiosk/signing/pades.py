"""A PDF signed as PAdES (pyHanko): an incremental update that adds a signature dictionary
(ETSI.CAdES.detached) with the signer's name, the reason and the place, over every byte of the
document as it was handed in.

The timestamp: with a timestamp server (RFC 3161) the signature carries its token, so the
signing time does not rest on the hub's clock; when the server does not answer (the link is
down) the document is signed without one, at once, and says so (`SignedPdf.timestamped`): the
signature verifies the same, its time is the hub's. After a failure the server is left alone
for a while (kiosk/signing/link.py), so a dead link costs one timeout, not one per document.

pyHanko takes about a second to import on the office's PC: the hub imports this module when a
registrar unlocks the certificate, not at start.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.errors import InvalidInput
from kiosk.signing._pyhanko import (
    IncrementalPdfFileWriter,
    PdfFileReader,
    TimeStamper,
    TimestampRequestError,
    fields,
    signers,
)
from kiosk.signing.certificate import OpenedCertificate
from kiosk.signing.link import TimestampLink

log = logging.getLogger(__name__)

FIELD_NAME = "FirmaMunicipalidad"


@dataclass(frozen=True)
class SignedPdf:
    content: bytes
    sha256: str  # of `content`
    timestamped: bool


def pdf_signer(opened: OpenedCertificate) -> signers.SimpleSigner:
    """pyHanko's signer over a key opened in memory (done once per unlock)."""
    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    registry = SimpleCertificateStore()  # type: ignore[no-untyped-call]
    registry.register_multiple([translate_pyca_cryptography_cert_to_asn1(c)
                                for c in opened.chain])
    return signers.SimpleSigner(
        signing_key=translate_pyca_cryptography_key_to_asn1(opened.key),
        signing_cert=translate_pyca_cryptography_cert_to_asn1(opened.certificate),
        cert_registry=registry)


class _HubTimedSigner(signers.PdfSigner):
    """pyHanko's signer, with the signing time the hub's clock says (it reads the PC's)."""

    def __init__(self, *args: Any, system_time: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._system_time = system_time

    def init_signing_session(self, *args: Any, **kwargs: Any) -> Any:
        session = super().init_signing_session(*args, **kwargs)
        session.system_time = self._system_time
        return session


def _sign(pdf: bytes, signer: signers.Signer, meta: signers.PdfSignatureMetadata,
          timestamper: TimeStamper | None, now: datetime) -> bytes:
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        out = _HubTimedSigner(meta, signer=signer, timestamper=timestamper,
                              system_time=now).sign_pdf(writer)
    except (TimestampRequestError, OSError):
        raise  # the link, not the document: sign_pdf signs without a timestamp
    except Exception as exc:  # pyHanko raises its own and plain errors for a broken file
        raise InvalidInput("invalid_pdf", "El documento no es un PDF válido: no se puede "
                                          "firmar.") from exc
    return bytes(out.getbuffer())


def sign_pdf(pdf: bytes, signer: signers.Signer, *, name: str, reason: str, place: str,
             link: TimestampLink | None, now: datetime) -> SignedPdf:
    """`pdf` signed by `signer` (PAdES B-B, or B-T with the timestamp server's token)."""
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        name=name or None, reason=reason or None, location=place or None)
    timestamper = link.timestamper(now) if link is not None else None
    content: bytes | None = None
    if timestamper is not None and link is not None:
        try:
            content = _sign(pdf, signer, meta, timestamper, now)
            link.answered()
        except (TimestampRequestError, OSError) as exc:
            # Offline: the document is not held back for a timestamp.
            log.warning("el servidor de sellos de tiempo %s no respondió (%s): se firma sin "
                        "sello de tiempo", link.url, exc)
            link.failed(now)
    timestamped = content is not None
    if content is None:
        content = _sign(pdf, signer, meta, None, now)
    return SignedPdf(content, hashlib.sha256(content).hexdigest(), timestamped)


def keywords(pdf: bytes) -> str:
    """The document's Keywords (its information dictionary): the office's PDFs name what
    they are about there (the expediente number, the cierre's day and user)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        trailer = reader.trailer_view
        return str(trailer["/Info"].get("/Keywords", "")) if "/Info" in trailer else ""
    except Exception as exc:  # any damage: not a PDF we can sign
        raise InvalidInput("invalid_pdf", "El documento no es un PDF válido: no se puede "
                                          "firmar.") from exc
