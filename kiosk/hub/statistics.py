"""Statistics for the supervisor: the live dashboard, history, the period report and its
exports, the daily aggregates they read, and the retention purge that needs those aggregates.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from kiosk.errors import StorageError
from kiosk.hub.core import HubCore, log
from kiosk.rules.text import checked_text_arguments
from kiosk.services import (
    appeal_reads,
    calendar_days,
    citas,
    daily_stats,
    expediente_stats,
    history,
    itse,
    printjobs,
    ratings,
    report,
    retention,
    stats,
    supervisor,
    sync_status,
    tupa,
)
from kiosk.services.devices import DeviceIdentity
from kiosk.services.supervisor_views import (
    ExpedienteStats,
    PeriodReport,
    SatisfactionStats,
    SupervisorLive,
    TicketHistory,
)
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.services.views import StatsReport

DAILY_STATS_BATCH = 10  # closed days aggregated per write transaction


@checked_text_arguments  # no control characters in any text argument; names cleaned
class StatisticsFacade(HubCore):
    """Figures of a period, from the daily aggregates or from the tickets."""

    # --- reads for the supervisor ---------------------------------------------------------

    def stats(self, device: DeviceIdentity, date_from: date, date_to: date) -> StatsReport:
        self.allow(device, "stats.read")
        with self.store.read_session() as session:
            blocks = self._stat_blocks(session, date_from, date_to)
            if blocks is None:
                return stats.stats_report(session, self.office.office_code, self.office.tz,
                                          date_from, date_to)
            return history.stats_report_of_blocks(self.office.office_code, self.office.tz,
                                                  date_from, date_to, blocks)

    def export_tickets(self, device: DeviceIdentity, date_from: date, date_to: date) -> str:
        self.allow(device, "tickets.export")
        with self.store.read_session() as session:
            return stats.export_csv(session, self.office.tz, date_from, date_to)

    def supervisor_live(self, device: DeviceIdentity) -> SupervisorLive:
        """Queues against their targets, each counter and its clerk, today's figures, alerts."""
        self.allow(device, "stats.read")
        now = self.clock.now()
        today = self.office.business_date(now)
        with self.store.read_session() as session:
            return supervisor.supervisor_live(
                session, office=self.office.office_code, now=now, today=today,
                missed_minutes=self.office.missed_reinstate_minutes,
                idle_alert_minutes=self.config.idle_counter_alert_minutes,
                printer_alerts=printjobs.printer_alerts(session, today, self.office.tz),
                sync=sync_status.sync_status(session, now, self.config.central_url,
                                             self.config.sync_alert_minutes),
                config_warning=self.config_warning, display_alerts=self.displays.alerts(now),
                catalogue_alerts=[
                    *tupa.catalogue_alerts(session, self.office.office_id, today),
                    *itse.itse_alerts(session, self.office.office_id, today,
                                      calendar_days.office_calendar(session, self.office))])

    def ticket_history(self, device: DeviceIdentity, date_from: date, date_to: date
                       ) -> TicketHistory:
        self.allow(device, "stats.read")
        with self.store.read_session() as session:
            blocks = self._stat_blocks(session, date_from, date_to)
            if blocks is None:
                return history.ticket_history(session, self.office.office_code,
                                              self.office.tz, date_from, date_to)
            return history.ticket_history_of_blocks(
                self.office.office_code, self.office.tz, date_from, date_to, blocks,
                history.Names.load(session))

    def expediente_stats(self, device: DeviceIdentity, date_from: date, date_to: date
                         ) -> ExpedienteStats:
        self.allow(device, "stats.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            return self._with_appeals(session, expediente_stats.expediente_stats(
                session, self.office.office_code, self.office.tz, date_from, date_to, today,
                calendar_days.office_calendar(session, self.office)), today)

    def _with_appeals(self, session: Session, stats: ExpedienteStats, today: date
                      ) -> ExpedienteStats:
        """The office's recursos in process, as of today (the hub's own index: central's
        figures go without them)."""
        return stats.model_copy(update={"appeals_open": appeal_reads.open_appeals(
            session, self.office.office_id, today,
            calendar_days.office_calendar(session, self.office))})

    def satisfaction_stats(self, device: DeviceIdentity, date_from: date, date_to: date
                           ) -> SatisfactionStats:
        self.allow(device, "stats.read")
        with self.store.read_session() as session:
            blocks = self._stat_blocks(session, date_from, date_to)
            if blocks is None:
                return ratings.satisfaction_stats(session, self.office.office_code, date_from,
                                                  date_to)
            return ratings.satisfaction_of_blocks(self.office.office_code, date_from, date_to,
                                                  blocks, history.Names.load(session))

    def period_report(self, device: DeviceIdentity, date_from: date, date_to: date
                      ) -> PeriodReport:
        """Tickets, expedientes and satisfaction of a period: what the exports and the
        mayor's PDF are made of."""
        self.allow(device, "stats.read")
        return self._period_report(date_from, date_to)

    def export_report_table(self, device: DeviceIdentity, name: str, date_from: date,
                            date_to: date) -> str:
        """One table of the period report as CSV (report.TABLE_NAMES)."""
        self.allow(device, "reports.export")
        report.check_table_name(name)
        return report.table_csv(report.report_table(self._period_report(date_from, date_to),
                                                    name))

    def _period_report(self, date_from: date, date_to: date) -> PeriodReport:
        now = self.clock.now()
        with self.store.read_session() as session:
            made = report.period_report(
                session, office=self.office.office_code, office_name=self.config.office_name,
                municipality=self.config.municipality, tz=self.office.tz,
                date_from=date_from, date_to=date_to, now=now,
                calendar=calendar_days.office_calendar(session, self.office),
                blocks=self._stat_blocks(session, date_from, date_to))
            # The citas beside the queue's figures (kiosk/services/citas.py); a period without
            # any reads as central's report does (none).
            booked = citas.stats(session, self.office, date_from, date_to, now)
            return made.model_copy(update={
                "expedientes": self._with_appeals(session, made.expedientes,
                                                  self.office.business_date(now)),
                "citas": booked if booked.rows else None})

    # --- the daily aggregates and the retention purge -------------------------------------

    def refresh_daily_stats(self) -> int:
        """Aggregate the closed days not aggregated yet (kiosk/services/daily_stats.py);
        how many. Done before every statistics read that needs it and by the daily job."""
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            if not daily_stats.pending(session, self.office.office_id, today):
                return 0
        built = 0
        while True:  # a few days per transaction: tickets keep being issued meanwhile
            with self.store.write_session() as session:
                batch = daily_stats.refresh(session, self.office.office_id, self.office.tz,
                                            today, self.clock.now(), DAILY_STATS_BATCH)
                session.commit()
            built += batch
            if batch < DAILY_STATS_BATCH:
                return built

    def purge_ticket_data(self, device: DeviceIdentity) -> retention.Purged:
        """Remove the ticket data older than `ticket_retention_days` (kiosk/services/
        retention.py), after aggregating every closed day; an audited event says what went.
        The daily job (kiosk/retention_schedule.py) and `cac datos purgar` call it."""
        self.allow(device, "admin.write")
        self.refresh_daily_stats()

        def work(uow: UnitOfWork) -> retention.Purged:
            found = retention.purge(uow.session, self.office.office_id, uow.today,
                                    self.config.ticket_retention_days)
            if found.through is not None:
                uow.record("office", self.office.office_id, "ticket_data_purged",
                           {"through": found.through.isoformat(), "tickets": found.tickets,
                            "ratings": found.ratings,
                            "expediente_links": found.expediente_links,
                            "retention_days": self.config.ticket_retention_days},
                           self._device_id(device))
            return found

        return self._write(device, "admin.write", work)

    def _stat_blocks(self, session: Session, date_from: date, date_to: date
                     ) -> list[daily_stats.Block] | None:
        """The period's figures by closed day and month, today from its tickets; None when no
        aggregated day is in the period (the caller reads the tickets). After aggregating,
        `session` starts a fresh snapshot that sees the new rows."""
        stats.check_period(date_from, date_to)
        try:
            if self.refresh_daily_stats():
                session.rollback()  # a fresh snapshot, with the rows just written
        except StorageError as exc:  # a full or read-only disk: the figures are still read
            log.warning("no se pudieron guardar las estadísticas diarias: %s", exc)
        newest = daily_stats.newest_day(session, self.office.office_id)
        if newest is None or newest < date_from:
            return None  # only days not aggregated (today): read from the tickets, as ever
        return daily_stats.blocks(session, self.office.office_id, self.office.tz, date_from,
                                  date_to)
