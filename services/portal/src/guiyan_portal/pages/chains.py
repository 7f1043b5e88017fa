"""The chain map (产业链图谱): each chain of the city as a row of its links, upstream first, each
filled (hosted as registered, or through a placed project) or a hole."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from guiyan_contracts import matching

from ..access import Caller, ChainParks, Services
from .rendering import render

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Box:
    """One link as the map draws it: `registered` when a park registered it, else `placed` when a
    placed project brought it, else `missing`."""

    coverage: matching.LinkCoverage

    @property
    def state(self) -> str:
        if self.coverage.registered:
            return "registered"
        return "placed" if self.coverage.placed else "missing"


@dataclass(frozen=True)
class SectorChains:
    sector: str
    chains: list[tuple[matching.ChainCoverage, list[Box]]]


def by_sector(found: matching.ChainMap) -> list[SectorChains]:
    sectors: dict[str, SectorChains] = {}
    for chain in found.chains:
        sectors.setdefault(chain.sector, SectorChains(chain.sector, [])).chains.append(
            (chain, [Box(link) for link in chain.links]))
    return list(sectors.values())


@router.get("/chains", response_class=HTMLResponse)
async def chain_map(request: Request, caller: Caller, scope: ChainParks,
                    services: Services) -> HTMLResponse:
    found = await services.ask(matching.GetChainCoverage(
        tenant_id=caller.tenant_id, park_ids=scope.park_ids), matching.ChainMap)
    sectors = by_sector(found)
    boxes = [box for sector in sectors for _chain, row in sector.chains for box in row]
    totals = {state: sum(box.state == state for box in boxes)
              for state in ("registered", "placed", "missing")}
    return await render(request, "chains/map.html", caller, park=scope.park, sectors=sectors,
                        totals=totals)
