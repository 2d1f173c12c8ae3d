"""The central server (composition root): offices and credentials, the sync endpoints' logic,
catalogue authority, back-office events, statistics and the public status of an expediente.

Stateless over its database: any number of these can serve the same PostgreSQL behind a load
balancer. Every way in (HTTP, `cac central ...`) goes through these methods.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, bindparam, literal, select, update
from sqlalchemy.orm import Session

from kiosk import __version__
from kiosk.clock import Clock, HybridLogicalClock, SystemClock
from kiosk.config import clean_public_url, validate_office_code
from kiosk.errors import (
    CacError,
    ConfigError,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthorized,
    UpgradeRequired,
)
from kiosk.ids import new_id, new_token
from kiosk.rules.calendar import DayScope, check_day, check_scope
from kiosk.rules.expedientes import (
    STATUS_TEXT,
    Action,
    Status,
    check_action,
    overdue,
    parse_reference,
    silencio_positivo,
)
from kiosk.rules.procedures import Category
from kiosk.services import calendar_days, catalogue, history, ratings, tupa, users
from kiosk.services.devices import token_hash
from kiosk.services.expedientes import state_of
from kiosk.services.history import Names
from kiosk.services.stats import check_period
from kiosk.services.supervisor_views import PeriodReport
from kiosk.storage.tables import Base, Expediente
from sync.bundle import (
    CENTRAL_REPLY,
    HUB_BUNDLE,
    bundle_key,
    read_bundle,
    signed_with,
    write_bundle,
)
from sync.central import citas
from sync.central.bookkeeping import note_settled, prune, settled
from sync.central.db import AloneStatements, create_central_engine, upgrade
from sync.central.expedientes import expediente_figures
from sync.central.feed import page, publish, publish_row, recovery_page
from sync.central.figures import STATS_DIMENSIONS, period_figures
from sync.central.push import apply_entries, parse_entries
from sync.central.schema import (
    REPLICAS,
    calendar_log,
    credentials,
    of_office,
    office_links,
    offices,
)
from sync.central.stats_blocks import REGION
from sync.central.stats_refresh import Refreshed, mark_changed, refresh
from sync.central.unit_of_work import LIMA, CentralUnitOfWork, office_context
from sync.wire import (
    MAX_BATCH_ENTRIES,
    MIN_PROTOCOL_VERSION,
    PROTOCOL_VERSION,
    encode_row,
    printable,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

HUB, STAFF, ADMIN = "hub", "staff", "admin"
ROLES = (HUB, STAFF, ADMIN)
# What back-office areas may do to an expediente from central (the counter does the rest).
BACKOFFICE_ACTIONS = (Action.DERIVE, Action.OBSERVE, Action.INSPECT, Action.APPROVE,
                      Action.DENY)
BACKOFFICE_EVENT = "expediente_event"
TOTAL = "TODAS"  # the office of the figures of every office together


@dataclass(frozen=True)
class CentralIdentity:
    role: str
    name: str
    office_id: str | None = None
    office_code: str | None = None


@dataclass(frozen=True)
class Versions:
    """What a hub says of itself in every request: its versions and (protocol 2) its office."""

    app: str | None
    protocol: int | None
    schema: str | None
    office: str | None = None


@dataclass(frozen=True)
class OfficeRow:
    id: str
    code: str
    name: str


def wrong_office(credential_office: str, hub_office: str) -> Forbidden:
    """A hub of one office came with the credential of another: refused before anything."""
    return Forbidden(
        "wrong_office",
        f"La credencial de este hub es de la oficina {credential_office}, pero el hub es de la "
        f"oficina {hub_office}: la central no recibió ni aplicó nada. Configure en "
        f"{hub_office} su propia credencial («cac sync setup»; la central la da con «cac "
        f"central office token --office {hub_office}»). Los cambios de la oficina quedan "
        "guardados y se enviarán con la credencial correcta.")


_EXP, _PROCEDURES = REPLICAS["expedientes"], REPLICAS["procedures"]
# What the public page shows of an expediente, by its tracking code (built once).
_PUBLIC_STATUS = (
    select(_EXP.c.number, _EXP.c.status, _EXP.c.filed_at, _EXP.c.due_date,
           _EXP.c.calificacion, _EXP.c.area, _EXP.c.decided_at, _EXP.c.delivered_at,
           _EXP.c.observation_due, _EXP.c.category, _PROCEDURES.c.name.label("procedure"),
           offices.c.name.label("office"), office_links.c.last_push_at)
    .select_from(_EXP.outerjoin(_PROCEDURES, _PROCEDURES.c.id == _EXP.c.procedure_id)
                 .outerjoin(offices, offices.c.id == _EXP.c.office_id)
                 .outerjoin(office_links, office_links.c.office_id == _EXP.c.office_id))
    .where(_EXP.c.tracking_code == bindparam("code")))


# Whose credential a request's token is (built once).
_CREDENTIAL = (
    select(credentials.c.role, credentials.c.name, credentials.c.office_id,
           credentials.c.revoked_at, offices.c.code)
    .select_from(credentials.outerjoin(offices, offices.c.id == credentials.c.office_id))
    .where(credentials.c.token_hash == bindparam("token_hash")))
_ALIVE = select(literal(1).label("alive"))


class CentralServer:
    """`read_database_url`: a streaming replica of the database (PostgreSQL hot standby) that
    the statistics and reports read, sparing the primary; everything else uses the primary.
    `public_url`: the address citizens reach this server's public page at (its root,
    `cac central --public-url`), announced to the hubs in the sync hello so that their
    documents' QR codes point at it; "" announces none."""

    def __init__(self, database_url: str, clock: Clock | None = None,
                 read_database_url: str | None = None, public_url: str = "") -> None:
        try:
            self.public_url = clean_public_url(public_url)
        except InvalidInput as exc:
            raise ConfigError("invalid_public_url", f"--public-url: {exc.message}") from None
        self.clock = clock or SystemClock()
        self.engine = create_central_engine(database_url)
        try:
            upgrade(self.engine)
        except BaseException:  # a migration that refused: no connection left open behind
            self.engine.dispose()
            raise
        self.read_engine = (create_central_engine(read_database_url) if read_database_url
                            else self.engine)
        # Single statements on connections of their own: the offices' credentials and
        # /health; apart, the citizens' page (its rate limit, its lookups), so that a flood of
        # lookups from many addresses never keeps an office's request waiting.
        self.alone = AloneStatements(self.engine)
        self.citizens = AloneStatements(self.engine)
        self.hlc = HybridLogicalClock("CENTRAL", self.clock)

    def close(self) -> None:
        self.alone.dispose()
        self.citizens.dispose()
        self.engine.dispose()
        self.read_engine.dispose()

    def __enter__(self) -> CentralServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.begin() as connection:
            yield connection

    def _now(self) -> datetime:
        return self.clock.now()

    # --- offices and credentials -----------------------------------------------------------

    def add_office(self, code: str, name: str) -> tuple[OfficeRow, str]:
        """A new office and its hub's credential (shown once)."""
        code = validate_office_code(code)
        name = " ".join(name.split())
        if not 3 <= len(name) <= 120:
            raise InvalidInput("invalid_name", "Escriba el nombre de la oficina (3 a 120 "
                                               "caracteres).")
        with self._write() as connection:
            if connection.scalar(select(offices.c.id).where(offices.c.code == code)):
                raise Conflict("office_exists", f"La oficina {code} ya está registrada. Para "
                               "una credencial nueva use «cac central office token».")
            office = OfficeRow(id=self._unused_office_id(connection), code=code, name=name)
            connection.execute(offices.insert().values(id=office.id, code=code, name=name,
                                                       created_at=self._now()))
            connection.execute(office_links.insert().values(office_id=office.id, last_seq=0))
            token = self._add_credential(connection, HUB, f"Hub {code}", office.id)
        return office, token

    @staticmethod
    def _unused_office_id(connection: Connection) -> str:
        """A new office's id whose recovery key (`office_key`, a 64-bit hash on PostgreSQL) no
        other office has: drawn again on the rare clash `ux_offices_key` would refuse."""
        while True:
            candidate = new_id()
            if connection.scalar(select(offices.c.id).where(
                    of_office(offices.c.id, candidate))) is None:
                return candidate

    def issue_hub_token(self, code: str, *, revoke_others: bool = False) -> str:
        with self._write() as connection:
            office = self._office(connection, code)
            if revoke_others:
                connection.execute(update(credentials).where(
                    credentials.c.office_id == office.id, credentials.c.revoked_at.is_(None)
                ).values(revoked_at=self._now()))
            return self._add_credential(connection, HUB, f"Hub {office.code}", office.id)

    def add_staff(self, name: str, role: str = STAFF) -> str:
        if role not in (STAFF, ADMIN):
            raise InvalidInput("invalid_role", "El rol del personal central es staff o admin.")
        name = " ".join(name.split())
        if not 3 <= len(name) <= 120:
            raise InvalidInput("invalid_name", "Escriba el nombre (3 a 120 caracteres).")
        with self._write() as connection:
            return self._add_credential(connection, role, name, None)

    def _add_credential(self, connection: Connection, role: str, name: str,
                        office_id: str | None) -> str:
        token = new_token()
        connection.execute(credentials.insert().values(
            token_hash=token_hash(token), role=role, office_id=office_id, name=name,
            bundle_key=bundle_key(token) if role == HUB else None, created_at=self._now()))
        return token

    def offices(self) -> list[OfficeRow]:
        with self.engine.connect() as connection:
            return [OfficeRow(r.id, r.code, r.name) for r in connection.execute(
                select(offices.c.id, offices.c.code, offices.c.name).order_by(offices.c.code))]

    def _office(self, connection: Connection, code: str) -> OfficeRow:
        row = connection.execute(select(offices.c.id, offices.c.code, offices.c.name).where(
            offices.c.code == code.strip().upper())).first()
        if row is None:
            raise NotFound("unknown_office", f"La oficina «{code}» no está registrada en la "
                                             "central.")
        return OfficeRow(row.id, row.code, row.name)

    def authenticate(self, token: str) -> CentralIdentity:
        # Every request's first statement: alone (one round trip, no ping, no transaction).
        return self._identity(self.alone.rows(_CREDENTIAL, self._credential(token)))

    async def authenticate_async(self, token: str) -> CentralIdentity:
        """`authenticate` for the routes' dependency, on the event loop."""
        return self._identity(await self.alone.rows_async(_CREDENTIAL, self._credential(token)))

    @staticmethod
    def _credential(token: str) -> dict[str, str]:
        if not token:
            raise Unauthorized("no_credentials", "Falta la credencial.")
        return {"token_hash": token_hash(token)}

    @staticmethod
    def _identity(found: list[Any]) -> CentralIdentity:
        row = found[0] if found else None
        if row is None or row.revoked_at is not None:
            raise Unauthorized("invalid_credentials",
                               "La credencial no es válida o fue revocada.")
        return CentralIdentity(role=row.role, name=row.name, office_id=row.office_id,
                               office_code=row.code)

    @staticmethod
    def _require(identity: CentralIdentity, *roles: str) -> None:
        if identity.role not in roles:
            raise Forbidden("forbidden", "Esta credencial no permite esta operación.")

    @staticmethod
    def check_versions(versions: Versions) -> None:
        if versions.protocol is None or versions.protocol < MIN_PROTOCOL_VERSION:
            raise UpgradeRequired(
                "update_required",
                f"La versión de CAC Kiosk de esta oficina ({versions.app or 'desconocida'}) es "
                f"antigua para la central ({__version__}): actualice el programa. Los cambios "
                "de la oficina quedan guardados y se enviarán después de actualizar.")
        if versions.protocol > PROTOCOL_VERSION:
            raise UpgradeRequired(
                "central_outdated",
                "La oficina usa una versión más nueva que la central: avise al administrador "
                "de la central. Los cambios de la oficina quedan guardados.")

    # --- sync ------------------------------------------------------------------------------

    def _admit(self, identity: CentralIdentity, versions: Versions, *claims: object) -> bool:
        """A hub's request, before anything is read or written: its versions, and the office it
        says it is (in a header, and a push or bundle in its body) against its credential's.
        Whether it said one (a protocol-1 hub does not)."""
        self._require(identity, HUB)
        self.check_versions(versions)
        said = False
        for claim in (versions.office, *claims):
            if claim is None or claim == "":
                continue
            said = True
            code = printable(str(claim)).strip().upper()[:12]
            if code != identity.office_code:
                raise wrong_office(str(identity.office_code), code)
        return said

    def _link(self, connection: Connection, office_id: str) -> Any:
        query = select(office_links).where(office_links.c.office_id == office_id)
        if connection.dialect.name == "postgresql":
            query = query.with_for_update()  # one push of an office at a time
        return connection.execute(query).first()

    @staticmethod
    def _known(identity: CentralIdentity, link: Any, said_office: bool) -> None:
        """A hub that does not say its office is served only on a credential already bound to
        its installation: central cannot tell that a new one is of the credential's office."""
        if not said_office and link.hub_office_id is None:
            raise UpgradeRequired(
                "office_code_required",
                f"Para conectar este hub con la central por primera vez como oficina "
                f"{identity.office_code}, actualice CAC Kiosk en la oficina: esta versión no "
                "dice a la central de qué oficina es. Los cambios de la oficina quedan "
                "guardados y se enviarán después de actualizar.")

    def hello(self, identity: CentralIdentity, versions: Versions, hub_office_id: str | None
              ) -> dict[str, Any]:
        """The start of a round: who central thinks this hub is, the time, and the public
        address of the tracking page ("" none; the hub keeps what central says)."""
        said = self._admit(identity, versions)
        assert identity.office_id is not None
        with self._write() as connection:
            link = self._bind(connection, identity, hub_office_id, said)
            said_versions = {"app_version": versions.app, "protocol": versions.protocol,
                             "schema": versions.schema}
            if any(link._mapping[k] != v for k, v in said_versions.items()):
                connection.execute(update(office_links).where(
                    office_links.c.office_id == identity.office_id).values(**said_versions))
            name = connection.scalar(select(offices.c.name).where(
                offices.c.id == identity.office_id))
        return {"office": identity.office_code, "name": name,
                "last_seq": int(link.last_seq or 0),
                "server_time": self._now().isoformat(), "protocol": PROTOCOL_VERSION,
                "public_url": self.public_url}

    def _bind(self, connection: Connection, identity: CentralIdentity,
              hub_office_id: str | None, said_office: bool) -> Any:
        assert identity.office_id is not None
        link = self._link(connection, identity.office_id)
        if not hub_office_id:
            raise InvalidInput("bad_batch", "El hub no indicó el identificador de su oficina.")
        self._known(identity, link, said_office)
        if link.hub_office_id is None:
            connection.execute(update(office_links).where(
                office_links.c.office_id == identity.office_id).values(
                hub_office_id=hub_office_id))
        elif link.hub_office_id != hub_office_id:
            raise Conflict(
                "other_installation",
                f"La central ya recibe los datos de {identity.office_code} de otra instalación "
                "del hub. Si esta PC reemplaza a la anterior, restaure en ella la copia de "
                "seguridad de la oficina; si no, pida otra credencial.")
        return link

    def push(self, identity: CentralIdentity, versions: Versions, document: Any,
             texts_clean: bool = False) -> dict[str, Any]:
        """Apply a hub's batch; `texts_clean` when its body was found free of control
        characters (sync.wire.unpack_checked)."""
        body = document if isinstance(document, dict) else {}
        said = self._admit(identity, versions, body.get("office"))
        entries = parse_entries(document)
        hub_office_id = body.get("hub_office_id")
        assert identity.office_id is not None
        now = self._now()
        with self._write() as connection:
            link = self._bind(connection, identity, hub_office_id, said)
            outcome = apply_entries(connection, identity.office_id, hub_office_id, entries,
                                    now, texts_clean)
            mark_changed(connection, outcome.days)
            citas.follow(connection, identity.office_id, outcome.cita_events)
            last_seq = max(int(link.last_seq or 0), outcome.max_seq)
            connection.execute(update(office_links).where(
                office_links.c.office_id == identity.office_id).values(
                last_seq=last_seq, last_push_at=now, app_version=versions.app,
                protocol=versions.protocol, schema=versions.schema, **settled(entries)))
        return {
            "server_time": now.isoformat(),
            "last_seq": last_seq,
            "results": [{"m": m, "r": result, **({"why": why} if why else {})}
                        for m, (result, why) in outcome.results.items()],
        }

    def pull(self, identity: CentralIdentity, versions: Versions, after: int, limit: int
             ) -> dict[str, Any]:
        said = self._admit(identity, versions)
        if after < 0:
            raise InvalidInput("invalid_cursor", "El cursor no puede ser negativo.")
        assert identity.office_id is not None
        with self._write() as connection:
            self._known(identity, self._link(connection, identity.office_id), said)
            items, cursor, more = page(connection, identity.office_id, after, limit)
            connection.execute(update(office_links).where(
                office_links.c.office_id == identity.office_id).values(last_pull_at=self._now()))
        return {"changes": items, "next": cursor, "more": more,
                "server_time": self._now().isoformat()}

    def recover(self, identity: CentralIdentity, versions: Versions, after: int, limit: int
                ) -> dict[str, Any]:
        """An office's own rows changed after its outbox seq `after`: for a hub restored from
        an older backup, which gets back what it had pushed since."""
        said = self._admit(identity, versions)
        if after < 0:
            raise InvalidInput("invalid_cursor", "El cursor no puede ser negativo.")
        assert identity.office_id is not None
        with self.engine.connect() as connection:
            self._known(identity, connection.execute(select(office_links).where(
                office_links.c.office_id == identity.office_id)).first(), said)
            rows, cursor, more = recovery_page(connection, identity.office_id, after, limit)
        return {"rows": rows, "next": cursor, "more": more}

    def import_bundle(self, path: Path, reply: Path | None = None) -> dict[str, int]:
        """A USB bundle of an office: applied like pushes; the reply (acknowledgements and the
        feed after the hub's cursor) is written for the stick's way back."""
        body, signature = read_bundle(path, HUB_BUNDLE)
        code = printable(str(body.get("office", ""))).strip().upper()[:12]
        # The signature says whose credential wrote the bundle; the body, whose hub it is.
        with self.engine.connect() as connection:
            signers = connection.execute(
                select(credentials.c.bundle_key, offices.c.id, offices.c.code, offices.c.name)
                .join(offices, offices.c.id == credentials.c.office_id)
                .where(credentials.c.role == HUB, credentials.c.revoked_at.is_(None),
                       credentials.c.bundle_key.is_not(None))
                .order_by(offices.c.code != code)).all()
        key = signed_with(body, signature, [s.bundle_key for s in signers])
        if key is None:
            raise Unauthorized("bundle_signature",
                               f"La firma del paquete no corresponde a ninguna credencial vigente "
                               f"de {code or 'la oficina'}: no lo generó su hub, o fue alterado.")
        signer = next(s for s in signers if s.bundle_key == key)
        office = OfficeRow(signer.id, signer.code, signer.name)
        protocol = body.get("protocol")
        versions = Versions(app=str(body.get("app_version")), schema=str(body.get("schema")),
                            protocol=protocol if isinstance(protocol, int) else None)
        identity = CentralIdentity(role=HUB, name=f"Hub {office.code}", office_id=office.id,
                                   office_code=office.code)
        said = self._admit(identity, versions, code)
        raw = body.get("entries")
        if not isinstance(raw, list):
            raise InvalidInput("bundle_damaged", "El paquete no trae la lista de cambios.")
        hub_office_id = str(body.get("hub_office_id", ""))
        results: list[dict[str, Any]] = []
        counts = {"applied": 0, "duplicate": 0, "rejected": 0}
        now = self._now()
        with self._write() as connection:
            link = self._bind(connection, identity, hub_office_id, said)
            top = int(link.last_seq or 0)
            for start in range(0, len(raw), MAX_BATCH_ENTRIES):
                entries = parse_entries({"entries": raw[start:start + MAX_BATCH_ENTRIES]})
                outcome = apply_entries(connection, office.id, hub_office_id, entries, now)
                mark_changed(connection, outcome.days)
                citas.follow(connection, office.id, outcome.cita_events)
                note_settled(connection, office.id, entries)
                top = max(top, outcome.max_seq)
                for mutation, (result, why) in outcome.results.items():
                    counts[result] += 1
                    results.append({"m": mutation, "r": result, **({"why": why} if why else {})})
            connection.execute(update(office_links).where(
                office_links.c.office_id == office.id).values(
                last_seq=top, last_push_at=now, app_version=versions.app,
                protocol=versions.protocol, schema=versions.schema))
            cursor = body.get("pull_cursor")
            cursor = cursor if isinstance(cursor, int) and cursor >= 0 else 0
            changes: list[dict[str, Any]] = []
            more = True
            while more:
                items, cursor, more = page(connection, office.id, cursor)
                changes.extend(items)
        if reply is not None:
            # The public address only when this command was told it: an import run without
            # it must not clear the one the office learned in a hello.
            write_bundle(reply, CENTRAL_REPLY, {
                "office": office.code, "hub_office_id": hub_office_id,
                "created_at": now.isoformat(), "results": results, "changes": changes,
                **({"public_url": self.public_url} if self.public_url else {})}, key)
        return {**counts, "changes": len(changes)}

    # --- catalogue authority ---------------------------------------------------------------

    def _office_work(self, code: str, work: Callable[[CentralUnitOfWork], T]) -> T:
        with self.engine.connect() as connection:
            office = self._office(connection, code)
        with CentralUnitOfWork(self.engine, self.clock, self.hlc,
                               office_context(office.id, office.code)) as uow:
            result = work(uow)
            uow.commit()
            return result

    def import_catalogue(self, code: str, path: Path) -> Any:
        """A TUPA file for one office (and the UIT and non-working days it carries, for all)."""
        return self._office_work(code, lambda uow: tupa.import_catalogue(uow, path, None))

    def add_service(self, code: str, service_code: str, name: str, prefix: str,
                    sla_minutes: int) -> None:
        self._office_work(code, lambda uow: catalogue.add_service(
            uow, service_code, name, prefix, sla_minutes))

    def add_user(self, code: str, username: str, full_name: str, role: str) -> None:
        """A clerk of an office. PIN hashes never leave an office, so the clerk reaches it
        without a PIN and cannot log in until the office's admin gives a first one there."""
        no_pin = users.NewSecret(secret="", hash="", generated=True)
        self._office_work(code, lambda uow: users.add_user(
            uow, username, full_name, role, no_pin, None))

    def set_uit(self, year: int, amount: str, source: str | None) -> None:
        try:
            value = Decimal(amount).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise InvalidInput("invalid_uit", f"Monto de UIT no válido: «{amount}».") from None
        if not (2000 <= year <= 2100 and Decimal(1000) <= value <= Decimal(100_000)):
            raise InvalidInput("invalid_uit", "Año o monto de UIT fuera de rango.")
        table = REPLICAS["uit_values"]
        row = {"year": year, "amount": value, "source": source}
        with self._write() as connection:
            connection.execute(table.delete().where(table.c.year == year))
            connection.execute(table.insert().values(**row))
            publish_row(connection, None, table, row, self._now())

    def add_non_working_day(self, day: date, name: str, scope: str, place: str = "",
                            by: str = "Servidor central") -> str:
        """A non-working day with where it counts (kiosk.rules.calendar.DayScope): every
        office receives it (one office's day, only that office) and counts it only where its
        scope takes the office in. The same day, scope and place again corrects its name.
        Returns "added", "corrected" or "unchanged"; each change goes in central's log."""
        name = " ".join(name.split())
        check_day(day, "día no laborable")
        parsed, place = check_scope(scope, place)
        if not 3 <= len(name) <= 120:
            raise InvalidInput("invalid_day", "Indique un nombre de 3 a 120 caracteres.")
        table = REPLICAS["non_working_days"]
        now = self._now()
        with self._write() as connection:
            office_id = self._day_audience(connection, parsed, place)
            old = connection.execute(select(table.c.name).where(
                table.c.date == day, table.c.scope == parsed,
                table.c.place == place)).scalar()
            if old == name:
                return "unchanged"
            connection.execute(table.delete().where(table.c.date == day, table.c.scope == parsed,
                                                    table.c.place == place))
            row = {"id": new_id(), "date": day, "name": name, "scope": str(parsed),
                   "place": place}
            connection.execute(table.insert().values(**row))
            publish_row(connection, office_id, table, row, now)
            action = "added" if old is None else "corrected"
            self._log_day(connection, now, by, action, row, old)
            return action

    def remove_non_working_day(self, day: date, scope: str, place: str = "",
                               by: str = "Servidor central") -> None:
        """A day distributed by mistake: the offices drop it and their deadlines move back."""
        parsed, place = check_scope(scope, place)
        table = REPLICAS["non_working_days"]
        now = self._now()
        with self._write() as connection:
            row = connection.execute(select(table).where(
                table.c.date == day, table.c.scope == parsed,
                table.c.place == place)).mappings().first()
            if row is None:
                where = f"{parsed} {place}".strip()
                raise NotFound("unknown_day", "La central no tiene el día no laborable "
                                              f"{day:%d/%m/%Y} ({where}).")
            office_id = self._day_audience(connection, parsed, place)
            connection.execute(table.delete().where(table.c.id == row["id"]))
            source = Base.metadata.tables["non_working_days"]
            key = {"id": row["id"], "date": day, "scope": str(parsed), "place": place}
            publish(connection, office_id, "non_working_days", "delete",
                    encode_row(source, key), now)
            self._log_day(connection, now, by, "removed", {**key, "name": row["name"]}, None)

    def non_working_days(self, year: int | None = None) -> list[dict[str, Any]]:
        """The days central distributes (of a year), with their scope and place."""
        table = REPLICAS["non_working_days"]
        query = select(table.c.date, table.c.name, table.c.scope, table.c.place).order_by(
            table.c.date, table.c.scope, table.c.place)
        if year is not None:
            query = query.where(table.c.date >= date(year, 1, 1),
                                table.c.date <= date(year, 12, 31))
        with self.engine.connect() as connection:
            return [dict(r) for r in connection.execute(query).mappings()]

    def calendar_log(self) -> list[dict[str, Any]]:
        """Central's log of the days it added, corrected or removed, oldest first."""
        with self.engine.connect() as connection:
            return [dict(r) for r in connection.execute(
                select(calendar_log).order_by(calendar_log.c.at, calendar_log.c.id)).mappings()]

    def _day_audience(self, connection: Connection, scope: DayScope, place: str) -> str | None:
        """The office a day of one office goes to (None: every office)."""
        return self._office(connection, place).id if scope is DayScope.OFICINA else None

    @staticmethod
    def _log_day(connection: Connection, now: datetime, by: str, action: str,
                 row: dict[str, Any], previous_name: str | None) -> None:
        connection.execute(calendar_log.insert().values(
            id=new_id(), at=now, by=" ".join(by.split())[:120] or "Servidor central",
            action=action, date=row["date"], scope=row["scope"], place=row["place"],
            name=row["name"], previous_name=previous_name))

    # --- back office -----------------------------------------------------------------------

    def backoffice_event(self, identity: CentralIdentity, office_code: str, number: str,
                         action: str, note: str | None, area: str | None,
                         inspection_result: str | None = None) -> dict[str, Any]:
        """An area's decision on an expediente, sent to the office on its next pull."""
        self._require(identity, STAFF, ADMIN)
        try:
            parsed = Action(action)
        except ValueError:
            parsed = None
        if parsed not in BACKOFFICE_ACTIONS:
            raise InvalidInput("invalid_action", "Desde la central se puede derivar, observar, "
                               "registrar la ITSE, aprobar o denegar.")
        assert parsed is not None
        exp, procs = REPLICAS["expedientes"], REPLICAS["procedures"]
        now = self._now()
        with self._write() as connection:
            office = self._office(connection, office_code)
            row = connection.execute(select(exp, procs.c.variant).join(
                procs, procs.c.id == exp.c.procedure_id, isouter=True).where(
                exp.c.office_id == office.id, exp.c.number == number.strip().upper())).first()
            if row is None:
                raise NotFound("unknown_expediente",
                               f"El expediente {number} no está en la central (aún no "
                               "sincronizado o inexistente).")
            projection = Expediente(**{k: v for k, v in row._mapping.items()
                                       if k in Expediente.__table__.columns})
            today = now.astimezone(LIMA).date()
            state = state_of(projection, row.variant, today)
            note = " ".join(note.split()) if note else None
            area = " ".join(area.split()) if area else None
            target = check_action(state, parsed, projection.number, note=note, area=area,
                                  inspection_result=inspection_result)
            payload = {"id": new_id(), "expediente_id": projection.id,
                       "number": projection.number, "action": str(parsed), "note": note,
                       "area": area, "inspection_result": inspection_result,
                       "by": identity.name, "at": now.isoformat()}
            publish(connection, office.id, "expedientes", BACKOFFICE_EVENT, payload, now)
        return {"number": projection.number, "action": str(parsed), "status": str(target),
                "status_text": STATUS_TEXT[target], "sent": True}

    # --- citas on the places offices delegated to central -----------------------------------

    def book_cita(self, identity: CentralIdentity, office_code: str, service: str,
                  start: datetime, document: str, name: str, contact: str | None = None
                  ) -> dict[str, Any]:
        """A cita on a place the office gave central (sync/central/citas.py); the office gets
        it on its next pull."""
        self._require(identity, STAFF, ADMIN)
        with self._write() as connection:
            office = self._office(connection, office_code)
            return citas.book(connection, office.id, service, start, document, name, contact,
                              identity.name, self._now())

    def book_public_cita(self, office_code: str, service: str, start: datetime, document: str,
                         name: str, contact: str | None, consent: bool) -> dict[str, Any]:
        """A citizen's booking on the public page (sync/central/public_citas.py): only on a
        place the office delegated, like staff's."""
        with self._write() as connection:
            office = self._office(connection, office_code)
            return citas.book(connection, office.id, service, start, document, name, contact,
                              "página pública", self._now(), consent=consent)

    def public_cita(self, code: str, document: str) -> citas.OwnCita:
        """A booking central knows (made there, or at the office: records 48, 49), to its
        citizen with its code and DNI (the public page)."""
        with self.engine.connect() as connection:
            return citas.own_cita(connection, code, document, self._now())

    def cancel_public_cita(self, code: str, document: str) -> citas.OwnCita:
        """The citizen cancels it on the public page; the office gets it on its next pull."""
        with self._write() as connection:
            return citas.cancel(connection, code, document, self._now())

    def move_public_cita(self, code: str, document: str, start: datetime) -> citas.OwnCita:
        """The citizen moves it to another free delegated hour of the same service."""
        with self._write() as connection:
            return citas.move(connection, code, document, start, self._now())

    # --- statistics and the public page ----------------------------------------------------

    def _offices_seen(self, identity: CentralIdentity, office_code: str | None
                      ) -> list[OfficeRow]:
        """The offices whose figures `identity` asked for: one, or all; a hub only its own."""
        self._require(identity, STAFF, ADMIN, HUB)
        with self.engine.connect() as connection:
            if identity.role == HUB:
                if office_code and office_code.strip().upper() != identity.office_code:
                    raise Forbidden("forbidden", "Un hub solo ve las cifras de su oficina.")
                office_code = identity.office_code
            return ([self._office(connection, office_code)] if office_code
                    else [OfficeRow(r.id, r.code, r.name) for r in connection.execute(
                        select(offices.c.id, offices.c.code, offices.c.name)
                        .order_by(offices.c.code))])

    def stats(self, identity: CentralIdentity, office_code: str | None, date_from: date,
              date_to: date) -> dict[str, Any]:
        """The hubs' /stats figures, per office and for all together."""
        chosen = self._offices_seen(identity, office_code)
        check_period(date_from, date_to)
        scopes = [o.id for o in chosen] + ([REGION] if office_code is None else [])
        no_names = Names({}, {}, {}, {})  # GET /stats has no clerks to name
        with self.read_engine.connect() as connection:
            found = period_figures(connection, scopes, date_from, date_to,
                                   dict.fromkeys(scopes, no_names), STATS_DIMENSIONS)

        def one(code: str, scope: str) -> dict[str, Any]:
            return history.stats_report_of_figures(code, LIMA, date_from, date_to,
                                                   found[scope]).model_dump(mode="json")

        return {"date_from": date_from.isoformat(), "date_to": date_to.isoformat(),
                "offices": {o.code: one(o.code, o.id) for o in chosen},
                "total": one(TOTAL, scopes[-1])}

    def period_report(self, identity: CentralIdentity, office_code: str | None,
                      date_from: date, date_to: date) -> dict[str, Any]:
        """The hubs' period report (GET /reports: tickets by every grouping, expedientes,
        satisfaction), per office and for all together: the tickets' figures from central's
        pre-aggregated blocks, the expedientes from their rows."""
        chosen = self._offices_seen(identity, office_code)
        check_period(date_from, date_to)
        now = self._now()
        today = now.astimezone(LIMA).date()
        scopes = [o.id for o in chosen] + ([REGION] if office_code is None else [])
        with self.read_engine.connect() as connection:
            session = Session(bind=connection)
            calendar = calendar_days.office_calendar(session)
            names = {o.id: Names.load(session, [o.id]) for o in chosen}
            names[scopes[-1]] = names.get(scopes[-1]) or Names.load(session,
                                                                    [o.id for o in chosen])
            found = period_figures(connection, scopes, date_from, date_to, names)
            expedientes = expediente_figures(
                connection, {**{o.id: [o.id] for o in chosen}, TOTAL: [o.id for o in chosen]},
                {**{o.id: o.code for o in chosen}, TOTAL: TOTAL}, LIMA, date_from,
                date_to, today, calendar)

            def one(scope: str, code: str, name: str, expediente_scope: str) -> dict[str, Any]:
                return PeriodReport(
                    office=code, office_name=name, municipality="", date_from=date_from,
                    date_to=date_to, timezone=str(LIMA), generated_at=now,
                    tickets=history.ticket_history_of_figures(code, LIMA, date_from, date_to,
                                                              found[scope], names[scope]),
                    expedientes=expedientes[expediente_scope],
                    satisfaction=ratings.satisfaction_of_counts(
                        code, date_from, date_to, found[scope].rated, found[scope].served,
                        names[scope]),
                ).model_dump(mode="json")

            per_office = {o.code: one(o.id, o.code, o.name, o.id) for o in chosen}
            total = one(scopes[-1], TOTAL, "Todas las oficinas", TOTAL)
        return {"date_from": date_from.isoformat(), "date_to": date_to.isoformat(),
                "offices": per_office, "total": total}

    def refresh_statistics(self, budget_s: float | None = None) -> Refreshed:
        """Build the pre-aggregated figures the pushes changed or completed
        (sync/central/stats_refresh.py); `cac central` does it in the background."""
        return refresh(self.engine, self._now(), budget_s=budget_s)

    def prune_bookkeeping(self) -> int:
        """Forget the mutation ids no hub can still need (sync/central/bookkeeping.py)."""
        with self._write() as connection:
            return prune(connection, self._now())

    async def public_status(self, tracking_code: str) -> dict[str, Any] | None:
        """What the citizen's QR shows: procedure, status, dates; nothing personal. On the
        event loop: the page's commonest lookup."""
        code = parse_reference(tracking_code)[1]
        if code is None:
            return None
        found = await self.citizens.rows_async(_PUBLIC_STATUS, {"code": code})
        if not found:
            return None
        row = found[0]  # codes are unique at central
        last_update = row.last_push_at
        today = self._now().astimezone(LIMA).date()
        status = Status(row.status)
        return {
            "number": row.number, "procedure": row.procedure or "Trámite",
            "category": Category(row.category), "office": row.office,
            "status": status, "status_text": STATUS_TEXT[status], "filed_at": row.filed_at,
            "due_date": row.due_date, "area": row.area, "decided_at": row.decided_at,
            "delivered_at": row.delivered_at, "observation_due": row.observation_due,
            "overdue": overdue(status, today, row.due_date, row.calificacion),
            "silencio_positivo": silencio_positivo(row.calificacion, status, today,
                                                   row.due_date),
            "synced_at": last_update,
        }

    async def health(self) -> dict[str, Any]:
        """On the event loop, as its route is."""
        await self.alone.rows_async(_ALIVE, {})  # the database answers
        return {"status": "ok", "version": __version__, "protocol": PROTOCOL_VERSION,
                "time": datetime.now(UTC).isoformat()}


__all__ = ["ADMIN", "HUB", "STAFF", "CacError", "CentralIdentity", "CentralServer", "Versions"]
