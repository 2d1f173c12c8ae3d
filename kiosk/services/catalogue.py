"""The office itself, its services and counters: created at `cac init`, read by everyone."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, InvalidInput
from kiosk.ids import new_id
from kiosk.rules.calling import PreferentialMode
from kiosk.rules.queue import check_prefix
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.services.views import CounterView, ServiceView
from kiosk.storage.tables import Counter, CounterService, Office, Service, Ticket

DEMO_CATALOGUE = Path(__file__).resolve().parent.parent / "seed" / "demo.toml"


def ensure_office(session: Session, code: str, name: str, now: Any) -> Office:
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        if session.scalar(select(Office.id).limit(1)) is not None:
            raise Conflict("foreign_office", "Esta base de datos pertenece a otra oficina.")
        office = Office(id=new_id(), code=code, name=name, created_at=now)
        session.add(office)
        session.flush()
    return office


def add_service(uow: UnitOfWork, code: str, name: str, prefix: str, sla_minutes: int,
                device_id: str | None = None) -> Service:
    prefix = check_prefix(prefix)
    if not 1 <= sla_minutes <= 600:
        raise InvalidInput("invalid_sla", "La espera objetivo debe estar entre 1 y 600 minutos.")
    office_id = uow.office.office_id
    clash = uow.session.scalar(
        select(Service).where(
            Service.office_id == office_id, (Service.code == code) | (Service.prefix == prefix)
        )
    )
    if clash is not None:
        raise Conflict("service_exists", f"Ya existe un servicio con código {code} o prefijo "
                                         f"{prefix}.")
    position = len(uow.session.scalars(select(Service.id).where(Service.office_id == office_id)
                                       ).all())
    service = Service(id=new_id(), office_id=office_id, code=code, name=name, prefix=prefix,
                      sla_minutes=sla_minutes, active=True, position=position)
    uow.session.add(service)
    uow.session.flush()
    uow.record("service", service.id, "service_added",
               {"code": code, "name": name, "prefix": prefix, "sla_minutes": sla_minutes},
               device_id)
    return service


def add_counter(uow: UnitOfWork, number: int, name: str, services: list[str],
                device_id: str | None = None, preferential: str = "tambien") -> Counter:
    office_id = uow.office.office_id
    if uow.session.scalar(select(Counter).where(Counter.office_id == office_id,
                                                Counter.number == number)):
        raise Conflict("counter_exists", f"La ventanilla {number} ya existe.")
    by_code = {s.code: s for s in uow.session.scalars(select(Service))}
    missing = [code for code in services if code not in by_code]
    if missing:
        raise InvalidInput("unknown_service",
                           f"Servicios desconocidos para la ventanilla {number}: "
                           f"{', '.join(missing)}.")
    mode = preferential_mode(preferential)
    counter = Counter(id=new_id(), office_id=office_id, number=number, name=name,
                      state="closed", updated_at=uow.now, preferential=mode.value)
    uow.session.add(counter)
    uow.session.flush()
    for rank, code in enumerate(services):
        uow.session.add(CounterService(counter_id=counter.id, service_id=by_code[code].id,
                                       rank=rank))
    uow.record("counter", counter.id, "counter_added",
               {"counter": number, "name": name, "services": services,
                "preferential": mode.value}, device_id)
    return counter


def load_catalogue(uow: UnitOfWork, path: Path) -> None:
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        for row in data.get("services", []):
            add_service(uow, row["code"], row["name"], row["prefix"], int(row["sla_minutes"]))
        for row in data.get("counters", []):
            add_counter(uow, int(row["number"]), row["name"], list(row["services"]),
                        preferential=str(row.get("preferential", PreferentialMode.ALSO)))
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise InvalidInput("invalid_catalogue",
                           f"El catálogo {path.name} no es válido: {exc}") from exc


def list_services(session: Session) -> list[ServiceView]:
    return [
        ServiceView(code=s.code, name=s.name, prefix=s.prefix, sla_minutes=s.sla_minutes,
                    active=s.active)
        for s in session.scalars(select(Service).order_by(Service.position))
    ]


def preferential_mode(raw: str) -> PreferentialMode:
    """A counter's option on preferential tickets, or a Spanish refusal."""
    try:
        return PreferentialMode(raw)
    except ValueError:
        raise InvalidInput("invalid_preferential_mode",
                           f"Opción de preferenciales desconocida «{' '.join(raw.split())[:20]}»."
                           f" Use: {', '.join(PreferentialMode)}.") from None


def list_counters(session: Session) -> list[CounterView]:
    # Plain rows in two statements: every counter window's queue refresh reads this.
    services: dict[str, list[str]] = {}
    for counter_id, code in session.execute(
            select(CounterService.counter_id, Service.code)
            .join(Service, Service.id == CounterService.service_id)
            .order_by(CounterService.rank)):
        services.setdefault(counter_id, []).append(code)
    rows = session.execute(
        select(Counter.id, Counter.number, Counter.name, Counter.state, Counter.pause_reason,
               Counter.current_ticket_id, Ticket.number, Counter.preferential)
        .outerjoin(Ticket, Ticket.id == Counter.current_ticket_id)
        .order_by(Counter.number))
    return [
        CounterView(
            number=number,
            name=name,
            state=state,
            pause_reason=pause_reason,
            current_ticket=current_number if current_id else None,
            current_ticket_id=current_id,
            services=services.get(counter_id, []),
            preferential=preferential,
        )
        for (counter_id, number, name, state, pause_reason, current_id, current_number,
             preferential) in rows
    ]
