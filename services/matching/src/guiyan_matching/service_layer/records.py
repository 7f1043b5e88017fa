"""What matching checks before an event changes its record of a park or project: that it plans
the event's city, and that the event, its record and what matching holds all name that city.
An event that fails is parked with the reason; nothing is changed."""

from __future__ import annotations

from guiyan_contracts.envelope import Event
from guiyan_contracts.models import Park, Project
from guiyan_contracts.taxonomy import UnknownCity
from guiyan_eventing.errors import Rejected

from ..adapters.policies import load_policy
from ..adapters.unit_of_work import MatchingUnitOfWork


def plans_its_city(event: Event) -> None:
    try:
        load_policy(event.tenant_id)
    except UnknownCity as error:
        raise Rejected(f"matching does not plan this city: {error}") from None


def in_its_city(uow: MatchingUnitOfWork, kind: str, record: Park | Project, event: Event) -> None:
    plans_its_city(event)
    if record.tenant_id != event.tenant_id:
        raise Rejected(f"the event is for {event.tenant_id}, but its {kind} {record.id} says "
                       f"{record.tenant_id}")
    recorded = uow.matching.city_of(kind, record.id)
    if recorded is not None and recorded != event.tenant_id:
        raise Rejected(f"{kind} {record.id} is recorded in {recorded}, not {event.tenant_id}")
