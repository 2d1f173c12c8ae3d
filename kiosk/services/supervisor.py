"""The supervisor's live dashboard: queues against their targets, what each counter is doing
and who is at it, the day's figures so far, and the alerts.

One call, polled every few seconds: each query reads only today's and the open rows (the
waiting tickets, the counters, the open sessions, today's tickets by the business-date index),
so it costs the same after a year of tickets as on the first day (bench/stats_year.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.rules.queue import CounterState, TicketStatus
from kiosk.services.queries import queue_snapshot
from kiosk.services.stats import metrics, ticket_facts
from kiosk.services.supervisor_views import (
    LiveAlert,
    LiveCounter,
    LiveService,
    SupervisorLive,
)
from kiosk.services.sync_status import SyncStatusView
from kiosk.services.users import SESSION_HOURS
from kiosk.services.views import AlertView, CounterView
from kiosk.storage.tables import Counter, Service, Ticket, User, UserSession

SEVERITY_ORDER = {"critical": 0, "warning": 1}
KIND_ORDER = {"config": 0, "printer": 1, "no_counter": 2, "sla": 3, "idle_counter": 4,
              "voice": 5, "sync": 6}


def _minutes(seconds: float) -> int:
    return int(seconds // 60)


def _people(n: int) -> str:
    return "1 persona" if n == 1 else f"{n} personas"


def _no_counter_alert(service: str, name: str, waiting: int, paused: list[str]) -> LiveAlert:
    """People wait for a service no open counter serves: said at once, not when the target
    passes (the kiosk tells them too). Only a pause (someone will be back) makes it a warning."""
    verb = "espera" if waiting == 1 else "esperan"
    on_break = ""
    if paused:
        names = " y ".join([", ".join(paused[:-1]), paused[-1]] if len(paused) > 1 else paused)
        on_break = f" {names} {'está' if len(paused) == 1 else 'están'} en pausa."
    return LiveAlert(kind="no_counter", service=service,
                     severity="warning" if paused else "critical",
                     message=f"{name}: {_people(waiting)} {verb} y ninguna ventanilla abierta "
                             f"atiende este servicio.{on_break}")


def clerks_at_counters(session: Session, now: datetime) -> dict[int, tuple[str, str]]:
    """counter number -> (username, full name) of the clerk with an open session there."""
    since = now - timedelta(hours=SESSION_HOURS)
    rows = session.execute(
        select(UserSession.counter_number, User.username, User.full_name)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.ended_at.is_(None), UserSession.started_at > since,
               UserSession.counter_number.is_not(None))
        .order_by(UserSession.started_at))
    return {number: (username, name) for number, username, name in rows
            if number is not None}


def _activity(view: CounterView, ticket: Ticket | None, counter: Counter
              ) -> tuple[str, str, datetime | None]:
    if view.state == CounterState.CLOSED:
        return "closed", "Cerrada", counter.updated_at
    if view.state == CounterState.PAUSED:
        reason = f": {view.pause_reason}" if view.pause_reason else ""
        return "paused", f"En pausa{reason}", counter.updated_at
    if ticket is None:
        return "idle", "Libre", counter.updated_at
    if ticket.status == TicketStatus.SERVING:
        return "serving", f"Atendiendo {ticket.number}", ticket.started_at
    return "called", f"Llamando a {ticket.number}", ticket.last_called_at


def supervisor_live(session: Session, *, office: str, now: datetime, today: date,
                    missed_minutes: int, idle_alert_minutes: int,
                    printer_alerts: list[AlertView], sync: SyncStatusView,
                    config_warning: str | None = None,
                    display_alerts: Sequence[AlertView] = (),
                    catalogue_alerts: Sequence[tuple[str, str]] = ()) -> SupervisorLive:
    snapshot = queue_snapshot(session, now, today, missed_minutes)
    counters = {c.number: c for c in session.scalars(select(Counter))}
    current_ids = [c.current_ticket_id for c in snapshot.counters if c.current_ticket_id]
    current = {t.id: t for t in session.scalars(select(Ticket).where(Ticket.id.in_(current_ids)))}
    codes = {key: value for key, value in session.execute(select(Service.id, Service.code))}
    clerks = clerks_at_counters(session, now)
    waiting_by_service = {s.service: s.waiting for s in snapshot.services}

    open_for: dict[str, int] = {}
    paused_for: dict[str, list[str]] = {}
    for view in snapshot.counters:
        for code in view.services:
            if view.state == CounterState.OPEN:
                open_for[code] = open_for.get(code, 0) + 1
            elif view.state == CounterState.PAUSED:
                paused_for.setdefault(code, []).append(view.name)

    alerts: list[LiveAlert] = []
    services = []
    for row in snapshot.services:
        longest = row.longest_wait_s
        over = longest is not None and longest > row.sla_minutes * 60
        head = max(row.tickets, key=lambda t: t.waiting_s).number if row.tickets else None
        services.append(LiveService(
            service=row.service, name=row.name, prefix=row.prefix,
            sla_minutes=row.sla_minutes, waiting=row.waiting,
            preferential_waiting=row.preferential_waiting, longest_wait_s=longest,
            longest_ticket=head, over_sla=over, counters_open=open_for.get(row.service, 0)))
        if row.waiting and not open_for.get(row.service):
            alerts.append(_no_counter_alert(row.service, row.name, row.waiting,
                                            paused_for.get(row.service, [])))
        if over and longest is not None:
            alerts.append(LiveAlert(
                kind="sla", service=row.service,
                severity="critical" if longest > 2 * row.sla_minutes * 60 else "warning",
                message=f"{row.name}: el turno {head} espera {_minutes(longest)} min "
                        f"(objetivo {row.sla_minutes} min)."))

    live_counters = []
    for view in snapshot.counters:
        counter = counters[view.number]
        ticket = current.get(view.current_ticket_id or "")
        activity, text, since = _activity(view, ticket, counter)
        clerk = clerks.get(view.number)
        live_counters.append(LiveCounter(
            number=view.number, name=view.name, state=view.state, activity=activity,
            activity_text=text, pause_reason=view.pause_reason,
            ticket=ticket.number if ticket else None, ticket_id=ticket.id if ticket else None,
            ticket_service=codes.get(ticket.service_id) if ticket else None, since=since,
            clerk=clerk[1] if clerk else None, username=clerk[0] if clerk else None,
            services=view.services))
        waiting = sum(waiting_by_service.get(code, 0) for code in view.services)
        idle_s = (now - since).total_seconds() if since else 0.0
        if activity == "idle" and waiting and idle_s >= idle_alert_minutes * 60:
            alerts.append(LiveAlert(
                kind="idle_counter", severity="warning", counter=view.number,
                message=f"{view.name} está libre hace {_minutes(idle_s)} min y hay "
                        f"{_people(waiting)} esperando en sus servicios."))

    alerts += [LiveAlert(kind="printer", severity="critical", message=a.message)
               for a in printer_alerts]
    alerts += [LiveAlert(kind="voice", severity="warning", message=a.message)
               for a in display_alerts]
    # The catalogue's (UIT not loaded, rows against the law) are «config»: a new kind would
    # break the supervisor windows already installed (LiveAlert.kind is a closed list).
    alerts += [LiveAlert(kind="config", severity="critical" if severity == "critical"
                         else "warning", message=message)
               for severity, message in catalogue_alerts]
    if config_warning:
        alerts.append(LiveAlert(kind="config", severity="critical", message=config_warning))
    if sync.configured:
        alerts += [LiveAlert(kind="sync", severity="warning", message=w) for w in sync.warnings]
    alerts.sort(key=lambda a: (SEVERITY_ORDER[a.severity], KIND_ORDER[a.kind]))

    return SupervisorLive(
        office=office, at=now, business_date=today,
        waiting=sum(s.waiting for s in services), services=services, counters=live_counters,
        alerts=alerts, today=metrics(ticket_facts(session, today, today, ordered=False)),
        sync_summary=sync.summary)
