"""Scanned documents of an expediente (PDF, PNG, JPG), stored by their SHA-256.

The type is read from the file's first bytes and must agree with the declared media type and
with the file name's extension, so a renamed or mislabelled file is refused with a clear
message; then the file is opened with the library for its type (attachment_content.py), so
what merely begins like a PDF or a picture is refused too. Files live under
`<data dir>/attachments/<year>/<sha256>.<ext>`, written to a temporary file first and moved
into place (os.replace), so a power cut never leaves half a file under a final name. The file
is written before the row commits: a failed commit may leave an unreferenced file (harmless,
content-addressed), never a row without its file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.ids import new_id
from kiosk.private_files import private_dir
from kiosk.rules.expedientes import Status
from kiosk.services.attachment_content import check_opens
from kiosk.services.expediente_views import AttachmentFile, AttachmentView
from kiosk.services.expedientes import Actor, attachment_view, find_expediente, record
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.storage.tables import Attachment, User

DEFAULT_MAX_MB = 10
MB = 1024 * 1024
MAX_FILE_NAME = 200

# media type → (name people know, stored extension, accepted extensions, magic bytes)
KINDS: dict[str, tuple[str, str, tuple[str, ...], bytes]] = {
    "application/pdf": ("PDF", "pdf", ("pdf",), b"%PDF-"),
    "image/png": ("PNG", "png", ("png",), b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": ("JPG", "jpg", ("jpg", "jpeg"), b"\xff\xd8\xff"),
}
ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg"}


def sniff(content: bytes) -> str | None:
    """The media type the content's first bytes show, or None when it is none we accept."""
    for media_type, (_, _, _, magic) in KINDS.items():
        if content.startswith(magic):
            return media_type
    return None


def check_file_name(raw: str) -> str:
    """The bare file name (no folders, no control characters), 1 to 200 characters."""
    name = raw if isinstance(raw, str) else ""
    name = PureWindowsPath(PurePosixPath(name.replace("\\", "/")).name).name
    name = "".join(c for c in unicodedata.normalize("NFC", name)
                   if unicodedata.category(c)[0] != "C").strip()
    if not name or name in (".", ".."):
        raise InvalidInput("invalid_file_name", "Indique el nombre del archivo.")
    if len(name) > MAX_FILE_NAME:
        raise InvalidInput("invalid_file_name",
                           f"El nombre del archivo es muy largo (máximo {MAX_FILE_NAME} "
                           "caracteres). Cámbielo y vuelva a intentarlo.")
    return name


def check_content(file_name: str, media_type: str, content: bytes, max_bytes: int) -> str:
    """The canonical media type, after checking size, declared type, extension and content."""
    declared = (media_type or "").split(";")[0].strip().lower()
    declared = ALIASES.get(declared, declared)
    if declared not in KINDS:
        raise InvalidInput("unsupported_media_type",
                           f"Tipo de archivo no admitido «{declared or 'sin tipo'}». Adjunte "
                           "documentos escaneados en PDF, PNG o JPG.")
    label, _, extensions, _ = KINDS[declared]
    if not content:
        raise InvalidInput("empty_attachment", f"El archivo «{file_name}» está vacío.")
    if len(content) > max_bytes:
        raise InvalidInput("attachment_too_large",
                           f"El archivo «{file_name}» pesa {len(content) / MB:.1f} MB; el máximo "
                           f"es {max_bytes / MB:g} MB. Escanéelo con menor resolución o en "
                           "blanco y negro, o divídalo en partes.")
    actual = sniff(content)
    if actual != declared:
        found = f"un {KINDS[actual][0]}" if actual else "un archivo que no es PDF, PNG ni JPG"
        raise InvalidInput("attachment_type_mismatch",
                           f"El archivo «{file_name}» se declaró como {label}, pero su contenido "
                           f"es {found}. Adjunte el documento correcto.")
    extension = file_name.rsplit(".", 1)[1].lower() if "." in file_name else ""
    if extension not in extensions:
        shown = f"termina en «.{extension}»" if extension else "no tiene extensión"
        raise InvalidInput("attachment_extension_mismatch",
                           f"El nombre «{file_name}» {shown}, pero el archivo es {label}: "
                           f"use la extensión .{extensions[0]}.")
    check_opens(file_name, declared, label, content)
    return declared


def _store(root: Path, relative: str, content: bytes) -> None:
    target = root / relative
    if target.is_file() and target.stat().st_size == len(content):
        return  # content-addressed: the same bytes are already there
    private_dir(target.parent, root)
    handle, temp = tempfile.mkstemp(prefix=".subiendo-", dir=target.parent)  # 0600
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def attach(uow: UnitOfWork, reference: str, file_name: str, media_type: str, content: bytes,
           actor: Actor, root: Path, max_bytes: int = DEFAULT_MAX_MB * MB) -> AttachmentView:
    """Add a scanned document; the same content twice on one expediente gives the first one."""
    expediente = find_expediente(uow.session, uow.office.office_id, reference)
    if expediente.status == Status.ANULADO:
        raise Conflict("expediente_closed",
                       f"El expediente {expediente.number} está anulado: no admite documentos.")
    name = check_file_name(file_name)
    canonical = check_content(name, media_type, content, max_bytes)
    digest = hashlib.sha256(content).hexdigest()
    existing = uow.session.scalar(select(Attachment).where(
        Attachment.expediente_id == expediente.id, Attachment.sha256 == digest))
    if existing is not None:
        return attachment_view(existing, clerk_name(uow.session, existing.added_by))
    relative = f"attachments/{expediente.year}/{digest}.{KINDS[canonical][1]}"
    _store(root, relative, content)
    row = Attachment(id=new_id(), office_id=uow.office.office_id, expediente_id=expediente.id,
                     file_name=name, media_type=canonical, size=len(content), sha256=digest,
                     stored_path=relative, added_at=uow.now, added_by=actor.user_id)
    uow.session.add(row)
    record(uow, expediente, "attached", actor, file_name=name, media_type=canonical,
           size=len(content), sha256=digest, area=expediente.area,
           note=f"Documento adjuntado: {name}")
    return attachment_view(row, clerk_name(uow.session, row.added_by))


def clerk_name(session: Session, user_id: str | None) -> str | None:
    """The full name of the clerk who attached a file (None: the hub itself)."""
    if user_id is None:
        return None
    return session.scalar(select(User.full_name).where(User.id == user_id))


def attachment_content(session: Session, office_id: str, reference: str, attachment_id: str,
                       root: Path) -> AttachmentFile:
    """A stored attachment's bytes, checked against the SHA-256 it was stored under. A lost or
    damaged file is a 4xx with its own code (not 503: the hub itself is fine)."""
    expediente = find_expediente(session, office_id, reference)
    row = session.get(Attachment, attachment_id) if isinstance(attachment_id, str) \
        and len(attachment_id) <= 36 else None
    if row is None or row.expediente_id != expediente.id:
        raise NotFound("unknown_attachment",
                       f"El expediente {expediente.number} no tiene ese documento adjunto.")
    path = root / row.stored_path
    try:
        content = path.read_bytes()
    except OSError:
        raise NotFound("attachment_missing",
                           f"El archivo «{row.file_name}» no está en el disco del hub. Avise "
                           "al administrador: hay que recuperarlo de la copia de seguridad."
                           ) from None
    if hashlib.sha256(content).hexdigest() != row.sha256:
        raise Conflict("attachment_damaged",
                           f"El archivo «{row.file_name}» del hub está dañado (no coincide con "
                           "el que se adjuntó). Avise al administrador: hay que recuperarlo de "
                           "la copia de seguridad.")
    return AttachmentFile(attachment_id=row.id, file_name=row.file_name,
                          media_type=row.media_type, content=content)
