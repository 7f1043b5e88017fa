from __future__ import annotations

import contextlib
from typing import Any

from fastapi import APIRouter, HTTPException

from guiyan_contracts import api, matching, registry
from guiyan_contracts.models import Id, Park, ParkFields
from guiyan_contracts.taxonomy import Taxonomy, UnknownCity, load_taxonomy

from ..access import Admin, Caller, IdempotencyKey, ParkReader, Services, VisibleOccupancy
from ..errors import answers
from ..paging import Limit, Offset

router = APIRouter(prefix="/api/v1", tags=["parks"])


@router.get("/taxonomy", response_model=Taxonomy, responses=answers(401, 404))
async def taxonomy(caller: Caller) -> Any:
    """The caller's city's sectors, chains and links (upstream first), counties and facilities."""
    try:
        return load_taxonomy(caller.tenant_id)
    except UnknownCity as error:
        raise HTTPException(404, str(error)) from None


@router.post("/parks", response_model=Park, status_code=201,
             responses=answers(401, 403, 409, 413, 422, 502, 503))
async def create_park(body: api.NewPark, caller: Admin, services: Services,
                      key: IdempotencyKey) -> Any:
    """Register a park (admins). Sending the same `id` and fields again is safe."""
    return await services.ask(registry.RegisterPark(
        tenant_id=caller.tenant_id, park_id=body.id, park=body.model_dump(exclude={"id"}),
        idempotency_key=key), Park)


@router.put("/parks/{park_id}", response_model=Park,
            responses=answers(401, 403, 404, 409, 413, 422, 502, 503))
async def update_park(park_id: Id, body: ParkFields, caller: Admin, services: Services) -> Any:
    """The park's whole new state (admins). If it now holds more than it has, pending offers are
    withdrawn (lowest score first) and their managers told why. A capacity below what accepted
    placements use is refused (409). An update registry refuses changes nothing (one refused
    only after matching held the park within it leaves withdrawn what that withdrew)."""
    update = registry.UpdatePark(tenant_id=caller.tenant_id, park_id=park_id,
                                 updated_by=caller.user_id, park=body)
    # Registry checks the update first, then matching holds the park within it, so that no
    # accept lands between registry's commit and matching hearing of it; only then does
    # registry commit. Should registry refuse after all, matching lets the park go again.
    await services.ask(update.model_copy(update={"validate_only": True}), Park)
    limit = matching.CapacityLimit.model_validate(body, from_attributes=True)
    await services.ask(matching.LimitParkCapacity(
        tenant_id=caller.tenant_id, park_id=park_id, limited_by=caller.user_id, limit=limit),
        matching.ParkCommitments)
    try:
        return await services.ask(update, Park)
    except HTTPException as refused:
        if refused.status_code != 503:  # refused for sure, not merely unanswered
            with contextlib.suppress(HTTPException):  # else it promises less until its next update
                await services.ask(matching.ReleaseParkLimit(
                    tenant_id=caller.tenant_id, park_id=park_id, limit=limit),
                    matching.ParkCommitments)
        raise


@router.get("/parks", response_model=api.Page[Park], responses=answers(401, 422, 502, 503))
async def list_parks(caller: ParkReader, services: Services, limit: Limit(1000) = 200,
                     offset: Offset = 0) -> Any:
    """The city's parks, by id (everyone but a station's head)."""
    found = await services.ask(registry.ListParks(tenant_id=caller.tenant_id, limit=limit,
                                                  offset=offset), registry.ParkList)
    return api.Page[Park](items=found.parks, total=found.total, limit=limit, offset=offset)


@router.get("/parks/{park_id}", response_model=Park, responses=answers(401, 404, 422, 502, 503))
async def get_park(park_id: Id, caller: ParkReader, services: Services) -> Any:
    return await services.ask(registry.GetPark(tenant_id=caller.tenant_id, park_id=park_id), Park)


@router.get("/parks/{park_id}/occupancy", response_model=matching.ParkOccupancy,
            responses=answers(401, 403, 404, 409, 422, 502, 503))
async def park_occupancy(occupancy: VisibleOccupancy) -> Any:
    """The park's room and budget as matching promises them: per resource the park has, its
    capacity, what accepted placements use, what pending offers hold, and what is free (never
    below 0: a park shrunk below what it holds shows 0 free). The park's managers, and the
    city's staff and admins."""
    return occupancy
