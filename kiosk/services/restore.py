"""`cac restore`: what a backup would do to this office, checked before it replaces anything.

Refused outright (kiosk/storage/backup.py): a damaged file, another office's copy. Refused
unless the admin confirms each with its own option, saying what would happen:

- a copy of **another installation** of this office: its office row id (`offices.id`, which
  central also takes as the hub installation's identity, `hub_office_id`) is not this PC's.
  Restoring it makes this PC that installation, for central too. That is right when this PC
  replaces a broken one; wrong when the other installation still works (two PCs would then
  push as one). Option `--other-installation`.
- a copy whose **audit chain is broken**: its events were edited, deleted or moved (the chain
  is walked on the copy itself, kiosk/services/audit.py). Option `--broken-audit`.

What the restore replaces is always kept first as a backup ("antes-de-restaurar").
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from kiosk.errors import Conflict, InvalidInput
from kiosk.services.audit import AuditReport, verify_chain
from kiosk.storage.backup import BackupInfo, inspect_backup, restore_database

OTHER_INSTALLATION_OPTION = "--other-installation"
BROKEN_AUDIT_OPTION = "--broken-audit"
SHOWN_PROBLEMS = 3  # the first broken events named in the refusal


@dataclass(frozen=True)
class RestoreCheck:
    info: BackupInfo
    current_office_id: str | None  # None: no store here yet, or one that cannot be read
    chain: AuditReport  # the copy's own chain

    @property
    def other_installation(self) -> bool:
        return (self.current_office_id is not None
                and self.current_office_id != self.info.office_id)

    def other_installation_text(self) -> str:
        code = self.info.office_code
        return (f"La copia es de otra instalación de la oficina {code} (identificador "
                f"{self.info.office_id}), no de la de este PC ({self.current_office_id}). Si "
                "la restaura, este PC pasa a ser esa otra instalación: la central lo tratará "
                "como ella y recibirá sus datos como de ella (si esa instalación sigue "
                "funcionando en otro PC, la central confundirá a los dos). Los datos actuales "
                "de este PC se guardan antes en una copia de seguridad "
                "(antes-de-restaurar-…). Hágalo solo si este PC reemplaza al de esa "
                "instalación.")

    def broken_audit_text(self) -> str:
        shown = self.chain.problems[:SHOWN_PROBLEMS]
        more = len(self.chain.problems) - len(shown)
        return (f"La cadena de auditoría de la copia está rota ({len(self.chain.problems)}"
                f"{'+' if self.chain.truncated else ''} problema(s) en {self.chain.checked} "
                "eventos): " + " ".join(p.message for p in shown)
                + (f" (y {more} más)" if more > 0 else "")
                + " Sus eventos fueron modificados, borrados o movidos después de escribirse; "
                "restaurada, «cac audit verify» lo seguirá señalando.")


def _current_office_id(database: Path) -> str | None:
    if not database.is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            rows = connection.execute("SELECT id FROM offices").fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return None  # a damaged store, the usual reason to restore: nothing to compare with
    return str(rows[0][0]) if len(rows) == 1 else None


def _backup_chain(backup: Path, tz: ZoneInfo) -> AuditReport:
    """The chain walked on the copy itself, opened read-only."""
    engine = create_engine(f"sqlite:///file:{backup}?mode=ro&uri=true", poolclass=NullPool)
    try:
        with Session(engine) as session:
            return verify_chain(session, tz)
    except (SQLAlchemyError, ValueError, TypeError) as exc:  # events this version cannot read
        raise InvalidInput("backup_corrupt",
                           f"No se puede verificar la cadena de auditoría de {backup.name} "
                           f"({type(exc).__name__}). No se restaura.") from None
    finally:
        engine.dispose()


def check_backup(backup: Path, database: Path, office_code: str, tz: ZoneInfo) -> RestoreCheck:
    """What restoring `backup` over `database` would do; refuses a damaged file and another
    office's copy."""
    info = inspect_backup(backup)
    if info.office_code != office_code:
        raise Conflict("backup_foreign_office",
                       f"La copia {backup.name} es de la oficina {info.office_code} "
                       f"({info.office_name}), no de {office_code}. No se restaura.")
    return RestoreCheck(info=info, current_office_id=_current_office_id(database),
                        chain=_backup_chain(backup, tz))


def require_consent(check: RestoreCheck, *, other_installation: bool, broken_audit: bool
                    ) -> None:
    """Refuse what the admin did not confirm with its own option, saying which to add."""
    reasons: list[tuple[str, str, str]] = []
    if check.other_installation and not other_installation:
        reasons.append(("backup_other_installation", check.other_installation_text(),
                        OTHER_INSTALLATION_OPTION))
    if not check.chain.chain_ok and not broken_audit:
        reasons.append(("backup_broken_audit", check.broken_audit_text(),
                        BROKEN_AUDIT_OPTION))
    if not reasons:
        return
    options = " ".join(option for _, _, option in reasons)
    raise Conflict(reasons[0][0],
                   " ".join(text for _, text, _ in reasons)
                   + f" No se restaura. Para restaurarla de todos modos, agregue {options}.")


def restore_backup(backup: Path, database: Path, backups_dir: Path, office_code: str,
                   tz: ZoneInfo, keep: int = 10, *, other_installation: bool = False,
                   broken_audit: bool = False, checked: RestoreCheck | None = None
                   ) -> tuple[RestoreCheck, Path | None]:
    """Check `backup`, refuse what was not confirmed, then put it in place of `database` (the
    hub stopped); returns the check and the backup of what it replaced. `checked`: a check
    already made of the same file (the CLI shows it before asking)."""
    check = checked or check_backup(backup, database, office_code, tz)
    require_consent(check, other_installation=other_installation, broken_audit=broken_audit)
    _, previous = restore_database(backup, database, backups_dir, office_code, keep)
    return check, previous
