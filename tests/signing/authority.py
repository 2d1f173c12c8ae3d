"""A throwaway certificate authority for the signing tests: a root, a signing certificate for
the municipality (as an accredited provider would issue it) in a PKCS#12 file, and a
timestamp authority answering RFC 3161 requests on loopback (pyHanko's DummyTimeStamper behind
a real HTTP server)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import kiosk.signing._pyhanko  # noqa: F401 - pyHanko imported without its import warning

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


@contextmanager
def loopback_tsa(authority: Authority) -> Iterator[str]:
    """An RFC 3161 timestamp server on 127.0.0.1 (its URL), for the test's duration."""
    from asn1crypto import tsp  # type: ignore[import-untyped]
    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko.sign.timestamps import DummyTimeStamper

    stamper = DummyTimeStamper(
        tsa_cert=translate_pyca_cryptography_cert_to_asn1(authority.tsa),
        tsa_key=translate_pyca_cryptography_key_to_asn1(authority.tsa_key),
        certs_to_embed=[translate_pyca_cryptography_cert_to_asn1(  # type: ignore[arg-type]
            authority.root)])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = tsp.TimeStampReq.load(self.rfile.read(
                int(self.headers["Content-Length"])))
            answer = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
