"""The trigger that keeps `audit_head` (the chain's last link and the number of events).

Installed by migration 0009 and again after every migration (a batch migration that rebuilds
the events table drops its triggers).
"""

from __future__ import annotations

from sqlalchemy import Connection

TRIGGER = "audit_head_ai"


def install_audit_trigger(connection: Connection) -> None:
    connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {TRIGGER}")
    connection.exec_driver_sql(
        f"CREATE TRIGGER {TRIGGER} AFTER INSERT ON events BEGIN "
        "UPDATE audit_head SET last_seq = NEW.seq, last_hash = NEW.hash, "
        "events = events + 1 WHERE id = 1; END")
