"""An existing central database (revision 0002) upgraded to this version: mutation ids scoped to
their office, clerks' secrets forgotten everywhere central kept them, and each tracking code
left with one office (the one that filed it first)."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kiosk.clock import VirtualClock
from kiosk.rules.expedientes import new_tracking_code
from sync.central.schema import REPLICAS, applied, changes, office_links, offices, rejections
from sync.central.server import CentralServer
from tests.sync.conftest import central_at

HASH = "scrypt$16384$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo"
PRIVATE = ("secret_hash", "failed_attempts", "locked_until")


def test_an_existing_central_database_is_upgraded(database_url: str,
                                                  clock: VirtualClock) -> None:
    now = clock.now()
    code, other = new_tracking_code(), new_tracking_code()
    engine = central_at(database_url, "0002")  # a central of the previous version
    users, exp = REPLICAS["users"], REPLICAS["expedientes"]
    user = {"id": "u1", "office_id": "A", "username": "ana", "full_name": "Ana Torres",
            "role": "counter", "must_change": False, "active": True, "created_at": now,
            "updated_at": now}
    with engine.begin() as connection:
        for office_id, office_code in (("A", "CAJ"), ("B", "CEL")):
            connection.execute(offices.insert().values(id=office_id, code=office_code,
                                                       name=f"CAC {office_code}",
                                                       created_at=now))
            connection.execute(office_links.insert().values(office_id=office_id, last_seq=0))
        connection.execute(users.insert().values(**user, secret_hash=HASH, failed_attempts=3,
                                                 locked_until=now, _sync_seq=4))
        connection.execute(changes.insert().values(
            office_id="A", tbl="users", op="upsert", created_at=now,
            payload={"id": "u1", "username": "ana", "secret_hash": HASH,
                     "failed_attempts": 0, "locked_until": None}))
        connection.execute(rejections.insert().values(
            mutation_id="r" * 32, office_id="A", tbl="users", row_key="u1", reason="x", at=now,
            payload=json.dumps({"id": "u1", "secret_hash": HASH})))
        connection.execute(applied.insert().values(mutation_id="m" * 32, office_id="A", seq=1,
                                                   applied_at=now))
        for exp_id, office_id, tracking, filed in (
                ("e1", "A", code, now), ("e2", "B", code, now + timedelta(hours=1)),
                ("e3", "B", other, now)):
            connection.execute(exp.insert().values(
                id=exp_id, office_id=office_id, number=f"{exp_id.upper()}-2026-000001",
                tracking_code=tracking, status="recibido", category="partida", filed_at=filed,
                due_date=filed.date() + timedelta(days=3), _sync_seq=1))
    engine.dispose()

    server = CentralServer(database_url, clock)  # opening it upgrades it
    try:
        with server.engine.begin() as connection:
            stored = connection.execute(select(users)).mappings().one()
            assert stored["username"] == "ana" and all(stored[c] is None for c in PRIVATE)
            feed = connection.execute(select(changes.c.payload)).scalar_one()
            assert feed == {"id": "u1", "username": "ana"}
            refused = json.loads(connection.execute(select(rejections.c.payload)).scalar_one())
            assert refused == {"id": "u1"}
            # The same mutation id from another office is another change.
            connection.execute(applied.insert().values(mutation_id="m" * 32, office_id="B",
                                                       seq=1, applied_at=now))
            codes = dict(connection.execute(select(exp.c.id, exp.c.tracking_code)).all())
            assert codes == {"e1": code, "e2": None, "e3": other}
        with pytest.raises(IntegrityError), server.engine.begin() as connection:
            connection.execute(exp.insert().values(id="e4", office_id="B", tracking_code=code))
        status = asyncio.run(server.public_status(code))
        assert status is not None and status["number"] == "E1-2026-000001"
    finally:
        server.close()
