"""Who did an administrative change, and its audited event.

Every administrative change is one event on the office's hash chain that says what changed and
who changed it (the admin user logged in on the admin device). Never a secret: no PIN, token,
pairing code or central credential ever goes into `data`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.services.unit_of_work import UnitOfWork
from kiosk.settings import SECRET_SETTINGS
from kiosk.storage.tables import Event

# Keys that must never appear in an administrative event (checked by the tests as well).
SECRET_KEYS = frozenset({"secret", "pin", "initial_secret", "token", "pairing_code",
                         "secret_hash", "code_hash", "token_hash", *SECRET_SETTINGS})


@dataclass(frozen=True)
class AdminActor:
    """The admin acting: the device (None for the hub itself) and the logged-in user."""

    device_id: str | None
    device_name: str
    user_id: str | None = None
    username: str | None = None


def record(uow: UnitOfWork, actor: AdminActor, stream: str, stream_id: str, kind: str,
           data: dict[str, Any]) -> Event:
    leaked = SECRET_KEYS & set(data)
    if leaked:  # a programming error, never a user's: fail loudly rather than store it
        raise ValueError(f"secret fields in an audited event: {sorted(leaked)}")
    who = {"who_id": actor.user_id, "who": actor.username or actor.device_name}
    return uow.record(stream, stream_id, kind, {**data, **who}, actor.device_id)

