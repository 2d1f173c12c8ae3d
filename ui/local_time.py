"""This PC's time zone, for the windows that run away from the hub (in-process, `cac app`
passes the hub's own)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo


def local_timezone() -> tzinfo:
    return datetime.now().astimezone().tzinfo or ZoneInfo("America/Lima")
