"""Nothing in the office folder is readable by another local user (issue 14): not the store
with its PIN hashes (and its WAL), the config, the backups (the USB copy too), the logs, the
attachments, the logo, the demo's credentials, the secrets; and an office made by an older
version, 0755/0644, is tightened when a hub opens it, and said once."""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from kiosk import cli
from kiosk.cli import main
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.logs import configure_logging
from kiosk.services.admin_views import OfficeSettingsChange
from kiosk.services.devices import DeviceIdentity
from kiosk.storage.backup import backup_database, copy_to
from kiosk.storage.lock import HubLock
from tests.integration.test_expedientes import partida

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes (Windows: the ACL)")


def loose(root: Path) -> list[str]:
    """Every path under `root` (itself included) that its group or others may use."""
    found = []
    for path in (root, *root.rglob("*")):
        if not path.is_symlink() and stat.S_IMODE(path.lstat().st_mode) & 0o077:
            found.append(f"{path.relative_to(root.parent)} "
                         f"{oct(stat.S_IMODE(path.lstat().st_mode))}")
    return found


def png(size: int = 16) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (size, size), 255).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """A desktop's usual umask (files 0644, folders 0755): what the office must not get."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_cac_init_demo_and_backup_leave_nothing_readable(
        tmp_path: Path, usual_umask: None, monkeypatch: pytest.MonkeyPatch) -> None:
    office = tmp_path / "oficina"
    assert main(["init", "--data-dir", str(office), "--office", "CAJ",
                 "--name", "CAC Cajamarca"]) == 0
    assert (office / "config.toml").is_file() and (office / "cac.sqlite3").is_file()
    assert loose(office) == []

    # The demo's set-up (its morning's simulation writes only to the store).
    monkeypatch.setattr(cli, "_demo_morning", lambda data_dir, now: None)
    demo = tmp_path / "demo"
    assert main(["demo", "--data-dir", str(demo), "--no-serve"]) == 0
    assert (demo / "demo-credenciales.json").is_file()
    assert loose(demo) == []

    usb = tmp_path / "usb"
    assert main(["backup", "--data-dir", str(office), "--to", str(usb / "copias")]) == 0
    [made] = (office / "backups").glob("manual-*.sqlite3")
    assert (usb / "copias" / made.name).is_file()
    assert loose(office) == [] and loose(usb / "copias") == []


def test_what_a_running_hub_writes_stays_private(
        usual_umask: None, hub: OfficeHub, clerk: DeviceIdentity, tmp_path: Path) -> None:
    """Straight through the hub, without the `cac` command's umask: each file's own mode."""
    root = hub.data_dir.root
    hub.issue_ticket(SYSTEM, "partidas")  # the store is open: its -wal and -shm exist
    assert {p.name for p in root.glob("cac.sqlite3-*")} >= {"cac.sqlite3-wal",
                                                            "cac.sqlite3-shm"}
    number = hub.file_expediente(clerk, partida()).number
    hub.attach(clerk, number, "foto.png", "image/png", png())
    hub.set_logo(SYSTEM, png(64))
    hub.change_office_settings(SYSTEM, OfficeSettingsChange(
        central_url="https://central.example.pe", central_credential="credencial-privada"))
    backup_database(hub.data_dir.database, hub.data_dir.backups, "manual")
    copy_to(next(hub.data_dir.backups.glob("manual-*")), tmp_path / "usb", "manual", 3)
    with HubLock(root).acquire("prueba"):
        assert (root / "hub.lock").exists()
        assert loose(root) == []

    root_logger = logging.getLogger()
    handlers = list(root_logger.handlers)
    try:
        configure_logging(hub.data_dir.logs)
        [handler] = [h for h in root_logger.handlers if h not in handlers]
        logging.getLogger("kiosk.prueba").info("una línea del registro")
        assert isinstance(handler, logging.handlers.RotatingFileHandler)
        handler.doRollover()  # the rotated file and the new one
        logging.getLogger("kiosk.prueba").info("otra línea")
        handler.close()
        root_logger.removeHandler(handler)
    finally:
        root_logger.handlers[:] = handlers
    assert {p.name for p in hub.data_dir.logs.iterdir()} == {"hub.log", "hub.log.1"}
    assert any(root.glob("attachments/*/*.png")) and (root / "logo.png").is_file()
    assert (root / "secrets.toml").is_file()
    assert loose(root) == [] and loose(tmp_path / "usb") == []


def test_an_older_office_is_tightened_when_a_hub_opens_it_and_said_once(
        data_dir: DataDir, clock: VirtualClock, usual_umask: None,
        caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    OfficeHub.initialise(data_dir, "CAJ", "CAC Cajamarca", clock=clock).close()
    root = data_dir.root
    # What an older version left (0755/0644), and files it does not know: a TLS key.
    (root / "tls").mkdir()
    (root / "tls" / "oficina-ca.key").write_bytes(b"-----BEGIN PRIVATE KEY-----\n")
    (root / "demo-credenciales.json").write_text("{}")
    outside = tmp_path / "fuera.txt"
    outside.write_text("no es de la oficina")
    (root / "enlace").symlink_to(outside)
    for path in (root, *root.rglob("*")):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    outside.chmod(0o644)
    assert len(loose(root)) > 5

    with caplog.at_level(logging.WARNING, logger="kiosk"):
        OfficeHub(data_dir, clock).close()
    assert loose(root) == []
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644  # a link is not followed
    said = [r.getMessage() for r in caplog.records if "legible por otros" in r.getMessage()]
    assert len(said) == 1 and str(root) in said[0]

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="kiosk"):
        OfficeHub(data_dir, clock).close()
    assert not [r for r in caplog.records if "legible por otros" in r.getMessage()]
