"""Retention of ticket data (Ley 29733, `ticket_retention_days`): old tickets, their ratings
and their links to expedientes leave the hub's store, the supervisor's history of those days
stays the same, the audit chain stays whole, and central keeps its archive copy."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from kiosk.cli import main
from kiosk.clock import VirtualClock
from kiosk.config import DataDir
from kiosk.errors import ConfigError, Forbidden
from kiosk.hub import SYSTEM, OfficeHub
from kiosk.retention_schedule import RetentionJob
from kiosk.rules.permissions import Role
from kiosk.services.devices import DeviceIdentity
from kiosk.storage.tables import (
    DailyTicketStats,
    Event,
    ExpedienteTicket,
    Rating,
    Service,
    SyncOutbox,
    Ticket,
)
from tests.conftest import LIMA
from tests.integration.ticket_days import (  # noqa: F401
    CLOSED_DAYS,
    LINKED_DAY,
    NOW,
    PERIODS,
    TODAY,
    hub_figures,
    office_fixture,
    template_fixture,
)


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(NOW)


def keep_days(hub: OfficeHub, days: int) -> None:
    hub.config = replace(hub.config, ticket_retention_days=days)


def counts(hub: OfficeHub, through: date) -> dict[str, int]:
    """Rows of ticket data of the business days up to `through`."""
    with hub.store.read_session() as session:
        old = select(Ticket.id).where(Ticket.business_date <= through)
        return {
            "tickets": session.scalar(select(func.count()).select_from(Ticket).where(
                Ticket.business_date <= through)) or 0,
            "ratings": session.scalar(select(func.count()).select_from(Rating).where(
                Rating.business_date <= through)) or 0,
            "links": session.scalar(select(func.count()).select_from(ExpedienteTicket).where(
                ExpedienteTicket.ticket_id.in_(old))) or 0,
        }


def test_the_purge_removes_old_ticket_data_and_the_history_stays_the_same(
        office: OfficeHub) -> None:
    figures = {period: hub_figures(office, *period) for period in PERIODS}
    through = LINKED_DAY  # 4 Nov, 4 days kept: 30 Oct is the last day removed
    before = counts(office, through)
    assert before["tickets"] > 100 and before["ratings"] >= 6 and before["links"] == 1
    keep_days(office, 4)
    purged = office.purge_ticket_data(SYSTEM)
    assert (purged.through, purged.tickets, purged.ratings, purged.expediente_links) == (
        through, before["tickets"], before["ratings"], before["links"])
    assert counts(office, through) == {"tickets": 0, "ratings": 0, "links": 0}
    assert counts(office, date(2026, 11, 2))["tickets"] > 0  # the days kept are still there
    assert {period: hub_figures(office, *period) for period in PERIODS} == figures
    assert "Se eliminaron los datos de turnos hasta el 30/10/2026" in purged.message()


def test_the_audit_chain_still_verifies_and_the_purge_is_an_event(office: OfficeHub) -> None:
    keep_days(office, 4)
    with office.store.read_session() as session:
        events = session.scalar(select(func.count()).select_from(Event)) or 0
    office.purge_ticket_data(SYSTEM)
    report = office.verify_audit(SYSTEM)
    assert report.ok and report.checked == events + 1
    with office.store.read_session() as session:
        kind, data = session.execute(select(Event.kind, Event.data)
                                     .order_by(Event.seq.desc()).limit(1)).one()
        ticket_events = session.scalar(select(func.count()).select_from(Event).where(
            Event.stream == "ticket")) or 0
    assert kind == "ticket_data_purged" and data["through"] == "2026-10-30"
    assert ticket_events > 0  # the trail of the removed tickets is kept (no names in it)


def test_the_purge_does_not_replicate_and_pending_changes_still_reach_central(
        office: OfficeHub) -> None:
    """Central is the municipality's archive: no deletes go to it, and what the office had
    not pushed yet (this office never synced) is still in the outbox with its data."""
    with office.store.read_session() as session:
        pending = session.scalar(select(func.count()).select_from(SyncOutbox).where(
            SyncOutbox.tbl.in_(("tickets", "ratings", "expediente_tickets")))) or 0
    keep_days(office, 4)
    assert office.purge_ticket_data(SYSTEM).tickets > 0
    with office.store.read_session() as session:
        after = session.execute(select(SyncOutbox.tbl, SyncOutbox.op, SyncOutbox.payload)
                                .where(SyncOutbox.tbl != "events")).all()
        applying = session.scalar(select(func.max(SyncOutbox.seq)))
    assert not [row for row in after if row.op == "delete"]
    assert sum(row.tbl in ("tickets", "ratings", "expediente_tickets") for row in after) == (
        pending)
    purged_day = [json.loads(row.payload) for row in after if row.tbl == "tickets"
                  and json.loads(row.payload)["business_date"] == "2026-10-29"]
    assert purged_day and applying is not None
    # The capture is back on: the next ticket is in the outbox.
    issued = office.issue_ticket(SYSTEM, "partidas")
    with office.store.read_session() as session:
        assert session.scalar(select(func.count()).select_from(SyncOutbox).where(
            SyncOutbox.tbl == "tickets", SyncOutbox.row_key == issued.id)) == 1


def test_a_day_not_in_the_daily_statistics_is_never_removed(office: OfficeHub,
                                                            clock: VirtualClock) -> None:
    """The hub was off from 4 Nov (tickets still open) to 20 Nov: the purge, keeping one day,
    first aggregates what it can; 4 Nov, closed only by that same run, waits for the next."""
    clock.set(datetime.combine(date(2026, 11, 20), time(8, 0), tzinfo=LIMA))
    keep_days(office, 1)
    first = office.purge_ticket_data(SYSTEM)
    assert first.through == CLOSED_DAYS[-1]
    assert counts(office, TODAY)["tickets"] > 0
    history = office.ticket_history(SYSTEM, TODAY, TODAY)
    second = office.purge_ticket_data(SYSTEM)
    assert second.through == TODAY and second.tickets > 0
    assert counts(office, TODAY)["tickets"] == 0
    assert office.ticket_history(SYSTEM, TODAY, TODAY) == history


def test_retention_zero_keeps_everything(office: OfficeHub, clock: VirtualClock) -> None:
    clock.set(datetime.combine(date(2027, 12, 1), time(8, 0), tzinfo=LIMA))
    before = counts(office, TODAY)
    purged = office.purge_ticket_data(SYSTEM)
    assert purged.through is None and counts(office, TODAY) == before
    assert "No hay datos de turnos" in purged.message()


def test_purged_days_keep_their_figures_even_if_a_target_changes(office: OfficeHub) -> None:
    """Their rows are frozen: with no tickets left they are the only record."""
    october = (date(2026, 10, 1), date(2026, 10, 31))
    figures = hub_figures(office, *october)
    keep_days(office, 4)
    office.purge_ticket_data(SYSTEM)
    with office.store.write_session() as session:
        session.execute(update(Service).values(sla_minutes=1))
        session.commit()
    assert hub_figures(office, *october) == figures
    with office.store.read_session() as session:
        frozen = set(session.scalars(select(DailyTicketStats.start).where(
            DailyTicketStats.frozen.is_(True))))
    assert frozen == {date(2026, 10, 1), *CLOSED_DAYS[:2]}


def test_only_the_admin_purges(office: OfficeHub) -> None:
    supervisor = DeviceIdentity(id="sup-1", name="PC supervisor", role=Role.SUPERVISOR)
    keep_days(office, 4)
    with pytest.raises(Forbidden):
        office.purge_ticket_data(supervisor)
    assert counts(office, LINKED_DAY)["tickets"] > 0


def test_the_daily_job_runs_once_a_day(office: OfficeHub, clock: VirtualClock) -> None:
    keep_days(office, 4)
    job = RetentionJob(office)  # not started: run by hand, no waiting
    done = job.run_once()
    assert done is not None and done.through == LINKED_DAY
    assert job.run_once() is None  # the same day: nothing more
    clock.advance(timedelta(days=4))  # Sun 8 Nov: 2 and 3 Nov are older than four days
    again = job.run_once()
    assert again is not None and again.through == date(2026, 11, 3)
    assert counts(office, date(2026, 11, 3))["tickets"] == 0
    assert counts(office, TODAY)["tickets"] > 0


def test_the_setting_is_checked_with_a_spanish_message(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path)
    data_dir.config_file.write_text(
        'office_code = "CAJ"\noffice_name = "x"\nticket_retention_days = -3\n',
        encoding="utf-8")
    with pytest.raises(ConfigError, match="«ticket_retention_days» debe ser 0"):
        data_dir.load_config()
    data_dir.config_file.write_text(
        'office_code = "CAJ"\noffice_name = "x"\nticket_retention_days = 365\n',
        encoding="utf-8")
    assert data_dir.load_config().ticket_retention_days == 365


def test_cac_retention_applies_the_setting(office: OfficeHub,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = office.data_dir.root
    office.data_dir.save_config(replace(office.config, ticket_retention_days=4))
    office.close()
    # The command runs on the real clock, weeks after these days: the four closed days go;
    # 4 Nov is closed by that run itself, so it goes on the next one.
    assert main(["retention", "--data-dir", str(root)]) == 0
    out = capsys.readouterr().out
    assert "Plazo de conservación de los turnos: 4 días." in out
    assert "Se eliminaron los datos de turnos hasta el 03/11/2026" in out
    assert main(["retention", "--data-dir", str(root), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["retention_days"] == 4 and found["through"] == "2026-11-04"
