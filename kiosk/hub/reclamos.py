"""The Libro de Reclamaciones and the suggestions box: the kiosk (alone) or a clerk files a
reclamo, the supervisor reads the book, answers and exports it; the kiosk takes anonymous
suggestions that the satisfaction tab counts (kiosk/services/reclamos.py)."""

from __future__ import annotations

from datetime import date

from kiosk.hub.core import SYSTEM, HubCore
from kiosk.rules.permissions import Role
from kiosk.rules.reclamos import Channel
from kiosk.rules.text import checked_text_arguments
from kiosk.services import access_log, calendar_days, reclamos
from kiosk.services.devices import DeviceIdentity
from kiosk.services.reclamo_views import (
    ReclamoAnswer,
    ReclamoBook,
    ReclamoDraft,
    ReclamoDraftInput,
    ReclamoInput,
    ReclamoView,
    SuggestionInput,
    SuggestionReceived,
    SuggestionStats,
)


@checked_text_arguments  # no control characters in any text argument; names cleaned
class ReclamosFacade(HubCore):
    """Filing like issuing a ticket (the kiosk alone may), the rest for a supervisor."""

    def file_reclamo(self, device: DeviceIdentity, reclamo: ReclamoInput) -> ReclamoView:
        """The kiosk files the citizen's own hoja; a clerk files one at the counter. Either
        gets back only the reclamo just filed (for the printed hoja), never another."""
        at_kiosk = device is not SYSTEM and device.role is Role.KIOSK
        filer = reclamos.Filer(
            channel=Channel.KIOSCO if at_kiosk else Channel.VENTANILLA,
            device_id=self._device_id(device),
            user_id=device.clerk.user_id if device.clerk else None)
        return self._write(device, "reclamos.file", lambda uow: reclamos.file_reclamo(
            uow, reclamo, filer, calendar_days.office_calendar(uow.session, self.office),
            self.config.office_name))

    def save_reclamo_draft(self, device: DeviceIdentity, draft: ReclamoDraftInput) -> None:
        """The kiosk keeps what the citizen typed with the Orientación ticket it just gave
        them, so the clerk who calls it finishes the reclamo instead of typing it again."""
        self._write(device, "reclamos.draft", lambda uow: reclamos.save_draft(
            uow, draft, self._device_id(device)))

    def reclamo_draft(self, device: DeviceIdentity, ticket: str) -> ReclamoDraft:
        """What the citizen with today's ticket `ticket` typed at the kiosk (a clerk)."""
        self.allow(device, "reclamos.draft_read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            found = reclamos.draft_for_ticket(session, ticket, today)
        self._log_access(device, access_log.Access(
            "reclamo", records=(f"borrador del turno {ticket.strip().upper()[:12]}",), count=1))
        return found

    def purge_reclamo_drafts(self, device: DeviceIdentity) -> int:
        """Drafts of past days (the daily job): a citizen's text does not stay overnight."""
        return self._write(device, "day.close", reclamos.purge_old_drafts)

    # Reading the book shows names and documents: each read is in the access log (Ley 29733).

    def reclamo_book(self, device: DeviceIdentity, open_only: bool = False) -> ReclamoBook:
        self.allow(device, "reclamos.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            book = reclamos.reclamo_book(session, self.office.office_id,
                                         self.office.office_code, self.config.office_name,
                                         today, open_only)
        if book.reclamos:
            self._log_access(device, access_log.Access(
                "reclamos", records=tuple(r.number for r in book.reclamos),
                count=len(book.reclamos)))
        return book

    def reclamo(self, device: DeviceIdentity, number: str) -> ReclamoView:
        self.allow(device, "reclamos.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            found = reclamos.view(reclamos.find_reclamo(session, self.office.office_id, number),
                                  self.office.office_code, self.config.office_name, today)
        self._log_access(device, access_log.Access("reclamo", records=(found.number,),
                                                   count=1))
        return found

    def answer_reclamo(self, device: DeviceIdentity, number: str, answer: ReclamoAnswer
                       ) -> ReclamoView:
        user_id = device.clerk.user_id if device.clerk else None
        return self._write(device, "reclamos.answer", lambda uow: reclamos.answer_reclamo(
            uow, number, answer, user_id, self._device_id(device), self.config.office_name))

    def export_reclamos(self, device: DeviceIdentity, year: int | None = None) -> str:
        """The year's reclamos as CSV (this year's by default)."""
        self.allow(device, "reclamos.read")
        chosen = year if year is not None else self.office.business_date(self.clock.now()).year
        with self.store.read_session() as session:
            text = reclamos.export_csv(session, self.office.office_id, self.office.office_code,
                                       self.office.tz, chosen)
        rows = reclamos.exported_count(text)
        if rows:
            self._log_access(device, access_log.Access("reclamos", query=f"CSV {chosen}",
                                                       count=rows))
        return text

    def submit_suggestion(self, device: DeviceIdentity, suggestion: SuggestionInput
                          ) -> SuggestionReceived:
        return self._write(device, "suggestions.submit", lambda uow: reclamos.submit_suggestion(
            uow, suggestion, self._device_id(device)))

    def suggestion_stats(self, device: DeviceIdentity, date_from: date, date_to: date
                         ) -> SuggestionStats:
        self.allow(device, "stats.read")
        with self.store.read_session() as session:
            return reclamos.suggestion_stats(session, self.office.office_id, date_from,
                                             date_to)
