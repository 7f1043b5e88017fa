"""Who may open the pages of stations, people and tasks, and which records they see there.

Staff and admins work with every station and person of the city; a station's head (the
`station` role) with their own station and the people it knows; leaders see stations and how
they do, never a person's record. The station a head runs is registry's, read with the user on
each request, so that a change applies at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from guiyan_contracts import people as registry_people
from guiyan_contracts.models import Id, Role
from guiyan_contracts.people import Person, Station

from ..access import CITY_READERS, PROJECT_WRITERS, Caller, Services, require
from ..auth import Principal
from ..gateway import Gateway

PEOPLE_READERS = (*PROJECT_WRITERS, Role.station)
STATION_READERS = (*CITY_READERS, Role.station)

PeopleReader = Annotated[Principal, Depends(require(*PEOPLE_READERS))]
StationReader = Annotated[Principal, Depends(require(*STATION_READERS))]


def own_station(request: Request, caller: Principal) -> str | None:
    """The station a `station` caller heads (None for every other role); a head without a
    station sees nothing (403)."""
    if caller.role is not Role.station:
        return None
    view = getattr(request.state, "user_view", None)
    station_id = view.user.station_id if view is not None else None
    if station_id is None:
        raise HTTPException(403, "this station head is not linked to a station")
    return station_id  # type: ignore[no-any-return]


async def visible_station(request: Request, station_id: Id, caller: Caller,
                          services: Services) -> Station:
    """The station, looked up first (another city's is not found, 404), if the caller may see
    it: a head only their own."""
    station = await services.ask(registry_people.GetStation(
        tenant_id=caller.tenant_id, station_id=station_id), Station)
    if caller.role not in STATION_READERS:
        raise HTTPException(403, f"needs role {' or '.join(r.value for r in STATION_READERS)}")
    mine = own_station(request, caller)
    if mine is not None and mine != station_id:
        raise HTTPException(403, "this is not your station")
    return station


async def visible_person(request: Request, person_id: Id, caller: PeopleReader,
                         services: Services) -> Person:
    """The person's record, its read logged, if the caller may see it: a head only the people
    their station knows."""
    person = await read_person(services, caller, person_id)
    mine = own_station(request, caller)
    if mine is not None and person.station_id != mine:
        raise HTTPException(403, "this person is not known to your station")
    return person


async def read_person(services: Gateway, caller: Principal, person_id: Id) -> Person:
    return await services.ask(registry_people.GetPerson(
        tenant_id=caller.tenant_id, person_id=person_id, read_by=caller.user_id), Person)


VisibleStation = Annotated[Station, Depends(visible_station)]
VisiblePerson = Annotated[Person, Depends(visible_person)]
