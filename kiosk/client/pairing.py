"""The new PC's first contact with an HTTPS hub: learn the office CA without trusting the network.

The PC has no certificate yet, so it reads the one the hub presents at `GET /pair/ca` without
verifying it, and trusts it only when the check part of the pairing code (the last 4 symbols,
an HMAC of the CA's fingerprint keyed with the code's secret: kiosk/rules/pairing_codes.py)
matches. The secret is not sent on that connection; it goes to `POST /pair` afterwards, over a
connection verified with the CA just learned. Someone on the office Wi-Fi who answers in the
hub's place cannot make a CA that passes the check without the secret, and learns nothing.
"""

from __future__ import annotations

import hmac
import http.client
import ssl
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from kiosk.errors import HubUnavailable, InvalidInput
from kiosk.rules import pairing_codes
from kiosk.tls import fingerprint

CA_PATH = "/api/v1/pair/ca"
MAX_CA_BYTES = 64 * 1024


def _unchecked_context() -> ssl.SSLContext:
    """TLS that does not verify the hub: only for reading its public CA certificate, which
    `hub_ca_for_code` then checks against the code before anything secret is sent."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def hub_ca_for_code(hub_url: str, code: str, timeout: float = 10.0) -> str:
    """The PEM of the office CA that the hub at `hub_url` presents, once the code vouches for
    it; HubUnavailable «hub_certificate» when it does not (the code was not sent)."""
    secret, expected = pairing_codes.split(code)
    if not expected:
        raise InvalidInput(
            "pairing_code_incomplete",
            "Escriba el código de emparejamiento completo, con sus 12 caracteres "
            "(ABCD-EFGH-JKLM): los 4 últimos comprueban el certificado del hub.")
    parts = urlsplit(hub_url)
    connection = http.client.HTTPSConnection(parts.hostname or "", parts.port or 443,
                                             timeout=timeout, context=_unchecked_context())
    try:
        connection.request("GET", parts.path.rstrip("/") + CA_PATH)
        response = connection.getresponse()
        status, body = response.status, response.read(MAX_CA_BYTES)
    except (OSError, http.client.HTTPException) as exc:
        raise HubUnavailable("hub_unavailable",
                             "No se puede conectar con el hub de la oficina. Revise la "
                             "dirección y la red.") from exc
    finally:
        connection.close()
    try:
        if status != 200:
            raise ValueError(status)
        certificate = x509.load_pem_x509_certificate(body)
    except ValueError:
        raise HubUnavailable(
            "hub_certificate",
            "El hub no entregó el certificado de la oficina. Si el administrador instaló "
            "un certificado propio, ábralo con --ca ARCHIVO.pem.") from None
    found = fingerprint(certificate)
    if not hmac.compare_digest(pairing_codes.check(secret, found), expected):
        raise HubUnavailable(
            "hub_certificate",
            "El certificado que presenta el hub no corresponde al código de emparejamiento, "
            "y el código no se envió. Revise los 4 últimos caracteres del código; si están "
            "bien, otro equipo de la red podría estar haciéndose pasar por el hub: avise al "
            f"administrador (huella recibida {found[:23]}…).")
    # Only the certificate the check covers: never other ones the answer might carry.
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
