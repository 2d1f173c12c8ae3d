"""Sync without a link (signed USB bundles) and the `cac sync` / `cac central` commands."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.cli import main
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import InvalidInput, Unauthorized
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.office_settings import office_config
from kiosk.storage.tables import SyncOutbox, User
from sync.bundle import export_office_bundle, import_central_reply
from sync.central.app import central_server
from sync.central.schema import REPLICAS
from sync.central.server import CentralServer
from tests.conftest import start_uvicorn, stop_server


def _waiting(office: OfficeHub) -> int:
    with office.store.read_session() as session:
        return int(session.scalar(select(func.count()).select_from(SyncOutbox)) or 0)


def _central_tickets(central: CentralServer) -> int:
    with central.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(REPLICAS["tickets"]))
                   or 0)


def test_a_usb_bundle_goes_and_its_reply_comes_back_once(
        central: CentralServer, make_office, tmp_path: Path) -> None:
    office = make_office()
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    for _ in range(3):
        office.issue_ticket(SYSTEM, "partidas")
    central.add_user("CAJ", "nuevo.usuario", "Usuario Nuevo Central", "counter")
    stick = tmp_path / "usb"
    stick.mkdir()
    exported = export_office_bundle(office, stick / "caj.cacsync", token)
    assert exported["entries"] == _waiting(office) > 3

    first = central.import_bundle(stick / "caj.cacsync", stick / "respuesta.cacsync")
    assert first["applied"] == exported["entries"] and first["rejected"] == 0
    assert first["changes"] >= 1 and _central_tickets(central) == 3
    again = central.import_bundle(stick / "caj.cacsync", stick / "respuesta-2.cacsync")
    assert again["duplicate"] == exported["entries"] and again["applied"] == 0
    assert _central_tickets(central) == 3

    back = import_central_reply(office, stick / "respuesta.cacsync", token)
    assert back["acknowledged"] == exported["entries"] and back["changes"] == first["changes"]
    assert _waiting(office) == 0
    with office.store.read_session() as session:
        assert session.scalar(select(func.count()).select_from(User).where(
            User.username == "nuevo.usuario")) == 1
    twice = import_central_reply(office, stick / "respuesta-2.cacsync", token)
    assert twice["changes"] == 0
    with office.store.read_session() as session:
        assert session.scalar(select(func.count()).select_from(User).where(
            User.username == "nuevo.usuario")) == 1


def _tamper(path: Path, change: dict[str, object]) -> None:
    outer = json.loads(gzip.decompress(path.read_bytes()))
    outer["bundle"].update(change)
    path.write_bytes(gzip.compress(json.dumps(outer).encode()))


def test_forged_damaged_or_foreign_bundles_are_refused(
        central: CentralServer, make_office, tmp_path: Path) -> None:
    office, other = make_office(), make_office("CEL", "CAC Celendín")
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    other_token = central.add_office("CEL", "CAC Celendín")[1]
    office.issue_ticket(SYSTEM, "partidas")
    bundle = tmp_path / "caj.cacsync"
    export_office_bundle(office, bundle, token)
    forged = tmp_path / "forged.cacsync"
    forged.write_bytes(bundle.read_bytes())
    _tamper(forged, {"office": "CEL"})  # sent as Celendín's, still signed by Cajamarca
    with pytest.raises(Unauthorized) as refused:
        central.import_bundle(forged)
    assert "firma" in refused.value.message
    altered = tmp_path / "altered.cacsync"
    altered.write_bytes(bundle.read_bytes())
    _tamper(altered, {"pull_cursor": 99})
    with pytest.raises(Unauthorized):
        central.import_bundle(altered)
    damaged = tmp_path / "damaged.cacsync"
    damaged.write_bytes(bundle.read_bytes()[:100])
    with pytest.raises(InvalidInput) as broken:
        central.import_bundle(damaged)
    assert "dañado" in broken.value.message
    central.issue_hub_token("CAJ", revoke_others=True)
    with pytest.raises(Unauthorized):
        central.import_bundle(bundle)  # signed with a credential revoked since
    assert _central_tickets(central) == 0
    # A reply meant for Cajamarca is refused at Celendín.
    fresh = central.issue_hub_token("CAJ")
    export_office_bundle(office, bundle, fresh)
    central.import_bundle(bundle, tmp_path / "reply.cacsync")
    with pytest.raises(InvalidInput):
        import_central_reply(other, tmp_path / "reply.cacsync", other_token)
    with pytest.raises(InvalidInput):
        import_central_reply(office, tmp_path / "reply.cacsync", other_token)  # wrong key


def test_the_commands_connect_sync_and_report(
        tmp_path: Path, clock: VirtualClock, capsys: pytest.CaptureFixture[str]) -> None:
    database = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    office_dir = str(tmp_path / "office")
    assert main(["central", "office", "add", "--database-url", database, "--office", "CAJ",
                 "--name", "CAC Cajamarca", "--json"]) == 0
    token = json.loads(capsys.readouterr().out)["token"]
    assert main(["init", "--data-dir", office_dir, "--office", "CAJ", "--name",
                 "CAC Cajamarca", "--demo"]) == 0
    capsys.readouterr()

    # Central down: the round fails with a Spanish reason and a non-zero exit.
    assert main(["sync", "--data-dir", office_dir, "--once", "--central",
                 "http://127.0.0.1:9", "--credential", token]) == 1
    assert "No hay conexión con la central" in capsys.readouterr().err

    central = CentralServer(database)
    running = start_uvicorn(central_server(central, lifespan="off",
                                           timeout_graceful_shutdown=2))
    try:
        assert main(["sync", "setup", "--data-dir", office_dir, "--central", running.url,
                     "--credential", token]) == 0
        assert "conectada" in capsys.readouterr().out
        assert main(["sync", "--data-dir", office_dir, "--once"]) == 0
        assert "Sincronizado" in capsys.readouterr().out
    finally:
        stop_server(running)
        central.close()
    assert main(["sync", "--data-dir", office_dir, "--status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["pending"] == 0 and status["last_success_at"] and status["configured"]

    day = ["--from", "2026-11-01", "--to", "2026-12-31"]
    assert main(["stats", "--data-dir", office_dir, *day, "--json"]) == 0
    own = json.loads(capsys.readouterr().out)
    assert main(["central", "stats", "--database-url", database, "--office", "CAJ", *day,
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["offices"]["CAJ"] == own

    assert main(["sync", "export", "--data-dir", office_dir, "--to",
                 str(tmp_path / "b.cacsync")]) == 0
    assert main(["central", "--public-url", "tramites.cajamarca.gob.pe", "import",
                 "--database-url", database, str(tmp_path / "b.cacsync")]) == 2
    refused = capsys.readouterr().err
    assert "--public-url" in refused and "https://" in refused
    assert office_config(DataDir(Path(office_dir))).public_address == ""
    assert main(["central", "--public-url", "https://tramites.cajamarca.gob.pe", "import",
                 "--database-url", database, str(tmp_path / "b.cacsync"),
                 "--reply", str(tmp_path / "r.cacsync")]) == 0
    assert main(["sync", "import", "--data-dir", office_dir, str(tmp_path / "r.cacsync")]) == 0
    assert "Respuesta de la central" in capsys.readouterr().out
    # The address central was told reaches the office by the stick too (issue 15).
    assert office_config(DataDir(Path(office_dir))).public_address == \
        "https://tramites.cajamarca.gob.pe"
    assert main(["central", "--database-url", "mysql://x/y", "office", "list"]) == 2
    assert "PostgreSQL o SQLite" in capsys.readouterr().err
