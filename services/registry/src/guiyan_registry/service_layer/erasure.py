"""Erasure on request (PIPL art. 47): the person's record goes, with their contacts and tasks,
and every trace of them elsewhere in registry's database (`adapters/traces.py`); `PersonErased`
tells every other service to drop its copy.

What stays is the `PersonErased` row of the outbox, which carries the person's id alone: the
other services can only find their copies by it, and once the record is gone the id (a random
key) names no one. Nothing else is kept to know the person again, not even the answer to the
erasure: a retry with the same idempotency key is answered from a stored answer that holds the
time only, the id being the retry's own (`erase_person`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.people import ErasePerson, PersonErased, PersonErasure
from guiyan_eventing.idempotency import answer_once
from guiyan_eventing.request_transaction import answer_in_transaction

from ..adapters.unit_of_work import RegistryUnitOfWork
from ..domain.erasure import PersonTrace
from .handlers import PRODUCER
from .people import existing


class ErasedAt(BaseModel):
    """An erasure's stored answer: when, and not whom."""

    erased_at: datetime


def answer_erasure(command: ErasePerson,
                   unit_of_work: Callable[[], RegistryUnitOfWork]) -> PersonErasure:
    """As the runtime answers any request, but for the key: the runtime would store the answer
    whole, the person's id in it, so it is given the request without its key, and the key is
    kept by `erase_person`."""
    keyless = command.model_copy(update={"idempotency_key": None})
    return answer_in_transaction(keyless, unit_of_work,  # type: ignore[return-value]
                                 lambda _, uow: erase_person(command, uow), PersonErasure)


def erase_person(command: ErasePerson, uow: RegistryUnitOfWork) -> PersonErasure:
    """With an idempotency key, the answer is stored without the person's id, and a retry,
    which finds no one left to erase, is given the first erasure's time."""
    if command.idempotency_key is None:
        return _erase(command, uow)
    erased = answer_once(command, uow, lambda c, u: ErasedAt(erased_at=_erase(c, u).erased_at),
                         ErasedAt)
    return PersonErasure(person_id=command.person_id,
                         erased_at=erased.erased_at)  # type: ignore[attr-defined]


def _erase(command: ErasePerson, uow: RegistryUnitOfWork) -> PersonErasure:
    person = existing(command.tenant_id, command.person_id, uow)
    trace = PersonTrace(person_id=person.id, name=person.name, phone=person.phone)
    uow.follow_ups.forget_person(person.id)
    uow.people.delete(person.id)
    uow.traces.forget_events(person.id)
    uow.traces.forget_replies(command.tenant_id, trace)
    uow.traces.forget_staged_rows(command.tenant_id, trace)
    uow.traces.scrub_logged_filters(command.tenant_id, trace)
    uow.emit(PersonErased(producer=PRODUCER, tenant_id=command.tenant_id,
                          correlation_id=command.correlation_id, person_id=person.id))
    return PersonErasure(person_id=person.id, erased_at=utc_now())
