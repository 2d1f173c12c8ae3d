"""The heap of a process that serves for hours (`cac hub`, `cac app`, `cac central`).

What start-up builds — modules, SQLAlchemy's mappers and compiled statements, FastAPI's routes
and pydantic's validators, Qt's wrappers — lives as long as the process. Python's collector
walks all of it on every full pass, several a minute in the hub under load, during which no
request moves: those pauses were its p99 (bench/README.md, hub_load.py). Collected once and
frozen after start-up, it is left out of those passes; what the process makes later is
collected as before.
"""

from __future__ import annotations

import gc


def settle_heap() -> int:
    """Collect what start-up left over and freeze the rest; how many objects were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
