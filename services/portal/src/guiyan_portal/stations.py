"""Station performance as leaders rank it: every station of the city, those that recommended
nothing among them, ranked by the projects placed."""

from __future__ import annotations

from datetime import date

from guiyan_contracts import api, matching, people
from guiyan_contracts.people import Station

from .gateway import Gateway


def no_projects(station_id: str) -> matching.StationPerformance:
    return matching.StationPerformance(station_id=station_id, recommended=0, proposed=0,
                                       placed=0, withdrawn=0, investment_yuan=0, jobs=0)


def ranked(stations: list[Station], figures: list[matching.StationPerformance]
           ) -> list[api.StationPerformanceRow]:
    """Each station with its figures (none: zeros), most placed first; stations placing as many
    share a rank (1, 1, 3), and among them the one recommending more comes first, then by name.
    Figures for a source that is no station of the city (an old free-text source) are left
    out."""
    by_station = {figure.station_id: figure for figure in figures}
    rows = [(station, by_station.get(station.id) or no_projects(station.id))
            for station in stations]
    rows.sort(key=lambda row: (-row[1].placed, -row[1].recommended, row[0].name))
    ranking: list[api.StationPerformanceRow] = []
    for position, (station, figure) in enumerate(rows, start=1):
        tied = ranking and ranking[-1].placed == figure.placed
        ranking.append(api.StationPerformanceRow(
            **figure.model_dump(), station=station,
            rank=ranking[-1].rank if tied else position))
    return ranking


async def city_stations(services: Gateway, tenant_id: str) -> list[Station]:
    stations: list[Station] = []
    while True:
        page = await services.ask(people.ListStations(tenant_id=tenant_id, limit=1000,
                                                      offset=len(stations)), people.StationList)
        stations += page.stations
        if not page.stations or len(stations) >= page.total:
            return stations


async def performance_page(services: Gateway, tenant_id: str, since: date | None,
                           until: date | None) -> api.StationPerformancePage:
    """The ranking of every station of the city over the days from `since` to `until`."""
    figures = await services.ask(matching.GetStationPerformance(
        tenant_id=tenant_id, since=since, until=until), matching.StationPerformanceList)
    return api.StationPerformancePage(
        since=since, until=until,
        stations=ranked(await city_stations(services, tenant_id), figures.stations))
