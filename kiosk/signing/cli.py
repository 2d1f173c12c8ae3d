"""`cac signing import ARCHIVO.p12` and `cac signing status`: the municipality's signing
certificate from the hub PC's console (the admin window does the same, Firma digital)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.config import DataDir
from kiosk.errors import InvalidInput
from kiosk.hub import SYSTEM
from kiosk.services.signing_views import CertificateImport, SigningCertificateView
from kiosk.signing.certificate import MAX_P12_BYTES


def describe(view: SigningCertificateView) -> str:
    return "\n".join([
        f"Titular:       {view.holder}" + (f" ({view.organisation})" if view.organisation
                                              else ""),
        f"Emitido por:   {view.issuer}",
        f"N.° de serie:  {view.serial}",
        f"Vigencia:      del {view.valid_from:%d/%m/%Y} al {view.valid_until:%d/%m/%Y}"
        + (" (VENCIDO)" if view.expired else ""),
        f"Huella SHA-256: {view.fingerprint}",
    ])


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return getpass.getpass("Contraseña del certificado (no se guarda): ")


def cmd_import(args: argparse.Namespace) -> int:
    from kiosk.cli import office_hub

    path = Path(args.file)
    try:
        if path.stat().st_size > MAX_P12_BYTES:
            raise InvalidInput("signing_file_too_large",
                               f"{path} es demasiado grande para ser un certificado de firma.")
        content = path.read_bytes()
    except OSError as exc:
        raise InvalidInput("unreadable_file",
                           f"No se pudo leer {path}: {exc.strerror or exc}.") from None
    with office_hub(DataDir.from_option(args.data_dir)) as hub:
        status = hub.import_signing_certificate(
            SYSTEM, CertificateImport(content=content, password=_password(args)))
    assert status.certificate is not None
    print("Certificado de firma importado (la contraseña no se guardó: cada registrador la "
          "ingresa al firmar, una vez por sesión).")
    print(describe(status.certificate))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from kiosk.cli import office_hub

    with office_hub(DataDir.from_option(args.data_dir)) as hub:
        view = hub.certificate_folder.describe(hub.clock.now())
        users = hub.config.signing_users
        tsa = hub.config.timestamp_url
    if view is None:
        print("La oficina no tiene certificado de firma. Impórtelo con «cac signing import "
              "ARCHIVO.p12» o en Administración › Firma digital.")
        return 1
    print(describe(view))
    print(f"Firman:        {users or '(nadie todavía: indíquelo en Firma digital)'}")
    print(f"Sellos de tiempo: {tsa or '(sin servidor: firmas sin sello de tiempo)'}")
    return 0


def register(command: Callable[[str, str], argparse.ArgumentParser], sub: object) -> None:
    signing = sub.add_parser(  # type: ignore[attr-defined]
        "signing", help="certificado de firma digital de la municipalidad")
    signing_sub = signing.add_subparsers(dest="signing_command", required=True)
    p = signing_sub.add_parser("import", help="importar el certificado (.p12 o .pfx) y "
                                              "comprobar su contraseña, que no se guarda")
    p.add_argument("file", metavar="ARCHIVO")
    p.add_argument("--data-dir")
    p.add_argument("--password-stdin", action="store_true",
                   help="leer la contraseña de la entrada estándar (una línea)")
    p.set_defaults(func=cmd_import)
    p = signing_sub.add_parser("status", help="el certificado importado y quién firma")
    p.add_argument("--data-dir")
    p.set_defaults(func=cmd_status)
    register_keys(signing_sub, sub)


def cmd_verify(args: argparse.Namespace) -> int:
    """A PDF (its statement and its signature) or a statement typed or scanned, checked with
    the keys this hub knows and, for its own documents, against what it recorded when it
    signed them (a cargo's data, the signed file)."""
    from kiosk.cli import office_hub
    from kiosk.signing import statement as statements

    path = Path(args.document)
    content = None
    if path.suffix.lower() == ".pdf" or path.exists():
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise InvalidInput("unreadable_file",
                               f"No se pudo leer {path}: {exc.strerror or exc}.") from None
    with office_hub(DataDir.from_option(args.data_dir)) as hub:
        if content is not None:
            from kiosk.signing.verify import verify_pdf

            found = verify_pdf(content, hub.office_keys.known(), hub.signed_records)
            verdict = found.statement
            print(verdict.message)
            print("Firma digital del PDF: " + (
                f"íntegra, de {found.signer} (el archivo no cambió desde que se firmó)"
                if found.signed else "NO VÁLIDA o ausente: el archivo fue modificado o no "
                                     "está firmado"))
            ok = found.valid
        else:
            verdict = hub.verify_statement(args.document)
            print(verdict.message)
            ok = verdict.valid
    if verdict.statement is not None:  # the office's console: the applicant in full
        for label, value in statements.describe(verdict.statement, verdict.fields,
                                                public=False):
            print(f"{label + ':':22}{value}")
    return 0 if ok else 1


def cmd_rotate(args: argparse.Namespace) -> int:
    from kiosk.cli import office_hub

    with office_hub(DataDir.from_option(args.data_dir)) as hub:
        key = hub.office_keys.rotate(hub.clock.now())
    print(f"Nueva clave de la oficina para los códigos QR: {key.key_id}. Los documentos "
          "firmados con la anterior siguen siendo válidos; la nueva se publica en la "
          "próxima sincronización con el servidor central.")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from kiosk.cli import office_hub

    with office_hub(DataDir.from_option(args.data_dir)) as hub:
        key = hub.office_keys.revoke(args.key_id.strip().lower(), hub.clock.now())
    assert key.revoked_at is not None
    print(f"Clave {key.key_id} revocada: sus documentos emitidos desde el "
          f"{key.revoked_at:%d/%m/%Y} se muestran como «firma revocada».")
    return 0


def register_keys(signing_sub: Any, sub: Any) -> None:
    p = signing_sub.add_parser("rotate-key", help="cambiar la clave de los códigos QR (los "
                                                  "documentos anteriores siguen válidos)")
    p.add_argument("--data-dir")
    p.set_defaults(func=cmd_rotate)
    p = signing_sub.add_parser("revoke-key", help="revocar una clave de los códigos QR")
    p.add_argument("key_id", metavar="CLAVE")
    p.add_argument("--data-dir")
    p.set_defaults(func=cmd_revoke)
    p = sub.add_parser("verify", help="verificar un documento firmado (PDF) o su código QR, "
                                      "sin conexión")
    p.add_argument("document", metavar="ARCHIVO_O_CODIGO")
    p.add_argument("--data-dir")
    p.set_defaults(func=cmd_verify)
