"""What a client's caller reads besides `HubClient` and the view modules: the answers and
constants that are still defined beside the service that makes them, and the report's tables
drawn from a `PeriodReport` (pure functions of the view).

The windows (`ui`) reach the core only through the client, the views and `kiosk.rules`
(pyproject's import contract); they import these from here, never from `kiosk.services`.
Each name loads its module when first asked for: the TV's display, which needs two of them,
does not load the report or the queue engine. (Not inside `kiosk.client`: that package's
`__init__` loads the in-process client, hence the whole hub.)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.services.access_log import AccessEntry as AccessEntry
    from kiosk.services.display_health import REPORT_EVERY as REPORT_EVERY
    from kiosk.services.display_health import DisplayHealthReport as DisplayHealthReport
    from kiosk.services.queue import UNSTAFFED_REASON as UNSTAFFED_REASON
    from kiosk.services.report import minutes as minutes
    from kiosk.services.report import report_table as report_table
    from kiosk.services.report import table_csv as table_csv
    from kiosk.services.sync_status import SyncAttentionItem as SyncAttentionItem
    from kiosk.services.sync_status import SyncStatusView as SyncStatusView

_HOMES = {
    "AccessEntry": "kiosk.services.access_log",
    "REPORT_EVERY": "kiosk.services.display_health",
    "DisplayHealthReport": "kiosk.services.display_health",
    "UNSTAFFED_REASON": "kiosk.services.queue",
    "minutes": "kiosk.services.report",
    "report_table": "kiosk.services.report",
    "table_csv": "kiosk.services.report",
    "SyncAttentionItem": "kiosk.services.sync_status",
    "SyncStatusView": "kiosk.services.sync_status",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
