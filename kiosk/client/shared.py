"""What a client's caller reads besides `HubClient` and the view modules: the answers and
constants that are still defined beside the service that makes them, and the report's tables
drawn from a `PeriodReport` (pure functions of the view).

The windows (`ui`) reach the core only through the client, the views and `kiosk.rules`
(pyproject's import contract); they import these from here, never from `kiosk.services`.
"""

from kiosk.services.access_log import AccessEntry
from kiosk.services.display_health import REPORT_EVERY, DisplayHealthReport
from kiosk.services.queue import UNSTAFFED_REASON
from kiosk.services.report import minutes, report_table, table_csv
from kiosk.services.sync_status import SyncAttentionItem, SyncStatusView

__all__ = [
    "REPORT_EVERY",
    "UNSTAFFED_REASON",
    "AccessEntry",
    "DisplayHealthReport",
    "SyncAttentionItem",
    "SyncStatusView",
    "minutes",
    "report_table",
    "table_csv",
]
