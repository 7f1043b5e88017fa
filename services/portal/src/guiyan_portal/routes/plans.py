from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from guiyan_contracts import api, matching
from guiyan_contracts.models import Id, Plan

from ..access import Caller, CityReader, IdempotencyKey, Previewable, Services, Settings
from ..errors import answers
from ..paging import Limit, Offset

router = APIRouter(prefix="/api/v1", tags=["plans"])


@router.get("/plans", response_model=api.Page[Plan], responses=answers(401, 403, 422, 502, 503))
async def list_plans(caller: CityReader, services: Services, limit: Limit(500) = 50,
                     offset: Offset = 0) -> Any:
    """The city's plans, newest first, each with its triggers, input fingerprint, solver
    statistics and resulting proposals (staff, admins, leaders)."""
    found = await services.ask(matching.ListPlans(tenant_id=caller.tenant_id, limit=limit,
                                                  offset=offset), matching.PlanList)
    return api.Page[Plan](items=found.plans, total=found.total, limit=limit, offset=offset)


@router.get("/plans/current", response_model=matching.PlanningStatus,
            responses=answers(401, 403, 502, 503))
async def planning_status(caller: CityReader, services: Services) -> Any:
    """The plan being solved right now, with its best objective and bound so far, and how
    many changes wait for the next one (staff, admins, leaders)."""
    return await services.ask(matching.GetPlanningStatus(tenant_id=caller.tenant_id),
                              matching.PlanningStatus)


@router.post("/plans/preview", response_model=matching.PlanPreview,
             responses=answers(401, 403, 404, 413, 422, 502, 503))
async def preview_plan(what_if: Previewable, caller: Caller, services: Services,
                       config: Settings, _: IdempotencyKey) -> Any:
    """What if these parks had these capacities? The next plan as the city is and as it would
    be, with the offers gained and lost; nothing is stored or offered, so an Idempotency-Key
    changes nothing here. Managers may try only the parks they manage."""
    return await services.ask(matching.PreviewPlan(tenant_id=caller.tenant_id,
                                                   changes=what_if.changes),
                              matching.PlanPreview, timeout=config.preview_timeout_seconds)


@router.get("/plans/{plan_id}", response_model=Plan,
            responses=answers(401, 403, 404, 422, 502, 503))
async def get_plan(plan_id: Id, caller: CityReader, services: Services) -> Any:
    return await services.ask(matching.GetPlan(tenant_id=caller.tenant_id, plan_id=plan_id), Plan)
