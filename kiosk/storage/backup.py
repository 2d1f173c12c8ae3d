"""Online backups through SQLite's backup API (consistent even while the hub writes)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path


def backup_database(source: Path, backups_dir: Path, label: str, keep: int = 10) -> Path:
    """Copy `source` into `backups_dir` as <label>-<UTC time>.sqlite3; keep the newest `keep`."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backups_dir / f"{label}-{stamp}.sqlite3"
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    same_label = sorted(backups_dir.glob(f"{label}-*.sqlite3"))
    for old in same_label[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)
    return target
