"""Citizens and businesses, found by their document and reused across requests.

A known document with clearly different names is refused (Conflict naming the stored person),
so a mistyped DNI never silently attaches someone else's record. Contact data (phone, e-mail,
address) is updated when given; every new record and every update is an event.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import Conflict, InvalidInput, NotFound
from kiosk.ids import new_id
from kiosk.rules.identity import (
    DOC_NAMES,
    DocType,
    same_business,
    same_person,
    validate_document,
    validate_ruc,
)
from kiosk.rules.names import fold, full_name, search_key
from kiosk.services.expediente_views import (
    BusinessInput,
    BusinessView,
    PersonInput,
    PersonView,
)
from kiosk.services.unit_of_work import UnitOfWork
from kiosk.storage.tables import Business, Person

CONTACT_FIELDS = ("phone", "email", "address")


def _tidy(text: str | None) -> str | None:
    """Single spaces, no surrounding blanks; empty text is no text."""
    if text is None:
        return None
    tidy = " ".join(text.split())
    return tidy or None


def _required(text: str, what: str) -> str:
    tidy = _tidy(text)
    if tidy is None:
        raise InvalidInput("invalid_name", f"Falta {what}.")
    return tidy


def person_view(person: Person) -> PersonView:
    return PersonView(
        id=person.id, doc_type=person.doc_type, doc_number=person.doc_number,
        given_names=person.given_names, paternal_surname=person.paternal_surname,
        maternal_surname=person.maternal_surname,
        full_name=full_name(person.given_names, person.paternal_surname,
                            person.maternal_surname),
        phone=person.phone, email=person.email, address=person.address)


def business_view(business: Business) -> BusinessView:
    return BusinessView(id=business.id, ruc=business.ruc, name=business.name,
                        address=business.address)


def get_person(session: Session, office_id: str, person_id: str) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.office_id != office_id:
        raise NotFound("unknown_person",
                       "Esa persona no está registrada en esta oficina. Búsquela de nuevo por "
                       "su documento o regístrela.")
    return person


def _contact_changes(row: Person | Business, given: dict[str, str | None]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for field, value in given.items():
        if value is not None and getattr(row, field) != value:
            changes[field] = value
            setattr(row, field, value)
    return changes


def find_or_create_person(uow: UnitOfWork, data: PersonInput, device_id: str | None
                          ) -> Person:
    """The person with that document (contact data updated), or a new record."""
    doc_type = DocType(data.doc_type)
    number = validate_document(doc_type, data.doc_number)
    given = _required(data.given_names, "el nombre de la persona")
    paternal = _required(data.paternal_surname, "el apellido paterno")
    maternal = _tidy(data.maternal_surname)
    contact = {"phone": _tidy(data.phone), "email": _tidy(data.email),
               "address": _tidy(data.address)}
    if contact["email"] is not None and "@" not in contact["email"]:
        raise InvalidInput("invalid_email",
                           f"El correo «{contact['email']}» no es válido: falta la «@».")
    person = uow.session.scalar(select(Person).where(
        Person.office_id == uow.office.office_id, Person.doc_type == doc_type,
        Person.doc_number == number))
    if person is None:
        person = Person(
            id=new_id(), office_id=uow.office.office_id, doc_type=doc_type, doc_number=number,
            given_names=given, paternal_surname=paternal, maternal_surname=maternal,
            search_name=search_key(paternal, maternal, given), created_at=uow.now,
            updated_at=uow.now, **contact)
        uow.session.add(person)
        uow.record("person", person.id, "person_added",
                   {"doc_type": str(doc_type), "doc_number": number, "given_names": given,
                    "paternal_surname": paternal, "maternal_surname": maternal, **contact},
                   device_id)
        return person
    stored = (person.given_names, person.paternal_surname, person.maternal_surname)
    if not same_person(stored, (given, paternal, maternal)):
        shown = full_name(*stored)
        raise Conflict(
            "document_name_mismatch",
            f"El {DOC_NAMES[doc_type]} {number} ya está registrado a nombre de {shown}, no de "
            f"{full_name(given, paternal, maternal)}. Revise el número del documento; si los "
            "datos registrados están mal, corríjalos antes de continuar.")
    changes = _contact_changes(person, contact)
    if person.maternal_surname is None and maternal is not None:
        person.maternal_surname = changes["maternal_surname"] = maternal
        person.search_name = search_key(person.paternal_surname, maternal, person.given_names)
    if changes:
        person.updated_at = uow.now
        uow.record("person", person.id, "person_updated", changes, device_id)
    return person


def find_or_create_business(uow: UnitOfWork, data: BusinessInput, representative: Person | None,
                            device_id: str | None) -> Business:
    """The business with that RUC (address and representative updated), or a new record."""
    ruc = validate_ruc(data.ruc)
    name = _required(data.name, "la razón social o el nombre comercial")
    address = _tidy(data.address)
    business = uow.session.scalar(select(Business).where(
        Business.office_id == uow.office.office_id, Business.ruc == ruc))
    representative_id = representative.id if representative is not None else None
    if business is None:
        business = Business(
            id=new_id(), office_id=uow.office.office_id, ruc=ruc, name=name,
            search_name=fold(name), address=address, representative_id=representative_id,
            created_at=uow.now, updated_at=uow.now)
        uow.session.add(business)
        uow.record("business", business.id, "business_added",
                   {"ruc": ruc, "name": name, "address": address,
                    "representative_id": representative_id}, device_id)
        return business
    if not same_business(business.name, name):
        raise Conflict(
            "document_name_mismatch",
            f"El RUC {ruc} ya está registrado a nombre de «{business.name}», no de «{name}». "
            "Revise el número del RUC.")
    changes = _contact_changes(business, {"address": address})
    if representative_id is not None and business.representative_id != representative_id:
        business.representative_id = changes["representative_id"] = representative_id
    if changes:
        business.updated_at = uow.now
        uow.record("business", business.id, "business_updated", changes, device_id)
    return business
