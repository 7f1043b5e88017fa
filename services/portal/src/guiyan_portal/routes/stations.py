"""Service stations (返乡创业服务站): the city's stations, and what each brought home."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError

from guiyan_contracts import api, people
from guiyan_contracts.models import Id
from guiyan_contracts.people import Station, StationFields, StationLevel
from guiyan_contracts.regions import Province

from ..access import (
    CityReader,
    IdempotencyKey,
    Services,
    StaffOrAdmin,
    VisibleStation,
)
from ..errors import answers
from ..filters import Day, Search, given
from ..paging import Limit, Offset
from ..stations import performance_page

router = APIRouter(prefix="/api/v1", tags=["stations"])

Since = Annotated[Day | None, Query(alias="from", description=(
    "The first day counted, in the city's time (none: from the first project)"))]
Until = Annotated[Day | None, Query(alias="to", description=(
    "The last day counted, included (none: to the latest project)"))]


def period(since: date | None, until: date | None) -> tuple[date | None, date | None]:
    if since and until and since > until:
        raise RequestValidationError([{"loc": ("query", "to"), "type": "period_reversed",
                                       "msg": "`to` is before `from`"}])
    return since, until


@router.post("/stations", response_model=Station, status_code=201,
             responses=answers(401, 403, 409, 413, 422, 502, 503))
async def create_station(body: api.NewStation, caller: StaffOrAdmin, services: Services,
                         key: IdempotencyKey) -> Any:
    """Register a service station (staff, admins). Sending the same `id` and fields again is
    safe."""
    return await services.ask(people.RegisterStation(
        tenant_id=caller.tenant_id, station_id=body.id, station=body.model_dump(exclude={"id"}),
        idempotency_key=key), Station)


@router.get("/stations", response_model=api.Page[Station],
            responses=answers(401, 403, 422, 502, 503))
async def list_stations(caller: CityReader, services: Services, q: Search = None,
                        level: StationLevel | None = None, province: Province | None = None,
                        limit: Limit(1000) = 500, offset: Offset = 0) -> Any:
    """The city's stations (staff, admins, leaders); `q` looks in the name, host city and
    head's name."""
    found = await services.ask(people.ListStations(
        tenant_id=caller.tenant_id, q=given(q), level=level, province=province, limit=limit,
        offset=offset), people.StationList)
    return api.Page[Station](items=found.stations, total=found.total, limit=limit,
                             offset=offset)


@router.get("/stations/performance", response_model=api.StationPerformancePage,
            responses=answers(401, 403, 422, 502, 503))
async def station_ranking(caller: CityReader, services: Services, since: Since = None,
                          until: Until = None) -> Any:
    """Every station of the city, those with no project among them, ranked by the projects
    placed that it recommended (submitted with it as their source between `from` and `to`)
    (staff, admins, leaders)."""
    return await performance_page(services, caller.tenant_id, *period(since, until))


@router.get("/stations/{station_id}", response_model=Station,
            responses=answers(401, 403, 404, 422, 502, 503))
async def get_station(station: VisibleStation) -> Any:
    """A station (staff, admins, leaders; a station's head their own)."""
    return station


@router.put("/stations/{station_id}", response_model=Station,
            responses=answers(401, 403, 404, 409, 413, 422, 502, 503))
async def update_station(station_id: Id, body: StationFields, caller: StaffOrAdmin,
                         services: Services) -> Any:
    """The station's whole new state (staff, admins)."""
    return await services.ask(people.UpdateStation(
        tenant_id=caller.tenant_id, station_id=station_id, updated_by=caller.user_id,
        station=body), Station)


@router.get("/stations/{station_id}/performance", response_model=api.StationPerformanceRow,
            responses=answers(401, 403, 404, 422, 502, 503))
async def station_performance(station: VisibleStation, services: Services, since: Since = None,
                              until: Until = None) -> Any:
    """What the station recommended between `from` and `to`: projects submitted with it as
    their source, those ever proposed to a park, placed now and withdrawn, with the investment
    and jobs of those placed; and its rank among the city's stations (its head, staff, admins,
    leaders)."""
    page = await performance_page(services, station.tenant_id, *period(since, until))
    return next(row for row in page.stations if row.station.id == station.id)
