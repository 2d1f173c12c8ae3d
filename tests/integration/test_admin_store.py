"""The admin backend's storage rules: pairing codes and settings stay local and never in clear,
settings survive a restart, the audit chain stays whole, and `POST /pair` needs no token."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from sqlalchemy import func, select, text

from kiosk.client.http import HttpHubClient, pair_device
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.admin_views import OfficeSettingsChange, PairingInput
from kiosk.storage.replication import BY_TABLE
from kiosk.storage.tables import OfficeSetting, PairingCode, SyncOutbox
from tests.conftest import RunningHub

LOCAL_TABLES = ("pairing_codes", "pairing_guard", "office_settings")


def outbox_tables(hub: OfficeHub) -> set[str]:
    with hub.store.read_session() as session:
        return set(session.scalars(select(SyncOutbox.tbl)))


def test_pairing_codes_are_kept_hashed_and_local(hub: OfficeHub) -> None:
    made = hub.create_pairing(SYSTEM, PairingInput(name="Quiosco 2", role="kiosk"))
    plain = made.code.replace("-", "")
    with hub.store.read_session() as session:
        row = session.get(PairingCode, made.id)
        assert row is not None and row.code_hash not in (made.code, plain)
        dumped = " ".join(str(v) for v in session.execute(
            text("SELECT * FROM pairing_codes")).one())
    assert plain not in dumped and made.code not in dumped
    hub.close()
    stored = hub.data_dir.database.read_bytes()
    for name in (hub.data_dir.database.name + "-wal",):
        wal = hub.data_dir.root / name
        if wal.exists():
            stored += wal.read_bytes()
    assert plain.encode() not in stored and made.code.encode() not in stored


def test_admin_tables_never_travel_to_central(hub: OfficeHub) -> None:
    assert not set(LOCAL_TABLES) & set(BY_TABLE)
    with hub.store.read_session() as session:
        triggers = set(session.scalars(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    assert not {t for t in triggers if any(table in t for table in LOCAL_TABLES)}
    assert any(t.startswith("sync_") for t in triggers)  # the capture is installed at all
    hub.create_pairing(SYSTEM, PairingInput(name="Pantalla 2", role="display"))
    hub.change_office_settings(SYSTEM, OfficeSettingsChange(
        central_credential="secreto-de-central", idle_lock_minutes=9))
    assert not outbox_tables(hub) & set(LOCAL_TABLES)
    with hub.store.read_session() as session:
        payloads = " ".join(str(p) for p in session.scalars(select(SyncOutbox.payload)))
    assert "secreto-de-central" not in payloads


def test_settings_survive_a_restart_and_the_restart_list_clears(
        data_dir: DataDir, clock: VirtualClock) -> None:
    hub = OfficeHub.initialise(data_dir, "CAJ", "CAC Cajamarca", clock=clock)
    file_before = data_dir.config_file.read_text(encoding="utf-8")
    changed = hub.change_office_settings(SYSTEM, OfficeSettingsChange(
        backup_interval_hours=2, idle_lock_minutes=3, municipality="Municipalidad de Baños"))
    assert changed.restart_needed == ["backup_interval_hours"]
    assert (hub.config.backup_interval_hours, hub.config.idle_lock_minutes) == (2.0, 3)
    hub.close()
    again = OfficeHub(data_dir, clock)
    try:
        settings = again.office_settings(SYSTEM)
        assert (settings.backup_interval_hours, settings.idle_lock_minutes,
                settings.municipality, settings.restart_needed) == (
            2.0, 3, "Municipalidad de Baños", [])
        assert again.config.backup_interval_hours == 2.0  # what the scheduler starts with
        with again.store.read_session() as session:
            assert session.scalar(select(func.count()).select_from(OfficeSetting)) == 3
    finally:
        again.close()
    # config.toml itself is untouched: the store's settings are an overlay.
    assert data_dir.config_file.read_text(encoding="utf-8") == file_before


def test_the_audit_chain_stays_whole_after_admin_changes(hub: OfficeHub) -> None:
    hub.create_pairing(SYSTEM, PairingInput(name="Quiosco 4", role="kiosk"))
    hub.change_office_settings(SYSTEM, OfficeSettingsChange(login_attempts=4))
    report = hub.verify_audit(SYSTEM)
    assert report.ok and report.checked > 0


def test_pair_over_http_needs_no_credential(server: RunningHub, hub: OfficeHub) -> None:
    made = hub.create_pairing(SYSTEM, PairingInput(name="Ventanilla 7", role="counter"))

    def pair(body: Any) -> requests.Response:
        return requests.post(server.url + "/api/v1/pair", json=body, timeout=10)

    wrong = pair({"code": "ZZZZ-ZZZZ"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["message"].startswith("El código de emparejamiento no es")
    assert pair({"codigo": made.code}).status_code == 422
    ok = pair({"code": made.code})
    assert ok.status_code == 201
    body = ok.json()
    assert body["device"]["name"] == "Ventanilla 7" and body["token"]
    assert set(body["device"]) == {"id", "name", "role", "created_at", "revoked_at",
                                   "last_seen_at", "counter"}
    health = requests.get(server.url + "/api/v1/counters", timeout=10,
                          headers={"Authorization": f"Bearer {body['token']}"})
    assert health.status_code == 200
    assert pair({"code": made.code}).json()["error"]["code"] == "pairing_code_used"


def test_a_paired_device_works_with_its_own_token(server: RunningHub,
                                                            hub: OfficeHub) -> None:
    made = hub.create_pairing(SYSTEM, PairingInput(name="Pantalla sala", role="display"))
    token = pair_device(server.url, made.code.lower()).token  # typed as seen, in lower case
    client = HttpHubClient(server.url, token)
    try:
        assert hub.authenticate(token).name == "Pantalla sala"
        assert client.queue().services  # the display reads the queue with its new token
    finally:
        assert isinstance(client, HttpHubClient)
        client.close()


def test_cac_device_pair_prints_a_code_the_new_pc_redeems(
        data_dir: DataDir, clock: VirtualClock, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    OfficeHub.initialise(data_dir, "CAJ", "CAC Cajamarca", clock=clock).close()
    assert main(["device", "pair", "--data-dir", str(data_dir.root), "--role", "admin",
                 "--name", "PC del administrador", "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert (made["name"], made["role"], len(made["code"])) == ("PC del administrador",
                                                               "admin", 14)  # ABCD-EFGH-JKLM
    hub = OfficeHub(data_dir, clock)
    try:
        paired = hub.pair(made["code"])
        assert hub.authenticate(paired.token).role == "admin"
    finally:
        hub.close()
    assert main(["device", "pair", "--data-dir", str(data_dir.root), "--role", "kiosk",
                 "--name", "Quiosco"]) == 0
    out = capsys.readouterr().out
    assert "Código para «Quiosco» (kiosk):" in out and "Vale una sola vez" in out
