"""Office settings changed from the admin window, and the logo printed on tickets.

The settings live in the office store (`office_settings`, migration 0010, never replicated) and
are overlaid on config.toml when the hub starts and after each change, so whatever reads
`hub.config` sees them at once (login limits, idle lock, the office's name on reports, the
backups kept, the printer of the test page). What something running took at start (the backup
schedule, the sync worker, the windows' printers) is listed in `restart_needed` until the hub
restarts.

The public address central announces in the sync hello is kept here too
(`central_public_url`, `store_central_public_url`): it is not the admin's, who may set
`public_url`, which wins.

Central's credential is the exception: it is kept in the data folder's private secrets.toml
(DataDir.save_central_credential), never in the store, so no backup carries it; after a restore
or on a new PC the admin types it again (`admin_views.MISSING_CREDENTIAL`).
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.config import (
    PAPER_WIDTHS_MM,
    PRINTER_BACKENDS,
    SECRET_SETTINGS,
    DataDir,
    OfficeConfig,
    clean_public_url,
)
from kiosk.errors import InvalidInput
from kiosk.private_files import write_private
from kiosk.services.admin_audit import AdminActor, record
from kiosk.services.admin_views import OfficeSettings, OfficeSettingsChange
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.storage.store import Store
from kiosk.storage.tables import Office, OfficeSetting

log = logging.getLogger(__name__)

LOGO_FILE = "logo.png"
LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PX = 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CODEPAGES = ("CP858", "CP850", "CP1252")  # printing.encoding.CODEPAGES (the core can't import it)

# The settings the admin window may change (each an OfficeConfig field).
EDITABLE = tuple(name for name in OfficeSettingsChange.model_fields)
# Taken by something running when the hub started: effective after a restart.
RESTART_NEEDED = ("backup_interval_hours", "backup_copy_dir", "central_url",
                  "central_credential", "printer_backend", "printer_target",
                  "printer_width_mm", "printer_codepage",
                  "cap_preferential_calls")  # the hub's office context is built at start
# Never shown, never put in an event, never stored in the database.
SECRET = SECRET_SETTINGS
# Stored here too, but set by the sync (what central announced), never by the admin.
CENTRAL_PUBLIC_URL = "central_public_url"

_RANGES: dict[str, tuple[float, float, str]] = {
    "backup_interval_hours": (0, 744, "entre 0 (sin copias programadas) y 744 horas"),
    "backups_kept": (1, 100, "entre 1 y 100 copias"),
    "idle_lock_minutes": (1, 240, "entre 1 y 240 minutos"),
    "login_attempts": (1, 20, "entre 1 y 20 intentos"),
    "login_lockout_minutes": (1, 1440, "entre 1 y 1440 minutos"),
    "ticket_retention_days": (0, 7320, "entre 0 (guardar siempre) y 7320 días (20 años)"),
}
_LABELS = {
    "office_name": "el nombre de la oficina", "municipality": "la municipalidad",
    "backup_interval_hours": "la frecuencia de las copias de seguridad",
    "backups_kept": "las copias que se guardan", "idle_lock_minutes": "el bloqueo por inactividad",
    "login_attempts": "los intentos de ingreso", "login_lockout_minutes": "el tiempo de bloqueo",
    "ticket_retention_days": "los días que se guardan los turnos",
}


def stored(session: Session) -> dict[str, Any]:
    known = {f.name for f in fields(OfficeConfig)}
    return {row.key: row.value.get("v") for row in session.scalars(select(OfficeSetting))
            if row.key in known and row.key not in SECRET}


def overlay(config: OfficeConfig, values: dict[str, Any]) -> OfficeConfig:
    """config.toml with the admin's settings on top (unknown or mistyped keys are ignored)."""
    known = {f.name: f for f in fields(OfficeConfig)}
    usable: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            continue
        kind = str(known[key].type)
        if kind == "float" and isinstance(value, int | float) and not isinstance(value, bool):
            usable[key] = float(value)
        elif (kind == "int" and isinstance(value, int) and not isinstance(value, bool)) or (
                kind == "str" and isinstance(value, str)) or (
                kind == "bool" and isinstance(value, bool)):
            usable[key] = value
    return replace(config, **usable)


def office_config(data_dir: DataDir) -> OfficeConfig:
    """The office's config as its hub serves it (config.toml, the admin's settings, what
    central announced), for a command that runs without the hub (`cac print sample`)."""
    config = data_dir.load_config()
    if not data_dir.database.is_file():
        return config
    store = Store(data_dir.database)
    try:
        with store.read_session() as session:
            return overlay(config, stored(session))
    except SQLAlchemyError as exc:  # a store the hub has not migrated yet: config.toml alone
        log.info("sin los ajustes de la oficina (%s): se usa config.toml", exc)
        return config
    finally:
        store.dispose()


def logo_path(root: Path) -> Path:
    return root / LOGO_FILE


def read_logo(root: Path) -> bytes | None:
    path = logo_path(root)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def settings_view(config: OfficeConfig, boot: OfficeConfig, root: Path) -> OfficeSettings:
    restart = [key for key in RESTART_NEEDED if getattr(config, key) != getattr(boot, key)]
    return OfficeSettings(
        office_name=config.office_name, municipality=config.municipality,
        has_logo=logo_path(root).is_file(), central_url=config.central_url,
        central_credential_set=bool(config.central_credential),
        backup_interval_hours=config.backup_interval_hours, backups_kept=config.backups_kept,
        backup_copy_dir=config.backup_copy_dir, idle_lock_minutes=config.idle_lock_minutes,
        login_attempts=config.login_attempts,
        login_lockout_minutes=config.login_lockout_minutes,
        ticket_retention_days=config.ticket_retention_days,
        printer_backend=config.printer_backend, printer_target=config.printer_target,
        printer_width_mm=config.printer_width_mm, printer_codepage=config.printer_codepage,
        restart_needed=restart, public_url=config.public_url,
        central_public_url=config.central_public_url,
        cap_preferential_calls=config.cap_preferential_calls)


def _checked(key: str, value: Any) -> Any:
    if key in ("office_name", "municipality"):
        text = " ".join(str(value).split())
        if not 1 <= len(text) <= 120:
            raise InvalidInput("invalid_setting",
                               f"Escriba {_LABELS[key]} (de 1 a 120 caracteres).")
        return text
    if key == "central_url":
        url = str(value).strip().rstrip("/")
        if url and not url.startswith(("https://", "http://")):
            raise InvalidInput("invalid_setting",
                               "La dirección del servidor central debe empezar con https:// "
                               "(o quedar vacía si la oficina trabaja sola).")
        return url
    if key == "central_credential":
        return str(value).strip()
    if key == "public_url":
        try:
            return clean_public_url(str(value))
        except InvalidInput as exc:
            raise InvalidInput("invalid_setting", exc.message) from None
    if key == "backup_copy_dir":
        folder = str(value).strip()
        if folder and not Path(folder).is_absolute():
            raise InvalidInput("invalid_setting",
                               "La carpeta de la segunda copia debe ser una ruta completa "
                               "(p. ej. E:\\copias o /media/usb/copias), o quedar vacía.")
        return folder
    if key in _RANGES:
        low, high, text = _RANGES[key]
        if not low <= value <= high:
            raise InvalidInput("invalid_setting", f"Indique {_LABELS[key]} {text}.")
        return float(value) if key == "backup_interval_hours" else int(value)
    if key == "printer_backend":
        if value not in PRINTER_BACKENDS:
            raise InvalidInput("invalid_setting",
                               f"Tipo de impresora desconocido «{str(value)[:20]}». Use uno de: "
                               f"{', '.join(PRINTER_BACKENDS)}.")
        return value
    if key == "printer_target":
        target = str(value).strip()
        if not target:
            raise InvalidInput("invalid_setting",
                               "Indique dónde está la impresora (puerto, dirección o nombre).")
        return target
    if key == "printer_width_mm":
        if value not in PAPER_WIDTHS_MM:
            raise InvalidInput("invalid_setting", "El ancho de papel debe ser 58 u 80 mm.")
        return value
    if key == "printer_codepage":
        page = str(value).strip().upper()
        if page not in CODEPAGES:
            raise InvalidInput("invalid_setting",
                               f"Página de códigos desconocida «{page[:20]}». Use una de: "
                               f"{', '.join(CODEPAGES)}.")
        return page
    if key == "cap_preferential_calls":
        if not isinstance(value, bool):
            raise InvalidInput("invalid_setting",
                               "Indique si se limitan los llamados preferenciales (sí o no).")
        return value
    raise InvalidInput("invalid_setting", f"No se puede cambiar «{key}» desde aquí.")


def change_settings(uow: UnitOfWork, actor: AdminActor, current: OfficeConfig,
                    change: OfficeSettingsChange, data_dir: DataDir) -> dict[str, Any]:
    """Check and store what changed; returns the changed values (the caller re-overlays)."""
    wanted = {key: _checked(key, value)
              for key, value in change.model_dump(exclude_unset=True).items()
              if value is not None}
    changed = {key: value for key, value in wanted.items() if getattr(current, key) != value}
    if not changed:
        return {}
    if "central_credential" in changed:
        # Written before the commit, like the logo: a full disk refuses the whole change.
        data_dir.save_central_credential(changed["central_credential"])
    for key, value in changed.items():
        if key in SECRET:
            continue
        row = uow.session.get(OfficeSetting, key)
        if row is None:
            uow.session.add(OfficeSetting(key=key, value={"v": value}, updated_at=uow.now))
        else:
            row.value, row.updated_at = {"v": value}, uow.now
    if "office_name" in changed:
        office = uow.session.get(Office, uow.office.office_id)
        if office is not None:
            office.name = changed["office_name"]
    record(uow, actor, "office", uow.office.office_id, "settings_changed",
           {"changes": {k: v for k, v in changed.items() if k not in SECRET},
            "credential_changed": "central_credential" in changed})
    return changed


def store_central_public_url(session: Session, url: object, now: datetime) -> bool:
    """Keep the public address central announced; whether it changed. Not an admin's change
    (no audit event); a malformed one is ignored and logged, the office keeps what it had."""
    try:
        value = clean_public_url(url if isinstance(url, str) else "")
    except InvalidInput as exc:
        log.warning("la central anunció una dirección pública no válida (%.80r): %s", url,
                    exc.message)
        return False
    row = session.get(OfficeSetting, CENTRAL_PUBLIC_URL)
    if (row.value.get("v") if row is not None else "") == value:
        return False
    if row is None:
        session.add(OfficeSetting(key=CENTRAL_PUBLIC_URL, value={"v": value}, updated_at=now))
    else:
        row.value, row.updated_at = {"v": value}, now
    log.info("dirección pública anunciada por la central: %s", value or "(ninguna)")
    return True


def check_logo(content: bytes) -> tuple[int, int]:
    """(width, height) of an acceptable logo, or a Spanish InvalidInput."""
    if not content:
        raise InvalidInput("invalid_logo", "Elija un archivo PNG con el logo.")
    if len(content) > LOGO_MAX_BYTES:
        raise InvalidInput("invalid_logo",
                           f"El logo pesa {len(content) // 1024} KB: el máximo es "
                           f"{LOGO_MAX_BYTES // 1024} KB. Redúzcalo o guárdelo con menos "
                           "colores.")
    if not content.startswith(PNG_SIGNATURE):
        raise InvalidInput("invalid_logo",
                           "El logo debe ser una imagen PNG (el archivo elegido no lo es).")
    from PIL import Image, UnidentifiedImageError  # Pillow: only when a logo is uploaded

    try:
        with Image.open(io.BytesIO(content)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            if image.format != "PNG":
                raise InvalidInput("invalid_logo", "El logo debe ser una imagen PNG.")
            width, height = image.size
            if width > LOGO_MAX_PX or height > LOGO_MAX_PX:
                raise InvalidInput("invalid_logo",
                                   f"El logo mide {width}×{height} píxeles: el máximo es "
                                   f"{LOGO_MAX_PX}×{LOGO_MAX_PX}. Redúzcalo.")
            if width < 8 or height < 8:
                raise InvalidInput("invalid_logo", "El logo es demasiado pequeño para imprimirse.")
            image.load()
    except InvalidInput:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as exc:
        raise InvalidInput("invalid_logo",
                           "El archivo PNG del logo está dañado y no se puede abrir.") from exc
    return width, height


def set_logo(uow: UnitOfWork, actor: AdminActor, root: Path, content: bytes) -> None:
    width, height = check_logo(content)
    # Written before the commit (a full disk refuses the change), replaced atomically.
    write_private(logo_path(root), content)
    record(uow, actor, "office", uow.office.office_id, "logo_changed",
           {"width": width, "height": height, "bytes": len(content),
            "sha256": hashlib.sha256(content).hexdigest()})
