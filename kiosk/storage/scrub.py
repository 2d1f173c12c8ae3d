"""Erasing an office setting from an SQLite file for good (central's credential, issue 14).

A deleted row's bytes stay in the file until SQLite reuses their space, and a backup copies
the file page by page, so a plain DELETE would leave the credential readable in the store and
every later backup. With `secure_delete` on, the whole table is cleared (SQLite zeroes its
pages, older versions of the row included) and the other settings are written back; the WAL is
then checkpointed and truncated. No VACUUM: it would renumber the rowids the search indexes
point at.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def scrub_setting(database: Path, key: str) -> Any:
    """Remove `office_settings[key]` from `database` leaving none of its bytes; returns the
    value it held (None: there was none, or no such table in that file)."""
    if not database.is_file():
        return None
    db = sqlite3.connect(database, isolation_level=None, timeout=30)
    try:
        try:
            rows = db.execute("SELECT key, value, updated_at FROM office_settings").fetchall()
        except sqlite3.OperationalError:  # an office older than migration 0010
            return None
        found = [row for row in rows if row[0] == key]
        if not found:
            return None
        db.execute("PRAGMA secure_delete = ON")
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM office_settings")  # cleared whole: its pages are zeroed
            db.executemany("INSERT INTO office_settings (key, value, updated_at) "
                           "VALUES (?, ?, ?)", [row for row in rows if row[0] != key])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    try:
        value = json.loads(found[0][1])
    except (TypeError, ValueError):
        return None
    return value.get("v") if isinstance(value, dict) else None


def scrub_backups(folder: Path, key: str, suffix: str) -> int:
    """`scrub_setting` on every backup in `folder` (made by an older version); their times
    are kept, the backup schedule goes by them. Returns how many held the setting."""
    scrubbed = 0
    for backup in sorted(folder.glob(f"*{suffix}")) if folder.is_dir() else []:
        try:
            times = backup.stat()
            if scrub_setting(backup, key) is not None:
                scrubbed += 1
            os.utime(backup, ns=(times.st_atime_ns, times.st_mtime_ns))
        except (OSError, sqlite3.Error) as exc:
            log.warning("no se pudo borrar «%s» de la copia %s: %s", key, backup.name, exc)
    return scrubbed
