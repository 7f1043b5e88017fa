"""The registry of people (在外人员库, 返乡创业人员库): natives working away, back home, or
founders of a business at home.

A person's name, phone and notes stay here: events carry their `PersonFacts` only. Every read
of personal records (one, by ids, or a filtered list) is logged in the same transaction as it
is answered, with who read, for what purpose, how many and with which filters."""

from __future__ import annotations

import json
from datetime import datetime
from uuid import uuid4

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.people import (
    GetPeople,
    GetPerson,
    ListPeople,
    ListPersonalDataReads,
    Person,
    PersonalDataRead,
    PersonalDataReadList,
    PersonFacts,
    PersonFields,
    PersonList,
    PersonRegistered,
    PersonUpdated,
    RegisterPerson,
    UpdatePerson,
)
from guiyan_contracts.refusals import Invalid, NotFound

from ..adapters.unit_of_work import RegistryUnitOfWork
from ..domain.rules import person_errors
from . import tasks
from .handlers import PRODUCER, city_taxonomy, replayed

# What a list's log leaves out of its filters: who asked and why are logged on their own, and
# paging and order change no one's data read.
NOT_FILTERS = {"tenant_id", "correlation_id", "idempotency_key", "read_by", "purpose", "limit",
               "offset", "sort"}


def new_person(tenant_id: str, person_id: str, fields: PersonFields, now: datetime) -> Person:
    return Person(id=person_id, tenant_id=tenant_id, created_at=now, **fields.model_dump())


def registered(person: Person, correlation_id: str | None) -> PersonRegistered:
    return PersonRegistered(producer=PRODUCER, tenant_id=person.tenant_id,
                            correlation_id=correlation_id, person=PersonFacts.of(person))


def updated(person: Person, correlation_id: str | None) -> PersonUpdated:
    return PersonUpdated(producer=PRODUCER, tenant_id=person.tenant_id,
                         correlation_id=correlation_id, person=PersonFacts.of(person))


def corrected(current: Person, fields: PersonFields, now: datetime) -> Person:
    """The person with a whole new record; when they were last contacted and the projects they
    brought stay."""
    return current.model_copy(update={**fields.model_dump(), "updated_at": now})


def register_person(command: RegisterPerson, uow: RegistryUnitOfWork) -> Person:
    """Sent again with the same id and fields, it answers as the first time did."""
    person_id = command.person_id or str(uuid4())
    first = replayed("person", person_id, uow.people.get(command.tenant_id, person_id),
                     uow.people.taken(person_id), command.person)
    if first is not None:
        return first  # type: ignore[return-value]
    _check(command.tenant_id, command.person, uow)
    person = new_person(command.tenant_id, person_id, command.person, utc_now())
    uow.people.add(person)
    uow.emit(registered(person, command.correlation_id))
    return person


def update_person(command: UpdatePerson, uow: RegistryUnitOfWork) -> Person:
    """A correction, or consent given or withdrawn: sent on as `PersonUpdated`, so that a
    person who withdrew consent stops being anyone's lead; their open follow-up tasks are
    cancelled."""
    current = existing(command.tenant_id, command.person_id, uow)
    _check(command.tenant_id, command.person, uow)
    person = corrected(current, command.person, utc_now())
    uow.people.replace(person)
    if current.contact_consent and not person.contact_consent:
        tasks.cancel_open(person.tenant_id, person.id, uow)
    uow.emit(updated(person, command.correlation_id))
    return person


def get_person(query: GetPerson, uow: RegistryUnitOfWork) -> Person:
    person = existing(query.tenant_id, query.person_id, uow)
    _log(uow, query.tenant_id, query.read_by, "people.get", 1, {"person_id": query.person_id})
    return person


def get_people(query: GetPeople, uow: RegistryUnitOfWork) -> PersonList:
    people = uow.people.many(query.tenant_id, query.person_ids)
    _log(uow, query.tenant_id, query.read_by, query.purpose, len(people),
         {"person_ids": ",".join(query.person_ids)})
    return PersonList(people=people, total=len(people))


def list_people(query: ListPeople, uow: RegistryUnitOfWork) -> PersonList:
    people, total = uow.people.page(query)
    filters = {name: value if isinstance(value, str) else json.dumps(value) for name, value in
               query.model_dump(mode="json", exclude=NOT_FILTERS, exclude_none=True).items()}
    _log(uow, query.tenant_id, query.read_by, query.purpose, len(people), filters)
    return PersonList(people=people, total=total)


def list_personal_data_reads(query: ListPersonalDataReads,
                             uow: RegistryUnitOfWork) -> PersonalDataReadList:
    reads, total = uow.people.reads(query.tenant_id, query.limit, query.offset)
    return PersonalDataReadList(reads=reads, total=total)


def existing(tenant_id: str, person_id: str, uow: RegistryUnitOfWork) -> Person:
    if person := uow.people.get(tenant_id, person_id):
        return person
    raise NotFound(f"no person {person_id!r}")


def _check(tenant_id: str, person: PersonFields, uow: RegistryUnitOfWork) -> None:
    taxonomy = city_taxonomy(tenant_id)
    named = [person.station_id] if person.station_id else []
    if errors := person_errors(person, taxonomy, uow.stations.ids(tenant_id, among=named)):
        raise Invalid("the person is invalid", errors)


def _log(uow: RegistryUnitOfWork, tenant_id: str, read_by: str, what: str, rows: int,
         filters: dict[str, str]) -> None:
    uow.people.log_read(PersonalDataRead(id=str(uuid4()), tenant_id=tenant_id, read_by=read_by,
                                         read_at=utc_now(), what=what, rows=rows,
                                         filters=filters))
