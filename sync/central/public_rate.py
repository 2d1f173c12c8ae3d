"""The public page's rate limit, one count for every central process.

Citizens' lookups are counted per client address (the connection's, or the one a trusted
proxy names: `cac central --trusted-proxy`) in the database all the processes share, so that
a load balancer spreading one client over several processes gives it no more lookups. A
sliding window over two fixed minutes, as the `limits` library's sliding-window counter
does: this minute's lookups plus the previous minute's, weighted by how much of it is still
within the last sixty seconds. One statement per lookup; refused lookups count too, so a
client that keeps guessing stays refused.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, bindparam, case, delete
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.clock import Clock
from sync.central.db import AloneStatements
from sync.central.schema import rate_limits

DEFAULT_PER_MINUTE = 30  # plenty for a person, useless for guessing 65-bit codes


class PublicRate:
    def __init__(self, statements: AloneStatements, per_minute: int, clock: Clock) -> None:
        self.statements = statements
        self.per_minute = per_minute
        self.clock = clock
        insert = (postgresql.insert if statements.engine.dialect.name == "postgresql"
                  else sqlite.insert)(rate_limits)
        row, new = rate_limits.c, insert.excluded
        # Built once, its values bound at each lookup (a statement made anew each time cost
        # more CPU than running it).
        values = insert.values(client=bindparam("client"), minute=bindparam("minute"), hits=1,
                               previous=0)
        self._hit = values.on_conflict_do_update(index_elements=["client"], set_={
            "previous": case((row.minute == new.minute, row.previous),
                             (row.minute == new.minute - 1, row.hits), else_=0),
            "hits": case((row.minute == new.minute, row.hits + 1), else_=1),
            "minute": new.minute,
        }).returning(rate_limits.c.hits, rate_limits.c.previous)

    def allow(self, client: str) -> bool:
        """Count one lookup of `client`; whether it is within the limit."""
        minute, into = self._now()
        (counted,) = self.statements.rows(self._hit, {"client": client[:64], "minute": minute})
        return self._within(counted, into)

    async def allow_async(self, client: str) -> bool:
        """`allow` for a route of the event loop."""
        minute, into = self._now()
        (counted,) = await self.statements.rows_async(
            self._hit, {"client": client[:64], "minute": minute})
        return self._within(counted, into)

    def _now(self) -> tuple[int, float]:
        """This minute, and the seconds into it."""
        minute, into = divmod(self.clock.now().timestamp(), 60)
        return int(minute), into

    def _within(self, counted: Any, into: float) -> bool:
        hits, previous = int(counted[0]), int(counted[1])
        return bool(previous * (1 - into / 60) + hits <= self.per_minute)



def forget_idle(engine: Engine, clock: Clock) -> int:
    """Forget the clients not seen in the last two minutes (central's maintenance)."""
    minute = int(clock.now().timestamp() // 60)
    with engine.begin() as connection:
        result = connection.execute(delete(rate_limits).where(rate_limits.c.minute < minute - 1))
    return int(result.rowcount or 0)
