"""Office settings changed from the admin window, and the logo printed on tickets.

The settings live in the office store (`office_settings`, migration 0010, never replicated) and
are overlaid on config.toml when the hub starts and after each change, so whatever reads
`hub.config` sees them at once (login limits, idle lock, the office's name on reports, the
backups kept, the printer of the test page). What something running took at start (the backup
schedule, the sync worker, the windows' printers) is listed in `restart_needed` until the hub
restarts. Which settings the admin may change, their checks and Spanish errors, and which
wait for a restart are declared in kiosk/settings.py.

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
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.config import DataDir
from kiosk.errors import InvalidInput
from kiosk.private_files import write_private
from kiosk.services.admin_audit import AdminActor, record
from kiosk.services.admin_views import OfficeSettings, OfficeSettingsChange
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.settings import (
    EDITABLE,
    LEARNT_SETTINGS,
    RESTART_NEEDED,
    SECRET_SETTINGS,
    SETTINGS,
    OfficeConfig,
    clean_public_url,
    secret_view_name,
)
from kiosk.storage.store import Store
from kiosk.storage.tables import Office, OfficeSetting

log = logging.getLogger(__name__)

LOGO_FILE = "logo.png"
LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PX = 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Declared in kiosk/settings.py. Never shown, never put in an event, never stored in the
# database.
SECRET = SECRET_SETTINGS
# Stored here too, but set by the sync (what central announced), never by the admin.
[CENTRAL_PUBLIC_URL] = LEARNT_SETTINGS


def stored(session: Session) -> dict[str, Any]:
    return {row.key: row.value.get("v") for row in session.scalars(select(OfficeSetting))
            if row.key in SETTINGS and row.key not in SECRET}


def overlay(config: OfficeConfig, values: dict[str, Any]) -> OfficeConfig:
    """config.toml with the admin's settings on top (unknown or mistyped keys are ignored)."""
    usable = {key: SETTINGS[key].typed(value) for key, value in values.items()
              if key in SETTINGS and SETTINGS[key].accepts(value)}
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
    values: dict[str, Any] = {}
    for key in (*EDITABLE, *LEARNT_SETTINGS):
        value = getattr(config, key)
        if key in SECRET:
            values[secret_view_name(key)] = bool(value)
        else:
            values[key] = value
    restart = [key for key in RESTART_NEEDED if getattr(config, key) != getattr(boot, key)]
    return OfficeSettings(**values, has_logo=logo_path(root).is_file(), restart_needed=restart)


def _checked(key: str, value: Any) -> Any:
    if key not in EDITABLE:
        raise InvalidInput("invalid_setting", f"No se puede cambiar «{key}» desde aquí.")
    return SETTINGS[key].check(value)


def change_settings(uow: UnitOfWork, actor: AdminActor, current: OfficeConfig,
                    change: OfficeSettingsChange, data_dir: DataDir) -> dict[str, Any]:
    """Check and store what changed; returns the changed values (the caller re-overlays)."""
    wanted = {key: _checked(key, value)
              for key, value in change.model_dump(exclude_unset=True).items()
              if value is not None}
    changed = {key: value for key, value in wanted.items() if getattr(current, key) != value}
    if not changed:
        return {}
    for key in SECRET:
        if key in changed:
            # Written before the commit, like the logo: a full disk refuses the whole change.
            data_dir.save_secret(key, changed[key])
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
            "credential_changed": "central_credential" in changed,
            "secrets_changed": sorted(key for key in SECRET if key in changed)})
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
