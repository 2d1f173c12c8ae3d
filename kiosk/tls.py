"""The office's own certificate authority and the hub's certificate: HTTPS on the office LAN.

`cac init` (or the first hub start of an office made by an older version) makes the CA: an
EC P-256 key and a self-signed certificate valid 20 years, in `<data-dir>/tls`. The hub's
certificate is signed by it for the hub's names and addresses (kiosk/lan.py), valid 397 days,
and made again at start and by a daily check while serving when it expires within 30 days, a
name or address is missing from it, or it is not the CA's. New PCs learn the CA when they pair
(kiosk/rules/pairing_codes.py) or from `cac device add`. Keys are written for this user only.

The CA is only ever trusted by the office's own PCs, and only for the hub (clients pass it as
`verify=`, not to the system's store): so it carries no name constraints, which could not
follow the addresses a DHCP server hands out anyway.
"""

from __future__ import annotations

import logging
import os
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from ipaddress import IPv4Address, IPv6Address
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kiosk.clock import Clock
from kiosk.errors import ConfigError
from kiosk.lan import HubNames
from kiosk.periodic import PeriodicJob

log = logging.getLogger(__name__)

CA_VALID = timedelta(days=20 * 365)
LEAF_VALID = timedelta(days=397)  # what browsers accept for a server certificate
RENEW_BEFORE = timedelta(days=30)
BACKDATE = timedelta(hours=1)  # a client whose clock is a little behind still accepts it
CHECK_EVERY_S = 24 * 3600.0

CA_CERT, CA_KEY, HUB_CERT, HUB_KEY = "ca.pem", "ca.key", "hub.pem", "hub.key"


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate, as browsers and `openssl x509 -fingerprint` show it."""
    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def pem_fingerprint(pem: str | bytes) -> str:
    """The fingerprint of a PEM certificate; ValueError when it is not one."""
    return fingerprint(x509.load_pem_x509_certificate(
        pem.encode("ascii", "replace") if isinstance(pem, str) else pem))


def write_private(path: Path, data: bytes) -> None:
    """Write atomically, readable and writable by this user only (0600)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(tmp, 0o600)  # O_CREAT's mode does not apply to a leftover file
    tmp.replace(path)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _cert_pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _same_key(certificate: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> bool:
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    return (certificate.public_key().public_bytes(serialization.Encoding.DER, spki)
            == key.public_key().public_bytes(serialization.Encoding.DER, spki))


def _load(cert_file: Path, key_file: Path
          ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    """The certificate and its key, or None when either is missing, damaged or they differ."""
    try:
        certificate = x509.load_pem_x509_certificate(cert_file.read_bytes())
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not _same_key(certificate, key):
        return None
    return certificate, key


@dataclass(frozen=True)
class OfficeCA:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def pem(self) -> str:
        return _cert_pem(self.certificate).decode("ascii")

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)


def _new_ca(office_code: str, office_name: str, now: datetime) -> OfficeCA:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, f"CAC Kiosk - autoridad de la oficina "
                                                f"{office_code}"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, office_name[:64] or office_code),
    ])
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE).not_valid_after(now + CA_VALID)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256()))
    return OfficeCA(certificate, key)


def office_ca(folder: Path, office_code: str, office_name: str, now: datetime) -> OfficeCA:
    """The office's CA from `folder`, made now when the office has none yet. A damaged one is
    an error, never silently replaced: every paired PC trusts the one it learned."""
    cert_file, key_file = folder / CA_CERT, folder / CA_KEY
    if cert_file.exists():
        loaded = _load(cert_file, key_file)
        if loaded is None:
            raise ConfigError(
                "tls_ca_damaged",
                f"El certificado de la oficina ({cert_file}) o su clave están dañados. "
                f"Restaure la carpeta «{folder}» desde su copia, o bórrela para crear uno "
                "nuevo: entonces los demás equipos deberán emparejarse de nuevo.")
        return OfficeCA(*loaded)
    ca = _new_ca(office_code, office_name, now)
    write_private(key_file, _key_pem(ca.key))  # the key first: a cert alone is "damaged"
    write_private(cert_file, _cert_pem(ca.certificate))
    log.info("office CA created in %s (%s)", folder, ca.fingerprint)
    return ca


def _san(certificate: x509.Certificate) -> HubNames:
    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return HubNames(frozenset(), frozenset())
    ips = [ip for ip in san.get_values_for_type(x509.IPAddress)
           if isinstance(ip, IPv4Address | IPv6Address)]
    return HubNames(frozenset(san.get_values_for_type(x509.DNSName)), frozenset(ips))


def renewal_reason(certificate: x509.Certificate | None, ca: OfficeCA, names: HubNames,
                   now: datetime) -> str | None:
    """Why the hub needs a new certificate (for the log), or None while this one serves."""
    if certificate is None:
        return "missing"
    try:
        certificate.verify_directly_issued_by(ca.certificate)
    except (ValueError, TypeError, InvalidSignature):
        return "not signed by the office CA"
    if now < certificate.not_valid_before_utc:
        return "not valid yet"
    if certificate.not_valid_after_utc - now < RENEW_BEFORE:
        return "expires soon"
    present = _san(certificate)
    if not (names.dns <= present.dns and names.ips <= present.ips):
        return "names or addresses changed"
    return None


def issue_hub_certificate(ca: OfficeCA, names: HubNames, now: datetime
                          ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key()
    host = sorted(names.dns - {"localhost"}) or ["localhost"]
    alternatives: list[x509.GeneralName] = [x509.DNSName(n) for n in sorted(names.dns)]
    alternatives += [x509.IPAddress(a) for a in sorted(names.ips, key=lambda a: (a.version, a))]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host[0][:64])]))
        .issuer_name(ca.certificate.subject).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(min(now + LEAF_VALID, ca.certificate.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
                       critical=False)
        .sign(ca.key, hashes.SHA256()))
    return certificate, key


class HubCertificate:
    """The hub's certificate and key files in `folder`, kept valid for the names and addresses
    `discover` finds (asked again at each check: a DHCP lease may have changed)."""

    def __init__(self, folder: Path, ca: OfficeCA, discover: Callable[[], HubNames]) -> None:
        self.folder, self.ca, self.discover = folder, ca, discover

    @property
    def cert_file(self) -> Path:
        return self.folder / HUB_CERT

    @property
    def key_file(self) -> Path:
        return self.folder / HUB_KEY

    def current(self) -> x509.Certificate | None:
        loaded = _load(self.cert_file, self.key_file)
        return loaded[0] if loaded else None

    def ensure(self, now: datetime, names: HubNames | None = None) -> bool:
        """Make a new certificate when needed (for `names`, or those found now); True when
        it did."""
        names = names or self.discover()
        reason = renewal_reason(self.current(), self.ca, names, now)
        if reason is None:
            return False
        certificate, key = issue_hub_certificate(self.ca, names, now)
        write_private(self.key_file.with_name(HUB_KEY + ".new"), _key_pem(key))
        write_private(self.cert_file, _cert_pem(certificate) + _cert_pem(self.ca.certificate))
        self.key_file.with_name(HUB_KEY + ".new").replace(self.key_file)
        log.info("hub certificate issued (%s) until %s for %s %s", reason,
                 certificate.not_valid_after_utc.date(), sorted(names.dns),
                 sorted(map(str, names.ips)))
        return True


class CertificateRenewal(PeriodicJob):
    """While the hub serves: once a day, a new certificate when due, loaded into the server's
    TLS context (new connections get it; open ones keep theirs). A handshake in the instant
    the key is swapped may fail: the client's retry gets the new one."""

    thread_name = "certificado del hub"
    failure = "no se pudo renovar el certificado del hub"
    run_at_start = False  # the server has just checked it

    def __init__(self, certificate: HubCertificate, context: ssl.SSLContext, clock: Clock,
                 check_every_s: float = CHECK_EVERY_S) -> None:
        super().__init__(check_every_s)
        self.certificate, self.context, self.clock = certificate, context, clock

    def run_once(self) -> bool:
        renewed = self.certificate.ensure(self.clock.now())
        if renewed:
            self.context.load_cert_chain(self.certificate.cert_file, self.certificate.key_file)
        return renewed
