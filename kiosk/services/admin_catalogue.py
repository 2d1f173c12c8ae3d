"""The administrator's services and counters: add, change, deactivate, reorder.

`catalogue.add_service` / `catalogue.add_counter` (used by `cac init --demo` and catalogue
files) stay as they are; these functions check an admin's input, answer in Spanish and record
one event per change with who made it.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.ids import new_id
from kiosk.rules.queue import check_prefix
from kiosk.services import catalogue
from kiosk.services.admin_audit import AdminActor, record
from kiosk.services.admin_views import CounterSetup, ServiceChange, ServiceInput
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.services.views import CounterView, ServiceView
from kiosk.storage.tables import Counter, CounterService, Service, Ticket

SERVICE_CODE = re.compile(r"[a-z][a-z0-9_]{1,19}")
WAITING = ("waiting",)


def _service_view(service: Service) -> ServiceView:
    return ServiceView(code=service.code, name=service.name, prefix=service.prefix,
                       sla_minutes=service.sla_minutes, active=service.active)


def _name(value: str, limit: int, what: str) -> str:
    value = " ".join(value.split())
    if not 1 <= len(value) <= limit:
        raise InvalidInput("invalid_name", f"Escriba el nombre {what} (de 1 a {limit} "
                                           "caracteres).")
    return value


def _sla(minutes: int) -> int:
    if not 1 <= minutes <= 480:
        raise InvalidInput("invalid_sla", "La espera objetivo debe estar entre 1 y 480 minutos.")
    return minutes


def _service(session: Session, code: str) -> Service:
    service = session.scalar(select(Service).where(Service.code == code.strip().lower()))
    if service is None:
        raise NotFound("unknown_service", f"No existe el servicio «{code[:40]}».")
    return service


def list_all_services(session: Session) -> list[ServiceView]:
    """Every service, inactive ones too, in the kiosk's order."""
    return catalogue.list_services(session)


def add_service(uow: UnitOfWork, actor: AdminActor, new: ServiceInput) -> ServiceView:
    code = new.code.strip().lower()
    if not SERVICE_CODE.fullmatch(code):
        raise InvalidInput("invalid_code",
                           "El código del servicio debe tener de 2 a 20 letras minúsculas sin "
                           "tildes, números o «_», y empezar con una letra (p. ej. «caja»).")
    name = _name(new.name, 120, "del servicio")
    prefix = check_prefix(new.prefix)
    _sla(new.sla_minutes)
    session = uow.session
    if session.scalar(select(Service.id).where(Service.code == code)) is not None:
        raise Conflict("service_exists", f"Ya existe un servicio con el código «{code}».")
    taken = session.scalar(select(Service).where(Service.prefix == prefix))
    if taken is not None:
        raise Conflict("prefix_taken", f"El prefijo {prefix} ya lo usa el servicio "
                                       f"«{taken.name}». Elija otra letra.")
    position = session.scalar(select(func.count()).select_from(Service)) or 0
    service = Service(id=new_id(), office_id=uow.office.office_id, code=code, name=name,
                      prefix=prefix, sla_minutes=new.sla_minutes, active=True,
                      position=position)
    session.add(service)
    session.flush()
    record(uow, actor, "service", service.id, "service_added",
           {"code": code, "name": name, "prefix": prefix, "sla_minutes": new.sla_minutes})
    return _service_view(service)


def change_service(uow: UnitOfWork, actor: AdminActor, code: str, change: ServiceChange
                   ) -> ServiceView:
    session = uow.session
    service = _service(session, code)
    changes: dict[str, object] = {}
    if change.name is not None:
        name = _name(change.name, 120, "del servicio")
        if name != service.name:
            changes["name"] = service.name = name
    if change.sla_minutes is not None and change.sla_minutes != service.sla_minutes:
        changes["sla_minutes"] = service.sla_minutes = _sla(change.sla_minutes)
    if change.active is not None and change.active != service.active:
        if not change.active:
            waiting = session.scalar(select(func.count()).select_from(Ticket).where(
                Ticket.service_id == service.id, Ticket.status.in_(WAITING))) or 0
            if waiting:
                raise Conflict("service_has_waiting",
                               f"No se puede desactivar «{service.name}»: hay {waiting} "
                               f"turno{'s' if waiting != 1 else ''} en espera. Atiéndalos o "
                               "transfiéralos a otro servicio primero.")
        changes["active"] = service.active = change.active
    if change.position is not None:
        ordered = list(session.scalars(select(Service).order_by(Service.position, Service.code)))
        current = ordered.index(service)
        wanted = min(change.position, len(ordered) - 1)
        if wanted != current:
            ordered.insert(wanted, ordered.pop(current))
            for position, row in enumerate(ordered):
                row.position = position
            changes["position"] = wanted
    if changes:
        session.flush()
        record(uow, actor, "service", service.id, "service_changed",
               {"code": service.code, "changes": changes})
    return _service_view(service)


def _counter_view(session: Session, number: int) -> CounterView:
    return next(c for c in catalogue.list_counters(session) if c.number == number)


def _check_services(session: Session, codes: list[str]) -> list[Service]:
    cleaned = [code.strip().lower() for code in codes]
    if len(set(cleaned)) != len(cleaned):
        raise InvalidInput("duplicate_service",
                           "Un servicio aparece dos veces en la lista de la ventanilla.")
    by_code = {s.code: s for s in session.scalars(select(Service))}
    missing = [code for code in cleaned if code not in by_code]
    if missing:
        raise InvalidInput("unknown_service",
                           f"Servicios desconocidos: {', '.join(m[:40] for m in missing)}.")
    return [by_code[code] for code in cleaned]


def _set_services(session: Session, counter: Counter, services: list[Service]) -> None:
    for row in session.scalars(select(CounterService).where(
            CounterService.counter_id == counter.id)):
        session.delete(row)
    session.flush()
    for rank, service in enumerate(services):
        session.add(CounterService(counter_id=counter.id, service_id=service.id, rank=rank))


def add_counter(uow: UnitOfWork, actor: AdminActor, setup: CounterSetup) -> CounterView:
    session = uow.session
    name = _name(setup.name, 60, "de la ventanilla")
    if session.scalar(select(Counter.id).where(Counter.number == setup.number)) is not None:
        raise Conflict("counter_exists", f"La ventanilla {setup.number} ya existe.")
    services = _check_services(session, setup.services)
    counter = Counter(id=new_id(), office_id=uow.office.office_id, number=setup.number,
                      name=name, state="closed", updated_at=uow.now,
                      preferential=setup.preferential.value)
    session.add(counter)
    session.flush()
    _set_services(session, counter, services)
    session.flush()
    record(uow, actor, "counter", counter.id, "counter_added",
           {"counter": setup.number, "name": name, "services": [s.code for s in services],
            "preferential": setup.preferential.value})
    return _counter_view(session, setup.number)


def change_counter(uow: UnitOfWork, actor: AdminActor, number: int, setup: CounterSetup
                   ) -> CounterView:
    session = uow.session
    counter = session.scalar(select(Counter).where(Counter.number == number))
    if counter is None:
        raise NotFound("unknown_counter", f"No existe la ventanilla {number}.")
    if setup.number != number:
        raise InvalidInput("counter_number_fixed",
                           "El número de una ventanilla no se cambia (los turnos atendidos lo "
                           "recuerdan). Cree una ventanilla nueva con ese número.")
    name = _name(setup.name, 60, "de la ventanilla")
    services = _check_services(session, setup.services)
    before = _counter_view(session, number)
    changes: dict[str, object] = {}
    if name != counter.name:
        changes["name"] = counter.name = name
        counter.updated_at = uow.now
    codes = [s.code for s in services]
    if codes != before.services:
        _set_services(session, counter, services)
        changes["services"] = codes
    if setup.preferential.value != counter.preferential:  # which tickets it takes: audited
        changes["preferential"] = counter.preferential = setup.preferential.value
        counter.updated_at = uow.now
    if changes:
        session.flush()
        record(uow, actor, "counter", counter.id, "counter_changed",
               {"counter": number, "changes": changes})
    return _counter_view(session, number)
