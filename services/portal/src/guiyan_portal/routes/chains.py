from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from guiyan_contracts import matching

from ..access import Caller, ChainParks, Services
from ..errors import answers

router = APIRouter(prefix="/api/v1", tags=["chains"])


@router.get("/chains/coverage", response_model=matching.ChainMap,
            responses=answers(401, 403, 404, 422, 502, 503))
async def chain_coverage(caller: Caller, scope: ChainParks, services: Services) -> Any:
    """The city's chains (产业链图谱), sector by sector, each link upstream first: the parks that
    host it as registered, those that host it only through a placed project, the parks that take
    the chain's sector but host the link neither way (`missing`: 补链 targets), and the projects
    placed on it and offered for it. `park_id` narrows it all to one park. A park manager sees
    the map of their own parks."""
    return await services.ask(matching.GetChainCoverage(tenant_id=caller.tenant_id,
                                                        park_ids=scope.park_ids), matching.ChainMap)
