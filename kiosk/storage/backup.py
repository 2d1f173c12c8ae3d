"""Online backups through SQLite's backup API (consistent even while the hub writes), their
checks, and restoring one.

A backup is a whole database file. Before trusting one it is opened read-only and checked:
SQLite's own integrity check, and which office it belongs to (kiosk/services/restore.py adds
which installation, and its audit chain). A restore copies it back over the office's store with
the same API, after taking a backup of what it replaces.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.errors import Conflict, InvalidInput, StorageError
from kiosk.private_files import PRIVATE_DIR, private_dir, private_opener, touch_private

BACKUP_SUFFIX = ".sqlite3"


def backup_database(source: Path, backups_dir: Path, label: str, keep: int = 10) -> Path:
    """Copy `source` into `backups_dir` as <label>-<UTC time>.sqlite3; keep the newest `keep`."""
    private_dir(backups_dir, source.parent)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backups_dir / f"{label}-{stamp}{BACKUP_SUFFIX}"
    tmp = target.with_name(target.name + ".tmp")
    touch_private(tmp)  # made private before SQLite writes a page (its journal follows suit)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(target)  # a half-written copy never looks like a backup
    rotate(backups_dir, label, keep)
    return target


def rotate(backups_dir: Path, label: str, keep: int) -> None:
    same_label = sorted(backups_dir.glob(f"{label}-*{BACKUP_SUFFIX}"))
    for old in same_label[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)


def copy_to(backup: Path, folder: Path, label: str, keep: int) -> Path:
    """A second copy (a USB stick): written under a temporary name, then renamed; readable by
    this user only (where the stick's file system keeps modes at all)."""
    folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)  # an existing one is left be
    target = folder / backup.name
    tmp = target.with_name(target.name + ".tmp")
    with open(backup, "rb") as src, open(tmp, "wb", opener=private_opener) as dst:
        shutil.copyfileobj(src, dst)
    tmp.replace(target)
    rotate(folder, label, keep)
    return target


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    office_code: str
    office_name: str
    office_id: str
    revision: str | None
    tickets: int
    expedientes: int
    events: int
    last_event_at: str | None


def inspect_backup(path: Path) -> BackupInfo:
    """What a backup file holds; a Spanish refusal if it is not a sound office store."""
    if not path.is_file():
        raise InvalidInput("backup_missing", f"No existe el archivo {path}.")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InvalidInput("backup_corrupt", f"No se puede abrir {path.name}: {exc}.") from None
    try:
        try:
            check = connection.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                first = check[0][0] if check else "sin respuesta"
                raise InvalidInput("backup_corrupt", f"La copia {path.name} está dañada "
                                                     f"(SQLite: {first}). No se restaura.")
            office = connection.execute("SELECT id, code, name FROM offices").fetchall()
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            counts = [connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                      for table in ("tickets", "expedientes", "events")]
            last = connection.execute("SELECT max(occurred_at) FROM events").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise InvalidInput("backup_corrupt",
                               f"{path.name} no es una copia de seguridad de CAC Kiosk ({exc})."
                               ) from None
    finally:
        connection.close()
    if len(office) != 1:
        raise InvalidInput("backup_corrupt", f"{path.name} no contiene una oficina.")
    office_id, code, name = office[0]
    return BackupInfo(path=path, office_code=code, office_name=name, office_id=office_id,
                      revision=revision[0] if revision else None, tickets=counts[0],
                      expedientes=counts[1], events=counts[2], last_event_at=last)


def restore_database(backup: Path, database: Path, backups_dir: Path, office_code: str,
                     keep: int = 10) -> tuple[BackupInfo, Path | None]:
    """Put `backup` in place of `database` (the hub must be stopped). The store it replaces is
    kept as a backup first ("antes-de-restaurar"); returns (what was restored, that backup).
    The checks that need the admin's consent (another installation, a broken audit chain) are
    kiosk/services/restore.py's, which `cac restore` goes through."""
    info = inspect_backup(backup)
    if info.office_code != office_code:
        raise Conflict("backup_foreign_office",
                       f"La copia {backup.name} es de la oficina {info.office_code} "
                       f"({info.office_name}), no de {office_code}. No se restaura.")
    previous = None
    if database.exists():
        previous = backup_database(database, backups_dir, "antes-de-restaurar", keep)
    try:
        src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            touch_private(database)
            dst = sqlite3.connect(database)
            try:
                src.backup(dst)  # page by page, into the live file: WAL and all stay coherent
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise StorageError("restore_failed",
                           f"No se pudo restaurar {backup.name}: {exc}. La base anterior se "
                           f"guardó en {previous}.") from None
    return info, previous
