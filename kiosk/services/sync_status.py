"""What every window shows of the link with central: last success, what waits, what failed.

The sync worker (sync/hub_sync.py) keeps its memory in `sync_state`; the outbox says what
waits. This module only reads them, so the hub can answer without the sync package.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.storage.tables import SyncOutbox, SyncState

SKEW_WARNING_S = 120  # a PC clock this far off central's breaks due dates and statistics
ATTENTION_SHOWN = 100
REFUSED_STATE = "central_refused"  # central refused the office's credential (its message)


class SyncAttentionItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str  # "push": an office change central refused; "pull": a central change not applied
    table: str
    reference: str
    reason: str
    at: str | None = None


class SyncStatusView(BaseModel):
    model_config = ConfigDict(frozen=True)

    configured: bool
    central_url: str | None
    office_name_at_central: str | None
    last_success_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str | None
    pending: int
    rejected: int
    pull_problems: int
    clock_skew_s: float | None
    update_required: str | None
    stale: bool  # no success for longer than the office's alert time
    summary: str  # one Spanish line for a window's status bar
    short: str  # the same, shorter, for a public screen's corner ("" without a central)
    warnings: list[str]


def read_state(session: Session) -> dict[str, dict[str, Any]]:
    return {row.key: row.value for row in session.scalars(select(SyncState))}


def _at(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _ago(now: datetime, then: datetime) -> str:
    minutes = int((now - then).total_seconds() // 60)
    if minutes < 1:
        return "hace un momento"
    if minutes < 60:
        return f"hace {minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"hace {hours} h"
    return f"hace {hours // 24} días"


def _entries(n: int) -> str:
    return "1 cambio" if n == 1 else f"{n} cambios"


def sync_status(session: Session, now: datetime, central_url: str, alert_minutes: int
                ) -> SyncStatusView:
    state = read_state(session)
    counts = {state: n for state, n in session.execute(
        select(SyncOutbox.state, func.count()).group_by(SyncOutbox.state))}
    pending = int(counts.get("pending", 0)) + int(counts.get("inflight", 0))
    rejected = int(counts.get("rejected", 0))
    success = _at(state.get("last_success", {}).get("at"))
    attempt = state.get("last_attempt", {})
    attempt_at = _at(attempt.get("at"))
    error = attempt.get("error") if not attempt.get("ok", True) else None
    skew = state.get("clock_skew", {}).get("seconds")
    skew = float(skew) if isinstance(skew, int | float) else None
    update = state.get("update_required", {}).get("message")
    refused = state.get(REFUSED_STATE, {}).get("message")
    pull_problems = len(state.get("pull_attention", {}).get("items", []))
    # Configured in the office's settings, or synced by hand (`cac sync --once --central`).
    central_url = central_url or str(attempt.get("url") or "")
    configured = bool(central_url)
    stale = configured and (success is None or now - success > timedelta(minutes=alert_minutes))

    warnings: list[str] = []
    if update:
        warnings.append(str(update))
    if refused:
        warnings.append(str(refused))
    if skew is not None and abs(skew) > SKEW_WARNING_S:
        direction = "atrasado" if skew > 0 else "adelantado"
        warnings.append(f"El reloj de esta oficina está {direction} {abs(skew) / 60:.0f} min "
                        "respecto de la central: corríjalo para que plazos y estadísticas "
                        "sean correctos.")
    if rejected:
        warnings.append(f"La central rechazó {_entries(rejected)}: revíselos en la lista de "
                        "atención de sincronización.")
    if pull_problems:
        warnings.append(f"{_entries(pull_problems).capitalize()} de la central no se pudieron "
                        "aplicar en la oficina.")
    if stale:
        since = f"desde {_ago(now, success)}" if success else "nunca"
        warnings.append(f"Sin sincronizar con la central {since}.")

    if not configured:
        summary, short = "Oficina sin servidor central (trabaja sola).", ""
    else:
        waiting = f" · {_entries(pending)} por enviar" if pending else " · todo enviado"
        when = _ago(now, success) if success is not None else None
        summary = (f"Sincronizado {when}" if when else
                   "Aún no se sincronizó con la central") + waiting
        short = (f"Central: {when}" if when else "Central: sin sincronizar") + (
            f" · {pending} por enviar" if pending else "")
        if error:
            summary += " · sin conexión"
    return SyncStatusView(
        configured=configured, central_url=central_url or None,
        office_name_at_central=state.get("central", {}).get("name"),
        last_success_at=success, last_attempt_at=attempt_at, last_error=error,
        pending=pending, rejected=rejected, pull_problems=pull_problems,
        clock_skew_s=skew, update_required=update, stale=bool(stale), summary=summary,
        short=short, warnings=warnings)


def attention(session: Session) -> list[SyncAttentionItem]:
    """The supervisor's list: what central refused, and what central sent that the office
    could not apply. Newest first."""
    items = [SyncAttentionItem(kind="push", table=row.tbl, reference=row.row_key,
                               reason=row.reason or "", at=row.created_at)
             for row in session.scalars(select(SyncOutbox).where(SyncOutbox.state == "rejected")
                                        .order_by(SyncOutbox.seq.desc())
                                        .limit(ATTENTION_SHOWN))]
    for raw in read_state(session).get("pull_attention", {}).get("items", [])[::-1]:
        items.append(SyncAttentionItem(kind="pull", table=str(raw.get("table", "")),
                                       reference=str(raw.get("reference", "")),
                                       reason=str(raw.get("reason", "")),
                                       at=raw.get("at")))
    return items[:ATTENTION_SHOWN * 2]
