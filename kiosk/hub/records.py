"""Citizens, the civil registry and the audit of who saw personal data.

Every read here that shows personal data is logged first (HubCore._log_access, Ley 29733);
the audit reads of that log sit with them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kiosk.hub.core import HubCore
from kiosk.rules.text import checked_text_arguments
from kiosk.services import access_log, audit, registry, search
from kiosk.services.devices import DeviceIdentity
from kiosk.services.expediente_views import ActaInput, ActaView, BusinessView, PersonView


@checked_text_arguments  # no control characters in any text argument; names cleaned
class RecordsFacade(HubCore):
    """Persons, businesses, actas, and the access log and hash chain audits."""

    def find_persons(self, device: DeviceIdentity, query: str, limit: int = 20
                     ) -> list[PersonView]:
        """Citizens by document or by name in any usual order (kiosk/services/search.py)."""
        self.allow(device, "persons.read")
        with self.store.read_session() as session:
            found = search.find_persons(session, query, limit)
        if found:
            self._log_access(device, access_log.Access(
                "persons", query=query, persons=tuple(p.id for p in found), count=len(found)))
        return found

    def find_businesses(self, device: DeviceIdentity, query: str, limit: int = 20
                        ) -> list[BusinessView]:
        self.allow(device, "persons.read")
        with self.store.read_session() as session:
            found = search.find_businesses(session, query, limit)
        if found:
            self._log_access(device, access_log.Access(
                "businesses", query=query, records=tuple(b.id for b in found),
                count=len(found)))
        return found

    def search_actas(self, device: DeviceIdentity, query: str, kind: str | None = None,
                     limit: int = 20) -> list[ActaView]:
        self.allow(device, "actas.read")
        today = self.office.business_date(self.clock.now())
        with self.store.read_session() as session:
            found = registry.search_actas(session, query, kind, limit, today=today)
        if found:
            self._log_access(device, access_log.Access(
                "actas", query=query, records=tuple(a.id for a in found), count=len(found)))
        return found

    def add_acta(self, device: DeviceIdentity, acta: ActaInput) -> ActaView:
        return self._write(device, "actas.manage", lambda uow: registry.add_acta(
            uow, acta, self._device_id(device)))

    def import_actas(self, device: DeviceIdentity, path: Path) -> registry.ActasImported:
        """Load actas from a CSV file of the registry's books: whole or not at all."""
        return self._write(device, "actas.manage", lambda uow: registry.import_actas(
            uow, path, self._device_id(device)))

    def audit_access(self, device: DeviceIdentity, *, person: str | None = None,
                     user: str | None = None, date_from: date | None = None,
                     date_to: date | None = None, limit: int = 200
                     ) -> list[access_log.AccessEntry]:
        """Who opened whose personal data, newest first (`cac audit access`; admins only)."""
        self.allow(device, "audit.access")
        with self.store.read_session() as session:
            return access_log.access_log(session, self.office.tz, person=person, user=user,
                                         date_from=date_from, date_to=date_to, limit=limit)

    def verify_audit(self, device: DeviceIdentity) -> audit.AuditReport:
        """Walk the hash chain of the office's events and compare every ticket, expediente and
        payment with its events (`cac audit verify`)."""
        self.allow(device, "audit.verify")
        with self.store.read_session() as session:
            return audit.verify(session, self.office.tz)
