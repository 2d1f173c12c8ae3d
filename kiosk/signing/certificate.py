"""The municipality's signing certificate in the office folder (`<data>/signing/`).

The PKCS#12 file is kept as the provider gave it (its key stays encrypted with its own
password), readable by the hub's user only, beside its public certificate (for the admin's
screen, which must show it without the password). It is not in the database, so no backup or
USB copy carries it: after a restore on another PC the admin imports it again. The password is
never written anywhere: `unlock` opens the key in memory for one clerk session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from kiosk.errors import Conflict, InvalidInput, Unauthorized
from kiosk.private_files import private_dir, write_private
from kiosk.services.signing_views import SigningCertificateView

P12_FILE = "certificate.p12"
CERT_FILE = "certificate.pem"
MAX_P12_BYTES = 40_000  # a real one with its chain is some 5-10 KB; JSON bodies stay under 64 KB


@dataclass(frozen=True)
class OpenedCertificate:
    """The key and certificates out of the PKCS#12 file (in memory only)."""

    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]


def _name(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    found = name.get_attributes_for_oid(oid)
    return str(found[0].value) if found else ""


def describe(certificate: x509.Certificate, now: datetime) -> SigningCertificateView:
    digest = certificate.fingerprint(hashes.SHA256()).hex().upper()
    return SigningCertificateView(
        holder=(_name(certificate.subject, NameOID.COMMON_NAME)
                or certificate.subject.rfc4514_string()),
        organisation=_name(certificate.subject, NameOID.ORGANIZATION_NAME),
        issuer=(_name(certificate.issuer, NameOID.COMMON_NAME)
                or certificate.issuer.rfc4514_string()),
        serial=f"{certificate.serial_number:X}",
        valid_from=certificate.not_valid_before_utc,
        valid_until=certificate.not_valid_after_utc,
        fingerprint=":".join(digest[i:i + 2] for i in range(0, len(digest), 2)),
        expired=not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc)


def open_p12(content: bytes, password: str) -> OpenedCertificate:
    """The key and certificate of a PKCS#12 file; Spanish errors for a wrong password, a file
    that is not one, or one without a usable signing key."""
    if len(content) > MAX_P12_BYTES:
        raise InvalidInput("signing_file_too_large",
                           "El archivo es demasiado grande para ser un certificado de firma "
                           "(.p12 o .pfx).")
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(
            content, password.encode("utf-8") if password else None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise Unauthorized("signing_password",
                           "No se pudo abrir el certificado: la contraseña no es correcta o el "
                           "archivo no es un certificado de firma (.p12 o .pfx).") from None
    if key is None or certificate is None:
        raise InvalidInput("signing_no_key",
                           "El archivo no contiene la clave privada y su certificado: pida al "
                           "proveedor el archivo .p12 o .pfx completo.")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise InvalidInput("signing_key_type",
                           "La clave del certificado no es RSA ni de curva elíptica: no se "
                           "puede firmar con ella.")
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if (key.public_key().public_bytes(serialization.Encoding.DER, public)
            != certificate.public_key().public_bytes(serialization.Encoding.DER, public)):
        raise InvalidInput("signing_key_mismatch",
                           "La clave privada del archivo no corresponde a su certificado.")
    return OpenedCertificate(key, certificate, tuple(chain))


def _check_usable(certificate: x509.Certificate, now: datetime) -> None:
    if now < certificate.not_valid_before_utc:
        raise InvalidInput("signing_not_yet_valid",
                           "El certificado aún no es válido (vigente desde el "
                           f"{certificate.not_valid_before_utc:%d/%m/%Y}).")
    if now > certificate.not_valid_after_utc:
        raise InvalidInput("signing_expired",
                           "El certificado venció el "
                           f"{certificate.not_valid_after_utc:%d/%m/%Y}: importe el vigente.")
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise InvalidInput("signing_key_usage",
                           "El certificado no es de firma digital (su uso de clave no lo "
                           "permite): importe el certificado de firma de la entidad.")


class CertificateFolder:
    """`<data>/signing/`: the PKCS#12 file and its public certificate."""

    def __init__(self, folder: Path, root: Path | None = None) -> None:
        self.folder = folder
        self._root = root

    @property
    def p12_file(self) -> Path:
        return self.folder / P12_FILE

    @property
    def cert_file(self) -> Path:
        return self.folder / CERT_FILE

    def certificate(self) -> x509.Certificate | None:
        try:
            return x509.load_pem_x509_certificate(self.cert_file.read_bytes())
        except FileNotFoundError:
            return None
        except ValueError:
            return None  # damaged: the admin imports it again

    def describe(self, now: datetime) -> SigningCertificateView | None:
        certificate = self.certificate()
        return describe(certificate, now) if certificate is not None else None

    def import_p12(self, content: bytes, password: str, now: datetime
                   ) -> SigningCertificateView:
        """Check the file opens with `password` and holds a valid signing key, then keep it
        (replacing the previous one). The password is not kept."""
        opened = open_p12(content, password)
        _check_usable(opened.certificate, now)
        private_dir(self.folder, self._root)
        write_private(self.p12_file, content)
        write_private(self.cert_file, opened.certificate.public_bytes(serialization.Encoding.PEM))
        return describe(opened.certificate, now)

    def unlock(self, password: str, now: datetime) -> OpenedCertificate:
        try:
            content = self.p12_file.read_bytes()
        except FileNotFoundError:
            raise Conflict("no_signing_certificate",
                           "La oficina no tiene un certificado de firma: el administrador lo "
                           "importa en la ventana de administración (Firma digital).") from None
        opened = open_p12(content, password)
        _check_usable(opened.certificate, now)
        return opened
