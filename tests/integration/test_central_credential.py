"""Central's credential rests in the data folder's private secrets.toml (issue 14): never in
the store, so never in a backup or its USB copy; never in config.toml; never in an event or
the outbox. An office of an older version has it moved there and erased from the store, its
backups and its config files. Without it (a restore on a new PC) `cac sync` asks for it."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tomllib
from datetime import datetime
from pathlib import Path

import pytest
import tomli_w
from sqlalchemy import select

from kiosk.cli import main
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.storage.backup import backup_database
from kiosk.storage.tables import Event, SyncOutbox

CENTRAL = "https://central.cajamarca.gob.pe"


def dump(database: Path) -> str:
    """Everything SQLite holds in the file, as SQL."""
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return "\n".join(db.iterdump())
    finally:
        db.close()


def held_anywhere(path: Path, secret: str) -> bool:
    """The secret in the file's bytes: rows, free pages, old versions of a row."""
    return secret.encode() in path.read_bytes()


def history(hub: OfficeHub) -> str:
    with hub.store.read_session() as session:
        return " ".join([*(json.dumps(e) for e in session.scalars(select(Event.data))),
                         *(str(p) for p in session.scalars(select(SyncOutbox.payload)))])


def test_the_credential_stays_out_of_the_store_and_its_backups(
        hub: OfficeHub, tmp_path: Path, clock: VirtualClock) -> None:
    secret = "s3creto-de-la-central-CAJ"
    hub.change_office_settings(SYSTEM, OfficeSettingsChange(central_url=CENTRAL,
                                                            central_credential=secret))
    assert hub.config.central_credential == secret  # what the sync worker reads
    assert hub.office_settings(SYSTEM).central_credential_set
    data_dir = hub.data_dir
    backup = backup_database(data_dir.database, data_dir.backups, "manual")
    assert "central_url" in dump(backup)  # the other settings do travel
    assert secret not in dump(backup) and not held_anywhere(backup, secret)
    assert secret not in data_dir.config_file.read_text("utf-8")
    assert secret not in history(hub)
    stored = tomllib.loads(data_dir.secrets_file.read_text("utf-8"))
    assert stored == {"central_credential": secret}

    # The backup restored on a new PC: the office is there, the credential is not.
    new_pc = DataDir(tmp_path / "otra-pc")
    new_pc.root.mkdir()
    shutil.copy(data_dir.config_file, new_pc.config_file)
    shutil.copy(backup, new_pc.database)
    restored = OfficeHub(new_pc, clock)
    try:
        settings = restored.office_settings(SYSTEM)
        assert (settings.central_url, settings.central_credential_set) == (CENTRAL, False)
        assert restored.config.central_credential == ""
    finally:
        restored.close()


def _old_office(data_dir: DataDir, clock: VirtualClock) -> None:
    """An office as a version before issue 14 left it: the credential typed three times in
    the admin window (office_settings), once in config.toml by `cac sync setup`, and a
    backup made since."""
    OfficeHub.initialise(data_dir, "CAJ", "CAC Cajamarca", clock=clock).close()
    db = sqlite3.connect(data_dir.database)
    db.execute("PRAGMA secure_delete = OFF")  # SQLite's default (Debian builds turn it on)
    with db:
        db.execute("INSERT INTO office_settings (key, value, updated_at) VALUES (?, ?, ?)",
                   ("central_credential", json.dumps({"v": "vieja-1-abcdef"}),
                    datetime(2026, 1, 5)))
        db.execute("INSERT INTO office_settings (key, value, updated_at) VALUES (?, ?, ?)",
                   ("central_url", json.dumps({"v": CENTRAL}), datetime(2026, 1, 5)))
    for value in ("vieja-2-ghijkl-la-mas-larga", "vieja-3-mnopqr"):
        with db:
            db.execute("UPDATE office_settings SET value = ? WHERE key = 'central_credential'",
                       (json.dumps({"v": value}),))
    db.close()
    raw = tomllib.loads(data_dir.config_file.read_text("utf-8"))
    text = tomli_w.dumps({**raw, "central_credential": "del-config-stuvwx"})
    data_dir.config_file.write_text(text, "utf-8")
    data_dir.last_good_config_file.write_text(text, "utf-8")
    backup_database(data_dir.database, data_dir.backups, "automatica")


OLD = ("vieja-1-abcdef", "vieja-2-ghijkl-la-mas-larga", "vieja-3-mnopqr", "del-config-stuvwx")


def test_an_older_office_s_credential_moves_to_the_private_file(
        data_dir: DataDir, clock: VirtualClock, caplog: pytest.LogCaptureFixture) -> None:
    _old_office(data_dir, clock)
    [old_backup] = data_dir.backups.glob("automatica-*.sqlite3")
    # What the migration must erase: the row, and an older value left in the page's free space.
    assert held_anywhere(old_backup, "vieja-3-mnopqr")
    assert held_anywhere(old_backup, "vieja-2-ghijkl-la-mas-larga")

    hub = OfficeHub(data_dir, clock)
    try:
        # The store's value was the one in force (it overlaid config.toml).
        assert hub.config.central_credential == "vieja-3-mnopqr"
        assert hub.office_settings(SYSTEM).central_url == CENTRAL  # the rest stays
        new_backup = backup_database(data_dir.database, data_dir.backups, "manual")
        for secret in OLD:
            assert secret not in history(hub)
    finally:
        hub.close()
    files = [data_dir.database, old_backup, new_backup, data_dir.config_file,
             data_dir.last_good_config_file]
    for path in files:
        for secret in OLD:
            assert not held_anywhere(path, secret), (path.name, secret)
    assert data_dir.central_credential() == "vieja-3-mnopqr"
    assert sum("se trasladó" in r.getMessage() for r in caplog.records) == 1

    caplog.clear()
    OfficeHub(data_dir, clock).close()  # moved once: the next start has nothing to say
    assert not [r for r in caplog.records if "se trasladó" in r.getMessage()]
    assert data_dir.central_credential() == "vieja-3-mnopqr"


def test_cac_sync_setup_keeps_it_private_and_cac_sync_asks_when_it_is_missing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office = tmp_path / "oficina"
    assert main(["init", "--data-dir", str(office), "--office", "CAJ",
                 "--name", "CAC Cajamarca"]) == 0
    # Central unreachable today: saved anyway.
    assert main(["sync", "setup", "--data-dir", str(office), "--central", "http://127.0.0.1:9",
                 "--credential", "credencial-del-hub-123"]) == 0
    data_dir = DataDir(office)
    assert "credencial-del-hub-123" not in data_dir.config_file.read_text("utf-8")
    assert data_dir.central_credential() == "credencial-del-hub-123"
    assert data_dir.load_config().central_url == "http://127.0.0.1:9"
    capsys.readouterr()

    data_dir.secrets_file.unlink()  # a restore on a new PC: config.toml without its secret
    assert main(["sync", "--data-dir", str(office)]) == 0
    assert "Falta la credencial de la central: escríbala de nuevo" in capsys.readouterr().out
    assert main(["sync", "--data-dir", str(office), "--once"]) == 2
    assert "Falta la credencial de la central: escríbala de nuevo" in capsys.readouterr().err
