"""matching's copy of the city's people, kept from registry's events for chain-gap leads: only
`PersonFacts` (no name, phone or note). A change to a person who is, or was, a lead computes the
leads of the parks lacking their link again; an erasure drops the person from every store of
matching, and the leads announced with them."""

from __future__ import annotations

from guiyan_contracts.people import PersonErased, PersonFacts, PersonRegistered, PersonUpdated
from guiyan_eventing.errors import Rejected

from ..adapters.unit_of_work import MatchingUnitOfWork
from ..domain.leads import LinkKey, may_be_lead
from . import leads
from .records import plans_its_city


def _link(person: PersonFacts) -> set[LinkKey]:
    if person.sector and person.chain and person.link:
        return {(person.sector, person.chain, person.link)}
    return set()


def _recorded(uow: MatchingUnitOfWork, event: PersonRegistered | PersonUpdated | PersonErased,
              person_id: str) -> PersonFacts | None:
    plans_its_city(event)
    recorded = uow.people.person(person_id)
    if recorded is None:
        return None
    tenant_id, person = recorded
    if tenant_id != event.tenant_id:
        raise Rejected(f"person {person_id} is recorded in {tenant_id}, not {event.tenant_id}")
    return person


def record_person(event: PersonRegistered | PersonUpdated, uow: MatchingUnitOfWork) -> None:
    """The person's new facts. Registry never speaks of a person after erasing them, but an event
    from before the erasure can still arrive after it: one that failed and is redelivered after
    its successors (redelivery does not keep the stream's order), or one replayed from the dead
    letters. It must not bring the person back, so it is dropped when the city's digest of the
    person's id says they were erased."""
    person = event.person
    before = _recorded(uow, event, person.id)
    if uow.people.erased(event.tenant_id, person.id):
        return
    uow.people.save(event.tenant_id, person)
    if before == person or not ((before and may_be_lead(before)) or may_be_lead(person)):
        return  # no lead was, or is, made of them
    links = _link(person) | (_link(before) if before else set())
    leads.refresh(uow, event.tenant_id, uow.leads.parks_lacking(event.tenant_id, links))


def erase_person(event: PersonErased, uow: MatchingUnitOfWork) -> None:
    """The person's row goes; the parks whose leads named them, or that lack their link, are
    announced again without them; then the earlier announcements naming them are dropped from
    the outbox, so that no store of matching keeps their id."""
    person = _recorded(uow, event, event.person_id)
    parks = set(uow.leads.parks_naming(event.tenant_id, event.person_id))
    parks.update(uow.leads.parks_lacking(event.tenant_id, _link(person) if person else set()))
    uow.people.erase(event.tenant_id, event.person_id, event.occurred_at)
    leads.refresh(uow, event.tenant_id, parks)
    uow.leads.forget_announcements_naming(event.person_id)
