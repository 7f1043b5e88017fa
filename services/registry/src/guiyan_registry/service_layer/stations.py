"""Service stations (返乡创业服务站): the city's outposts among natives working away, which
recommend projects and people. Stations are no event: other services know them by id only,
from a project's source and a person's station."""

from __future__ import annotations

from uuid import uuid4

from guiyan_contracts.envelope import utc_now
from guiyan_contracts.people import (
    GetStation,
    ListStations,
    RegisterStation,
    Station,
    StationFields,
    StationList,
    UpdateStation,
)
from guiyan_contracts.refusals import Conflict, Invalid, NotFound

from ..adapters.unit_of_work import RegistryUnitOfWork
from ..domain.rules import station_record_errors
from .handlers import city_taxonomy, replayed


def register_station(command: RegisterStation, uow: RegistryUnitOfWork) -> Station:
    """Sent again with the same id and fields (the demo's stations, loaded on every start), it
    answers as the first time did."""
    station_id = command.station_id or str(uuid4())
    first = replayed("station", station_id, uow.stations.get(command.tenant_id, station_id),
                     uow.stations.taken(station_id), command.station)
    if first is not None:
        return first  # type: ignore[return-value]
    _check(command.tenant_id, station_id, command.station, uow)
    station = Station(id=station_id, tenant_id=command.tenant_id, created_at=utc_now(),
                      **command.station.model_dump())
    uow.stations.add(station)
    return station


def update_station(command: UpdateStation, uow: RegistryUnitOfWork) -> Station:
    current = get_station(GetStation(tenant_id=command.tenant_id,
                                     station_id=command.station_id), uow)
    _check(command.tenant_id, current.id, command.station, uow)
    station = Station(id=current.id, tenant_id=current.tenant_id, created_at=current.created_at,
                      updated_at=utc_now(), **command.station.model_dump())
    uow.stations.replace(station)
    return station


def get_station(query: GetStation, uow: RegistryUnitOfWork) -> Station:
    if station := uow.stations.get(query.tenant_id, query.station_id):
        return station
    raise NotFound(f"no station {query.station_id!r}")


def list_stations(query: ListStations, uow: RegistryUnitOfWork) -> StationList:
    stations, total = uow.stations.page(query)
    return StationList(stations=stations, total=total)


def _check(tenant_id: str, station_id: str, station: StationFields,
           uow: RegistryUnitOfWork) -> None:
    """A ledger names stations by name, so two of one name in a city could not be told apart."""
    taxonomy = city_taxonomy(tenant_id)
    if errors := station_record_errors(station, taxonomy, uow.registry.users(tenant_id)):
        raise Invalid("the station is invalid", errors)
    if uow.stations.named(tenant_id, station.name) not in (None, station_id):
        raise Conflict(f"the city has a station named {station.name!r}")
