"""`cac restore` checks what it restores (issue 14): a copy of another installation of the same
office, or one whose audit chain is broken, is refused unless the admin adds the option that
confirms it (`--yes` alone is not enough), and the refusal says what would happen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.cli import main
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import Conflict
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.restore import restore_backup
from kiosk.storage.backup import backup_database, inspect_backup
from kiosk.storage.tables import Event, Ticket
from tests.conftest import LIMA


def _work(hub: OfficeHub, tickets: int) -> None:
    for _ in range(tickets):
        hub.issue_ticket(SYSTEM, "partidas")


def _state(data_dir: DataDir) -> tuple[str, int]:
    """The office id and the ticket count of the store on disk."""
    connection = sqlite3.connect(data_dir.database)
    try:
        ((office_id,),) = connection.execute("SELECT id FROM offices").fetchall()
        ((tickets,),) = connection.execute("SELECT count(*) FROM tickets").fetchall()
    finally:
        connection.close()
    return office_id, tickets


def _restore(data_dir: DataDir, backup: Path, *options: str) -> int:
    return main(["restore", "--data-dir", str(data_dir.root), str(backup), "--yes", *options])


def _other_installation_backup(tmp_path: Path, clock: VirtualClock) -> tuple[Path, str]:
    """A backup of another PC initialised as the same office CAJ: (file, its office id)."""
    other = OfficeHub.initialise(DataDir(tmp_path / "otro-pc"), "CAJ", "CAC Cajamarca",
                                 demo=True, clock=clock)
    try:
        _work(other, 2)
        office_id = other.office.office_id
    finally:
        other.close()
    return backup_database(other.data_dir.database, tmp_path / "usb", "manual"), office_id


def test_a_copy_of_another_installation_needs_its_own_option(
        hub: OfficeHub, clock: VirtualClock, data_dir: DataDir, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    _work(hub, 5)
    mine = hub.office.office_id
    foreign, theirs = _other_installation_backup(tmp_path, clock)
    assert inspect_backup(foreign).office_code == "CAJ" and theirs != mine
    hub.close()

    assert _restore(data_dir, foreign) == 2  # --yes alone does not do it
    err = capsys.readouterr().err
    assert f"La copia es de otra instalación de la oficina CAJ (identificador {theirs})" in err
    assert f"no de la de este PC ({mine})" in err
    assert "este PC pasa a ser esa otra instalación: la central lo tratará como ella" in err
    assert "Los datos actuales de este PC se guardan antes en una copia de seguridad" in err
    assert err.rstrip().endswith("Para restaurarla de todos modos, agregue "
                                 "--other-installation.")
    assert _state(data_dir) == (mine, 5)  # nothing replaced
    with pytest.raises(Conflict) as refused:  # the same check for any caller
        restore_backup(foreign, data_dir.database, data_dir.backups, "CAJ", LIMA)
    assert refused.value.code == "backup_other_installation"

    assert _restore(data_dir, foreign, "--other-installation") == 0
    out = capsys.readouterr().out
    assert "Atención: La copia es de otra instalación" in out and "Restaurada" in out
    assert _state(data_dir) == (theirs, 2)
    [kept] = data_dir.backups.glob("antes-de-restaurar-*")
    assert (inspect_backup(kept).office_id, inspect_backup(kept).tickets) == (mine, 5)


def test_a_copy_with_a_broken_chain_needs_its_own_option(
        hub: OfficeHub, data_dir: DataDir, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    _work(hub, 6)
    backup = backup_database(data_dir.database, data_dir.backups, "manual")
    _work(hub, 1)
    with hub.store.read_session() as session:
        seq = session.scalar(select(Event.seq).where(Event.kind == "issued")
                             .order_by(Event.seq).offset(2).limit(1))
    assert seq is not None
    mine = hub.office.office_id
    hub.close()
    connection = sqlite3.connect(backup)  # the copy's events edited after it was made
    connection.execute("UPDATE events SET data = json_set(data, '$.number', 'A-099') "
                       "WHERE seq = ?", (seq,))
    connection.execute("DELETE FROM events WHERE seq = ?", (seq + 1,))
    connection.commit()
    connection.close()

    assert _restore(data_dir, backup) == 2
    err = capsys.readouterr().err
    assert "La cadena de auditoría de la copia está rota (2 problema(s)" in err
    assert f"Se modificó el evento n.º {seq} (ticket/issued A-099" in err
    assert f"Faltan eventos: el n.º {seq + 1} después de el evento n.º {seq}" in err
    assert err.rstrip().endswith("agregue --broken-audit.")
    assert _state(data_dir) == (mine, 7)

    assert _restore(data_dir, backup, "--other-installation") == 2  # not the option it needs
    assert "agregue --broken-audit." in capsys.readouterr().err
    assert _restore(data_dir, backup, "--broken-audit") == 0
    assert "Atención: La cadena de auditoría de la copia está rota" in capsys.readouterr().out
    assert _state(data_dir) == (mine, 6)
    reopened = OfficeHub(data_dir)
    try:
        report = reopened.verify_audit(SYSTEM)
        assert [(p.seq, p.kind) for p in report.problems] == [(seq, "edited"),
                                                              (seq + 1, "deleted")]
        with reopened.store.read_session() as session:
            assert session.scalar(select(func.count()).select_from(Ticket)) == 6
    finally:
        reopened.close()


def test_both_at_once_need_both_options(
        hub: OfficeHub, clock: VirtualClock, data_dir: DataDir, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    foreign, theirs = _other_installation_backup(tmp_path, clock)
    connection = sqlite3.connect(foreign)
    connection.execute("DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)")
    connection.commit()
    connection.close()
    hub.close()
    assert _restore(data_dir, foreign, "--broken-audit") == 2
    err = capsys.readouterr().err
    assert "otra instalación" in err and "agregue --other-installation." in err
    assert _restore(data_dir, foreign) == 2
    err = capsys.readouterr().err
    assert "otra instalación" in err and "La cadena de auditoría de la copia está rota" in err
    assert err.rstrip().endswith("agregue --other-installation --broken-audit.")
    assert _restore(data_dir, foreign, "--broken-audit", "--other-installation") == 0
    assert _state(data_dir)[0] == theirs
