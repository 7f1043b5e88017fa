"""Who is calling and what they may touch: every access rule of the portal, each a dependency.

A route states its rules in its signature (`caller: Admin`, `proposal: VisibleProposal`) and
checks nothing itself. A bearer token or the session cookie gives the caller's user and city;
every request to a service is scoped to that city, so another city's records are not found
(404). The user is read from registry on each request (their standing, role and parks), so a
change applies at once.

FastAPI resolves a dependency's own dependencies in the order it names them, and all of them
before the route's path, query and body are checked: a rule that joins a role to a look-up names
the role first (`decidable_proposal`), so that a caller of another role is refused (403) before
anything is looked up; and a caller without a token, or of another role, gets 401 or 403
whatever the body they sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

import jwt
from fastapi import Depends, Header, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from guiyan_contracts import api, matching, notification, people, registry
from guiyan_contracts.envelope import FieldError
from guiyan_contracts.models import Id, Park, Proposal, Role

from .auth import Principal, principal_of, read_token
from .config import PortalSettings
from .gateway import Gateway
from .placements import placements
from .sessions import SESSION_COOKIE, read_session, refuse_forged

bearer = HTTPBearer(auto_error=False)


def settings(request: Request) -> PortalSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def gateway(request: Request) -> Gateway:
    return request.app.state.gateway  # type: ignore[no-any-return]


Settings = Annotated[PortalSettings, Depends(settings)]
Services = Annotated[Gateway, Depends(gateway)]


async def principal(request: Request, config: Settings, services: Services,
                    credentials: Annotated[HTTPAuthorizationCredentials | None,
                                           Depends(bearer)]) -> Principal:
    """The caller, from a bearer token (scripts) or else the session cookie (browsers), as
    registry has them now: a disabled user is refused either way, and a session issued before
    the user's epoch was raised has ended. Async although it may not await: FastAPI runs a plain
    `def` dependency in a worker thread, a thread hop on every request."""
    if credentials is not None:
        try:
            claimed = read_token(config.auth_secret.get_secret_value(), credentials.credentials)
        except jwt.InvalidTokenError:
            raise HTTPException(401, "invalid bearer token",
                                headers={"WWW-Authenticate": "Bearer"}) from None
        view = await registered(services, claimed.tenant_id, claimed.user_id)
        if view is None:  # a token for a user registry does not know, as the first admin's is
            return claimed
        if view.user.disabled:
            raise HTTPException(401, "this user is disabled", headers={"WWW-Authenticate": "Bearer"})
        request.state.user_view = view  # for a page's frame: registry is asked once a request
        return principal_of(view)
    session = read_session(config, request.cookies.get(SESSION_COOKIE))
    if session is None:
        raise HTTPException(401, "sign in, or send a bearer token",
                            headers={"WWW-Authenticate": "Bearer"})
    view = await registered(services, session.tenant_id, session.user_id)
    if view is None or view.user.disabled or view.session_epoch != session.epoch:
        raise HTTPException(401, "this session has ended; sign in again",
                            headers={"WWW-Authenticate": "Bearer"})
    request.state.session = session
    request.state.user_view = view
    await refuse_forged(request, session)
    return principal_of(view)


async def registered(services: Gateway, city: str, user_id: str) -> registry.UserView | None:
    try:
        return await services.ask(registry.GetUser(tenant_id=city, user_id=user_id),
                                  registry.UserView)
    except HTTPException as error:
        if error.status_code == 404:
            return None
        raise


Caller = Annotated[Principal, Depends(principal)]


def require(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency giving the caller if their role is one of `roles`, else refusing (403)."""

    async def caller_in_role(caller: Caller) -> Principal:
        if caller.role not in roles:
            raise HTTPException(403, f"needs role {' or '.join(r.value for r in roles)}")
        return caller

    return caller_in_role


# Who may change projects; and who may read the whole city, leaders besides, who change nothing
# (every route that writes names a role a leader does not have).
PROJECT_WRITERS = (Role.staff, Role.admin)
CITY_READERS = (*PROJECT_WRITERS, Role.leader)
# Who sees the city's parks: everyone but a station's head, who sees their station and its
# people only.
PARK_READERS = (*CITY_READERS, Role.park_manager)
# Who reads people's records: staff and admins the city's, a station's head their station's.
# Leaders see stations and their figures, never a person's record.
PEOPLE_READERS = (*PROJECT_WRITERS, Role.station)
STATION_READERS = (*CITY_READERS, Role.station)

Admin = Annotated[Principal, Depends(require(Role.admin))]
StaffOrAdmin = Annotated[Principal, Depends(require(*PROJECT_WRITERS))]
CityReader = Annotated[Principal, Depends(require(*CITY_READERS))]
ManagerOrAdmin = Annotated[Principal, Depends(require(Role.park_manager, Role.admin))]
ParkReader = Annotated[Principal, Depends(require(*PARK_READERS))]
PeopleReader = Annotated[Principal, Depends(require(*PEOPLE_READERS))]
StationReader = Annotated[Principal, Depends(require(*STATION_READERS))]


async def idempotency_key(caller: Caller, key: Annotated[str | None, Header(
        alias="Idempotency-Key", min_length=1, max_length=200, pattern=r"^[!-~]+$",
        description="Any string of your choosing (a UUID, say), new for each new request. "
                    "Sent again with the same key, the request is answered as the first time "
                    "and changes nothing more; with another body it is refused (422). A refusal "
                    "is not kept: sent again, it is answered afresh. Keys are kept for a day "
                    "(IDEMPOTENCY_RETENTION_SECONDS).")] = None) -> str | None:
    """The key as the services keep it: one caller's keys never meet another's."""
    return f"{caller.user_id}:{key}" if key else None


IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]


async def managed_parks(caller: Caller) -> list[str] | None:
    """The parks a caller may see proposals of; None means every park of the city. A station's
    head sees none: every rule about parks, proposals and projects refuses them here."""
    if caller.role is Role.station:
        raise HTTPException(403, "a station sees its station and its people only")
    if caller.role is not Role.park_manager:
        return None
    if caller.managed_park_ids is None:
        raise HTTPException(403, "this manager is not registered in the city")
    return list(caller.managed_park_ids)


ManagedParks = Annotated[list[str] | None, Depends(managed_parks)]


async def proposal_parks(parks: ManagedParks, park_id: Id | None = None) -> list[str] | None:
    """The parks whose proposals a list shows: the one asked for, if the caller may see it;
    else all the caller may see (None: every park of the city)."""
    if park_id is None:
        return parks
    if parks is not None and park_id not in parks:
        raise HTTPException(403, "you do not manage this park")
    return [park_id]


ProposalParks = Annotated[list[str] | None, Depends(proposal_parks)]


async def visible_proposal(proposal_id: Id, caller: Caller, services: Services) -> Proposal:
    """The proposal, if the caller may see it: a manager only those of their parks. It is looked
    up before the caller's parks, so that another city's is not found (404) whoever asks."""
    proposal = await services.ask(matching.GetProposal(tenant_id=caller.tenant_id,
                                                       proposal_id=proposal_id), Proposal)
    parks = await managed_parks(caller)
    if parks is not None and proposal.park_id not in parks:
        raise HTTPException(403, "this proposal is for a park you do not manage")
    return proposal


VisibleProposal = Annotated[Proposal, Depends(visible_proposal)]


async def decidable_proposal(_: ManagerOrAdmin, proposal: VisibleProposal) -> Proposal:
    """A proposal the caller may accept or reject: the park's managers, and admins."""
    return proposal


DecidableProposal = Annotated[Proposal, Depends(decidable_proposal)]


async def visible_occupancy(park_id: Id, caller: Caller, services: Services
                            ) -> matching.ParkOccupancy:
    """A park's occupancy, if the caller may see it: staff and admins every park of the city, a
    manager only the parks they manage. Looked up first, as a proposal is, so that another
    city's park is not found (404) whoever asks."""
    occupancy = await services.ask(matching.GetParkOccupancy(tenant_id=caller.tenant_id,
                                                             park_id=park_id),
                                   matching.ParkOccupancy)
    parks = await managed_parks(caller)
    if parks is not None and park_id not in parks:
        raise HTTPException(403, "you do not manage this park")
    return occupancy


VisibleOccupancy = Annotated[matching.ParkOccupancy, Depends(visible_occupancy)]


async def visible_project(project_id: Id, caller: Caller, services: Services) -> api.ProjectView:
    """The project with its placement, if the caller may see it: staff and admins every project
    of the city, a manager only those proposed to (or placed in) a park of theirs. Looked up
    first, as a proposal is."""
    project = await services.ask(registry.GetProject(tenant_id=caller.tenant_id,
                                                     project_id=project_id), registry.Project)
    placement = (await placements(services, caller.tenant_id, [project_id], True))[project_id]
    parks = await managed_parks(caller)
    if parks is not None and (placement.proposal is None or placement.proposal.park_id not in parks):
        raise HTTPException(403, "this project is not proposed to a park you manage")
    return api.ProjectView(project=project, placement=placement)


VisibleProject = Annotated[api.ProjectView, Depends(visible_project)]


async def previewable(body: api.WhatIf, _: ManagerOrAdmin, parks: ManagedParks) -> api.WhatIf:
    """A what-if the caller may try: managers (and admins) only, a manager only on the parks
    they manage."""
    if parks is not None and (foreign := {c.park_id for c in body.changes} - set(parks)):
        raise HTTPException(403, f"you do not manage {', '.join(sorted(foreign))}")
    return body


Previewable = Annotated[api.WhatIf, Depends(previewable)]


async def visible_park(park_id: Id, caller: Principal, services: Gateway
                       ) -> tuple[Park, list[str] | None]:
    """The park and the parks the caller manages (None: every park of the city), if the caller
    may see its page: a manager their own parks, staff and admins every park of the city.
    Looked up before the caller's parks, as a proposal is, so that another city's park is not
    found (404) whoever asks."""
    park = await services.ask(registry.GetPark(tenant_id=caller.tenant_id, park_id=park_id), Park)
    managed = await managed_parks(caller)
    if managed is not None and park_id not in managed:
        raise HTTPException(403, "you do not manage this park")
    return park, managed


@dataclass(frozen=True)
class ChainScope:
    """The parks a chain map weighs: `park` alone when one is asked for, else `park_ids` (None:
    every park of the city)."""

    park: Park | None
    park_ids: list[str] | None


async def chain_scope(caller: Caller, services: Services, park_id: Id | None = None
                      ) -> ChainScope:
    """Staff and admins see the whole city's map, or one park's; a manager their own parks'
    (the projects on a map are those of the parks it weighs), or one of them. A park is looked
    up first, as on its page, so that another city's is not found (404) whoever asks."""
    if park_id is None:
        return ChainScope(None, await managed_parks(caller))
    park, _managed = await visible_park(park_id, caller, services)
    return ChainScope(park, [park.id])


ChainParks = Annotated[ChainScope, Depends(chain_scope)]


def own_station(caller: Principal) -> str | None:
    """The station a caller is limited to: a station's head their own; None for every other
    role, who see every station of the city. A station user registry names no station for sees
    nothing (403)."""
    if caller.role is not Role.station:
        return None
    if caller.station_id is None:
        raise HTTPException(403, "this station user heads no station")
    return caller.station_id


async def visible_station(station_id: Id, caller: StationReader, services: Services) -> people.Station:
    """The station, if the caller may see it: staff, admins and leaders every station of the
    city, a station's head only their own (another is not found, 404, as another city's)."""
    limit = own_station(caller)
    station = await services.ask(people.GetStation(tenant_id=caller.tenant_id,
                                                     station_id=station_id), people.Station)
    if limit is not None and station.id != limit:
        raise HTTPException(404, "no such station")
    return station


VisibleStation = Annotated[people.Station, Depends(visible_station)]


async def people_station(caller: PeopleReader, station_id: Id | None = None) -> str | None:
    """The station whose people a list shows: a station's head always their own (asking for
    another's is refused, 403); others the one asked for, or none (every person of the city)."""
    limit = own_station(caller)
    if limit is not None and station_id not in (None, limit):
        raise HTTPException(403, "a station sees its own people only")
    return limit or station_id


PeopleStation = Annotated[str | None, Depends(people_station)]


async def visible_person(person_id: Id, caller: PeopleReader, services: Services) -> people.Person:
    """The person's record, if the caller may see it (the read is logged in registry): staff and
    admins anyone of the city, a station's head the people of their station; anyone else is not
    found (404), as another city's person is."""
    limit = own_station(caller)
    person = await services.ask(people.GetPerson(tenant_id=caller.tenant_id,
                                                   person_id=person_id,
                                                   read_by=caller.user_id), people.Person)
    if limit is not None and person.station_id != limit:
        raise HTTPException(404, "no such person")
    return person


VisiblePerson = Annotated[people.Person, Depends(visible_person)]


async def visible_notice(notification_id: Id, caller: Caller, services: Services
                         ) -> notification.Notice:
    """A notification whose delivery log the caller may read: their own, or any of the city's
    for an admin. Anyone else's is not found (404), as another city's is."""
    notice = await services.ask(notification.GetNotification(
        tenant_id=caller.tenant_id, notification_id=notification_id), notification.Notice)
    if caller.role is not Role.admin and notice.user_id != caller.user_id:
        raise HTTPException(404, "no such notification")
    return notice


VisibleNotice = Annotated[notification.Notice, Depends(visible_notice)]


async def channel_owner_errors(services: Gateway, caller: Principal,
                               channel: notification.ChannelFields) -> list[FieldError]:
    """Why a channel's park or user cannot be its owner: notification takes any id within the
    city the request names, so a park or user of another city, or of none, is refused here."""
    if channel.park_id is not None:
        owner, kind, what = "park_id", "unknown_park", "park"
        look_up: Awaitable[object] = services.ask(registry.GetPark(
            tenant_id=caller.tenant_id, park_id=channel.park_id), Park)
    else:
        owner, kind, what = "user_id", "unknown_user", "user"
        look_up = services.ask(registry.GetUser(tenant_id=caller.tenant_id,
                                                user_id=channel.user_id or ""), registry.UserView)
    try:
        await look_up
    except HTTPException as error:
        if error.status_code != 404:
            raise
        return [FieldError(loc=[owner], msg=f"not a {what} of this city", type=kind)]
    return []
