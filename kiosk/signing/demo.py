"""A throwaway certificate authority, for the demo office, the screenshots, the bench and the
tests: a root, the municipality's signing certificate in a PKCS#12 file (as an accredited
provider would issue it), and a timestamp authority's certificate. Never a real office's: its
root is trusted by nobody, and pdfsig says so («Certificate issuer isn't Trusted»)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

P12_PASSWORD = "clave-del-certificado-2026"


@dataclass(frozen=True)
class Authority:
    root: x509.Certificate
    root_key: rsa.RSAPrivateKey
    signer: x509.Certificate
    signer_key: rsa.RSAPrivateKey
    p12: bytes  # the signer's key and certificate with the root, under P12_PASSWORD
    tsa: x509.Certificate
    tsa_key: rsa.RSAPrivateKey

    @property
    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "PE"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME,
                                         "Municipalidad Provincial de Cajamarca"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificate(subject: x509.Name, key: rsa.RSAPrivateKey, issuer: x509.Name,
                 issuer_key: rsa.RSAPrivateKey, start: datetime, days: int, *, ca: bool,
                 usage: x509.ObjectIdentifier | None = None, sign: bool = True
                 ) -> x509.Certificate:
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(start).not_valid_after(start + timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(
                   digital_signature=sign or ca, content_commitment=sign and not ca,
                   key_encipherment=not sign, data_encipherment=False, key_agreement=False,
                   key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False),
                   critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                              critical=False))
    if usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def make_authority(now: datetime, *, days: int = 365, sign: bool = True,
                   password: str = P12_PASSWORD) -> Authority:
    """A root valid from a year before `now`, and a signing certificate valid from a day
    before `now` for `days` days (`sign=False`: one for encryption only)."""
    root_key, signer_key, tsa_key = _key(), _key(), _key()
    root_name = _name("CA de prueba (throwaway)")
    root = _certificate(root_name, root_key, root_name, root_key, now - timedelta(days=365),
                        3650, ca=True)
    signer = _certificate(_name("Registro Civil - Firma de prueba"), signer_key, root_name,
                          root_key, now - timedelta(days=1), days, ca=False, sign=sign)
    tsa = _certificate(_name("Sellos de tiempo de prueba"), tsa_key, root_name, root_key,
                       now - timedelta(days=1), 3650, ca=False,
                       usage=ExtendedKeyUsageOID.TIME_STAMPING)
    p12 = pkcs12.serialize_key_and_certificates(
        b"firma", signer_key, signer, [root],
        serialization.BestAvailableEncryption(password.encode()))
    return Authority(root, root_key, signer, signer_key, p12, tsa, tsa_key)
