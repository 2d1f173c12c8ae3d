"""The hash chain over events: each event's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def event_hash(
    prev_hash: str,
    *,
    event_id: str,
    office_id: str,
    stream: str,
    stream_id: str,
    kind: str,
    occurred_at: datetime,
    hlc: str,
    device_id: str | None,
    data: dict[str, Any],
) -> str:
    body = json.dumps(
        [
            event_id,
            office_id,
            stream,
            stream_id,
            kind,
            occurred_at.isoformat(),
            hlc,
            device_id,
            data,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()
