"""The audit chain's verifier, online backups, restore and the one-hub-per-folder lock."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.cli import main
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import Conflict, InvalidInput
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.storage.backup import backup_database, inspect_backup, restore_database
from kiosk.storage.lock import HubLock
from kiosk.storage.tables import Event, Ticket
from tests.conftest import advance


def _busy_morning(hub: OfficeHub, clock: VirtualClock, tickets: int = 6) -> None:
    if hub.counters(SYSTEM)[0].state == "closed":
        hub.open_counter(SYSTEM, 1)
    for _ in range(tickets):
        hub.issue_ticket(SYSTEM, "partidas")
        advance(clock, minutes=1)
    for _ in range(tickets // 2):
        called = hub.call_next(SYSTEM, 1)
        assert called is not None
        hub.start(SYSTEM, called.id)
        advance(clock, minutes=3)
        hub.finish(SYSTEM, called.id)


def _tamper(data_dir: DataDir, sql: str, *params: object) -> None:
    connection = sqlite3.connect(data_dir.database)
    connection.execute(sql, params)
    connection.commit()
    connection.close()


def _seq_of_a_ticket_event(hub: OfficeHub, kind: str = "called") -> int:
    with hub.store.read_session() as session:
        seq = session.scalar(select(Event.seq).where(Event.kind == kind).limit(1))
    assert seq is not None
    return seq


def _last_seq(hub: OfficeHub) -> int:
    with hub.store.read_session() as session:
        return int(session.scalar(select(func.max(Event.seq))) or 0)


def test_an_untouched_chain_verifies(hub: OfficeHub, clock: VirtualClock) -> None:
    _busy_morning(hub, clock)
    report = hub.verify_audit(SYSTEM)
    with hub.store.read_session() as session:
        total = session.scalar(select(func.count()).select_from(Event))
    assert report.ok and report.checked == total and report.first_seq == 1


@pytest.mark.parametrize("damage", ["edited", "edited_and_rehashed", "deleted", "swapped",
                                    "tail_deleted"])
def test_every_kind_of_tampering_is_found_and_located(
        hub: OfficeHub, clock: VirtualClock, data_dir: DataDir, damage: str) -> None:
    _busy_morning(hub, clock)
    seq = _seq_of_a_ticket_event(hub)
    if damage == "edited":
        _tamper(data_dir, "UPDATE events SET data = json_set(data, '$.counter', 9) "
                          "WHERE seq = ?", seq)
    elif damage == "edited_and_rehashed":  # a careful forger recomputes the row's own hash
        _tamper(data_dir, "UPDATE events SET hash = ? WHERE seq = ?", "f" * 64, seq)
    elif damage == "deleted":
        _tamper(data_dir, "DELETE FROM events WHERE seq = ?", seq)
    elif damage == "tail_deleted":  # the last events: no gap is left in the numbering
        seq = _last_seq(hub) - 2
        _tamper(data_dir, "DELETE FROM events WHERE seq >= ?", seq)
    else:
        _tamper(data_dir, "UPDATE events SET seq = -1 WHERE seq = ?", seq)
        _tamper(data_dir, "UPDATE events SET seq = ? WHERE seq = ?", seq, seq + 1)
        _tamper(data_dir, "UPDATE events SET seq = ? WHERE seq = -1", seq + 1)
    report = hub.verify_audit(SYSTEM)
    assert not report.ok
    first = report.problems[0]
    expected_kind = {"edited": "edited", "edited_and_rehashed": "edited", "deleted": "deleted",
                     "swapped": "out_of_order", "tail_deleted": "deleted"}[damage]
    assert (first.seq, first.kind) == (seq, expected_kind)
    assert f"n.º {seq}" in first.message
    if damage == "edited_and_rehashed":  # the next event no longer follows it
        assert [(p.seq, p.kind) for p in report.problems][1] == (seq + 1, "out_of_order")


def test_cac_audit_verify_says_where_and_fails(hub: OfficeHub, clock: VirtualClock,
                                               data_dir: DataDir,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    _busy_morning(hub, clock)
    hub.close()
    assert main(["audit", "verify", "--data-dir", str(data_dir.root)]) == 0
    assert "Cadena de auditoría íntegra" in capsys.readouterr().out
    _tamper(data_dir, "DELETE FROM events WHERE seq IN (5, 6)")
    assert main(["audit", "verify", "--data-dir", str(data_dir.root)]) == 1
    err = capsys.readouterr().err
    assert "¡La cadena de auditoría fue alterada!" in err
    assert "Faltan eventos: los n.º 5 a 6 después de el evento n.º 4" in err
    assert main(["audit", "verify", "--data-dir", str(data_dir.root), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False and payload["problems"][0]["seq"] == 5


def _counts(hub: OfficeHub) -> tuple[int, int]:
    with hub.store.read_session() as session:
        return (int(session.scalar(select(func.count()).select_from(Ticket)) or 0),
                int(session.scalar(select(func.count()).select_from(Event)) or 0))


def test_a_backup_restored_brings_back_everything_it_held(
        hub: OfficeHub, clock: VirtualClock, data_dir: DataDir) -> None:
    _busy_morning(hub, clock)
    backup = backup_database(data_dir.database, data_dir.backups, "manual")  # hub running
    kept = _counts(hub)
    with hub.store.read_session() as session:
        numbers = sorted(session.scalars(select(Ticket.number)))
    _busy_morning(hub, clock, tickets=4)  # work after the backup: lost by the restore
    hub.close()
    info, previous = restore_database(backup, data_dir.database, data_dir.backups, "CAJ")
    assert (info.tickets, info.events) == kept and previous is not None
    reopened = OfficeHub(data_dir, clock)
    try:
        assert _counts(reopened) == kept
        with reopened.store.read_session() as session:
            assert sorted(session.scalars(select(Ticket.number))) == numbers
        assert reopened.verify_audit(SYSTEM).ok
        assert reopened.issue_ticket(SYSTEM, "partidas").number  # and it keeps working
    finally:
        reopened.close()
    assert inspect_backup(previous).tickets == kept[0] + 4  # what was replaced is kept


def test_a_corrupt_or_foreign_backup_is_refused(hub: OfficeHub, clock: VirtualClock,
                                                data_dir: DataDir, tmp_path: Path) -> None:
    _busy_morning(hub, clock)
    good = backup_database(data_dir.database, data_dir.backups, "manual")
    damaged = tmp_path / "danada.sqlite3"
    damaged.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    garbage = tmp_path / "foto.sqlite3"
    garbage.write_bytes(b"\x89PNG not a database at all" * 100)
    for bad in (damaged, garbage):
        with pytest.raises(InvalidInput) as refused:
            restore_database(bad, data_dir.database, data_dir.backups, "CAJ")
        assert refused.value.code == "backup_corrupt"
    other = OfficeHub.initialise(DataDir(tmp_path / "cel"), "CEL", "CAC Celendín", clock=clock)
    foreign = backup_database(other.data_dir.database, tmp_path, "manual")
    other.close()
    before = _counts(hub)
    with pytest.raises(Conflict) as refused_foreign:
        restore_database(foreign, data_dir.database, data_dir.backups, "CAJ")
    assert "es de la oficina CEL" in refused_foreign.value.message
    assert _counts(hub) == before


def test_restore_and_a_second_hub_wait_for_the_serving_one(
        hub: OfficeHub, data_dir: DataDir, capsys: pytest.CaptureFixture[str]) -> None:
    backup = backup_database(data_dir.database, data_dir.backups, "manual")
    with HubLock(data_dir.root).acquire("x"):  # as `cac hub` holds it while serving
        assert main(["restore", "--data-dir", str(data_dir.root), str(backup), "--yes"]) == 2
        assert "deténgalo antes de restaurar" in capsys.readouterr().err
        with pytest.raises(Conflict):
            HubLock(data_dir.root).acquire("no se puede iniciar otro")
    hub.close()
    assert main(["restore", "--data-dir", str(data_dir.root), str(backup), "--yes"]) == 0
    assert "Restaurada" in capsys.readouterr().out


def test_scheduled_backups_rotate_and_copy_to_a_second_folder(
        hub: OfficeHub, data_dir: DataDir, tmp_path: Path) -> None:
    from kiosk.backup_schedule import BackupScheduler

    usb = tmp_path / "usb"
    scheduler = BackupScheduler(hub, interval_s=3600, copy_dir=usb)
    first = scheduler.run_once()
    assert first is not None and first.error is None and Path(str(first.copied_to)).is_file()
    assert scheduler.run_once() is None  # not due again within the hour
    assert inspect_backup(Path(str(first.path))).office_code == "CAJ"
    status = json.loads((data_dir.backups / "estado.json").read_text("utf-8"))
    assert status["path"] == first.path
    broken = BackupScheduler(hub, interval_s=0, copy_dir=tmp_path / "file-not-dir")
    (tmp_path / "file-not-dir").write_text("a file where the stick's folder should be")
    outcome = broken.run_once()
    assert outcome is not None and outcome.path is not None  # the local copy was made
    assert outcome.error and "No se pudo guardar la copia" in outcome.error
