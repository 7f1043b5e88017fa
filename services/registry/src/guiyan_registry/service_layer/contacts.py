"""The contact ledger: visits, calls, holiday greetings and meetings with people, each of which
may do a follow-up task."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.people import (
    Contact,
    ContactList,
    ListContacts,
    RecordContact,
    TaskStatus,
)
from guiyan_contracts.refusals import Invalid

from ..adapters.unit_of_work import RegistryUnitOfWork
from ..domain.rules import contact_day_errors
from .handlers import replayed
from .people import existing, updated

# The cities served keep China's time (UTC+8), by which matching counts their days too.
CITY_UTC_OFFSET = timedelta(hours=8)


def record_contact(command: RecordContact, uow: RegistryUnitOfWork) -> Contact:
    """The person's last contact moves to this one's day, if later, and is sent on (leads rank
    recent contact); the task it does, if any, is done by it. Sent again with the same id and
    fields, it answers as the first time did."""
    contact_id = command.contact_id or str(uuid4())
    recorded = uow.follow_ups.contact(command.tenant_id, contact_id)
    same_person = recorded is not None and recorded.person_id == command.person_id
    first = replayed("contact", contact_id, recorded if same_person else None,
                     uow.follow_ups.contact_taken(contact_id), command.contact)
    if first is not None:
        return first  # type: ignore[return-value]
    person = existing(command.tenant_id, command.person_id, uow)
    if errors := contact_day_errors(command.contact.on, (utc_now() + CITY_UTC_OFFSET).date()):
        raise Invalid("the contact is invalid", errors)
    contact = Contact(id=contact_id, tenant_id=command.tenant_id, person_id=person.id,
                      recorded_by=command.recorded_by, recorded_at=utc_now(),
                      **command.contact.model_dump())
    if command.contact.task_id is not None:
        _close_task(contact, uow)
    uow.follow_ups.add_contact(contact)
    last = max(filter(None, (person.last_contact_on, contact.on)))
    person = person.model_copy(update={"last_contact_on": last})
    uow.people.replace(person)
    uow.emit(updated(person, command.correlation_id))
    return contact


def list_contacts(query: ListContacts, uow: RegistryUnitOfWork) -> ContactList:
    contacts, total = uow.follow_ups.contacts(query.tenant_id, query.person_id, query.limit,
                                              query.offset)
    return ContactList(contacts=contacts, total=total)


def _close_task(contact: Contact, uow: RegistryUnitOfWork) -> None:
    task = uow.follow_ups.task(contact.tenant_id, contact.task_id)  # type: ignore[arg-type]
    if task is None or task.person_id != contact.person_id:
        raise Invalid.at(["contact", "task_id"],
                         f"no task {contact.task_id!r} to contact this person")
    if task.status is not TaskStatus.open:  # a cancelled task stays cancelled (consent withdrawn)
        raise Invalid.at(["contact", "task_id"], f"task {task.id!r} is closed already")
    uow.follow_ups.replace_task(task.model_copy(update={
        "status": TaskStatus.done, "done_at": task.done_at or contact.recorded_at,
        "contact_id": contact.id}))
