"""Clerks' PIN hashes (and their failed logins and locks) never leave the office: not in a push,
not in a USB bundle, not in central's store or feed. A clerk central adds reaches the office
without a PIN, and the office's admin gives the first one there."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from kiosk.cli import main
from kiosk.errors import Unauthorized
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.services.expediente_views import LoginInput
from kiosk.storage.tables import SyncOutbox, User
from sync.bundle import export_office_bundle
from sync.central.schema import REPLICAS, changes
from sync.central.server import CentralServer
from sync.client import CentralClient
from tests.conftest import RunningHub
from tests.sync.conftest import connect_sync

PRIVATE = ("secret_hash", "failed_attempts", "locked_until")


def _secrets_in(document: Any) -> list[str]:
    """Every private column name or scrypt hash anywhere in a JSON document."""
    found: list[str] = []
    if isinstance(document, dict):
        found += [k for k in document if k in PRIVATE]
        for value in document.values():
            found += _secrets_in(value)
    elif isinstance(document, list):
        for value in document:
            found += _secrets_in(value)
    elif isinstance(document, str) and document.startswith("scrypt$"):
        found.append(document[:20])
    return found


def _old_trigger_entry(office: OfficeHub) -> None:
    """An outbox entry as the capture triggers wrote it before this change (every column)."""
    with office.store.write_session() as session:
        session.execute(text(
            "INSERT INTO sync_outbox (mutation_id, tbl, row_key, op, payload) "
            "SELECT lower(hex(randomblob(16))), 'users', id, 'upsert', json_object('id', id, "
            "'office_id', office_id, 'username', username, 'full_name', full_name, 'role', role,"
            " 'secret_hash', secret_hash, 'must_change', must_change, 'failed_attempts', "
            "failed_attempts, 'locked_until', locked_until, 'active', active, 'created_at', "
            "created_at, 'updated_at', updated_at) FROM users WHERE username = 'ana'"))
        session.commit()


def _user_entries(office: OfficeHub) -> int:
    with office.store.read_session() as session:
        return int(session.scalar(select(func.count()).select_from(SyncOutbox).where(
            SyncOutbox.tbl == "users")) or 0)


def test_no_secret_travels_in_a_push_nor_rests_at_central(
        central: CentralServer, central_http: RunningHub, make_office,
        monkeypatch: pytest.MonkeyPatch) -> None:
    office = make_office()
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    _old_trigger_entry(office)
    assert _user_entries(office) > 1  # the demo clerks, and the old-style entry
    sent: list[bytes] = []
    push = CentralClient.push

    def recording(self: CentralClient, packed: bytes) -> dict[str, Any]:
        sent.append(packed)
        return push(self, packed)

    monkeypatch.setattr(CentralClient, "push", recording)
    report = connect_sync(office, central_http.url, token).run_round()
    assert report.ok and report.rejected == 0, report.error
    bodies = [json.loads(gzip.decompress(body)) for body in sent]
    users = [e for b in bodies for e in b["entries"] if e["t"] == "users"]
    assert {e["p"]["username"] for e in users} >= {"ana", "admin"}
    assert _secrets_in(bodies) == []
    replica = REPLICAS["users"]
    with central.engine.connect() as connection:
        rows = connection.execute(select(replica)).mappings().all()
    assert {r["username"] for r in rows} >= {"ana", "luis", "rosa", "admin"}
    assert all(r[c] is None for r in rows for c in PRIVATE)


def test_no_secret_travels_in_a_usb_bundle(
        central: CentralServer, make_office, tmp_path: Path) -> None:
    office = make_office()
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    _old_trigger_entry(office)
    bundle = tmp_path / "caj.cacsync"
    export_office_bundle(office, bundle, token)
    document = json.loads(gzip.decompress(bundle.read_bytes()))
    entries = document["bundle"]["entries"]
    assert {e["p"]["username"] for e in entries if e["t"] == "users"} >= {"ana", "admin"}
    assert _secrets_in(document) == []
    central.import_bundle(bundle, tmp_path / "reply.cacsync")
    reply = json.loads(gzip.decompress((tmp_path / "reply.cacsync").read_bytes()))
    assert _secrets_in(reply) == []


def test_a_clerk_added_centrally_gets_a_first_pin_from_the_office_admin(
        central: CentralServer, central_http: RunningHub, make_office,
        database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    office = make_office()
    token = central.add_office("CAJ", "CAC Cajamarca")[1]
    assert main(["central", "user", "add", "--database-url", database_url, "--office", "CAJ",
                 "--username", "mario.rojas", "--name", "Mario Rojas Vílchez"]) == 0
    said = capsys.readouterr().out
    assert "sin PIN" in said and "Nuevo PIN inicial" in said
    assert main(["central", "user", "add", "--database-url", database_url, "--office", "CAJ",
                 "--username", "otra.persona", "--name", "Otra Persona", "--pin-stdin"]) == 2
    assert "PIN inicial" in capsys.readouterr().err  # central sets no PIN any more
    with central.engine.connect() as connection:
        feed = [r.payload for r in connection.execute(select(changes.c.payload).where(
            changes.c.tbl == "users"))]
        stored = connection.execute(select(REPLICAS["users"]).where(
            REPLICAS["users"].c.username == "mario.rojas")).mappings().one()
    assert feed and _secrets_in(feed) == []
    assert all(stored[c] is None for c in PRIVATE)
    client = CentralClient(central_http.url, token, office="CAJ")
    try:
        assert _secrets_in(client.pull(0)) == []
    finally:
        client.close()

    report = connect_sync(office, central_http.url, token).run_round()
    assert report.ok, report.error
    assert office.sync_attention(SYSTEM) == []
    with office.store.read_session() as session:
        user = session.scalars(select(User).where(User.username == "mario.rojas")).one()
        assert user.full_name == "Mario Rojas Vílchez" and user.must_change
    _, device_token = office.add_device(SYSTEM, "Ventanilla 4", "counter")
    device = office.authenticate(device_token)
    for guess in ("123456", "246810"):  # nobody can log in as this clerk yet
        with pytest.raises(Unauthorized):
            office.login(device, LoginInput(username="mario.rojas", secret=guess, counter=4))
    created = office.reset_user_secret(SYSTEM, "mario.rojas")  # the admin window's button
    assert office.login(device, LoginInput(username="mario.rojas",
                                           secret=created.initial_secret, counter=4)).token
    with office.store.read_session() as session:  # the new PIN stays at the office
        waiting = [json.loads(p) for p in session.scalars(select(SyncOutbox.payload))]
    assert any(p.get("username") == "mario.rojas" for p in waiting)
    assert _secrets_in(waiting) == []
