"""Admins' and staff's audit pages: the plans, and the dead letters."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from guiyan_contracts import api, matching

from ..access import Admin, CityReader, Services
from .rendering import render

router = APIRouter(include_in_schema=False)
PAGE = 50


@router.get("/plans", response_class=HTMLResponse)
async def plans(request: Request, caller: CityReader, services: Services,
                offset: int = Query(0, ge=0, le=1_000_000)) -> HTMLResponse:
    found = await services.ask(matching.ListPlans(tenant_id=caller.tenant_id, limit=PAGE,
                                                  offset=offset), matching.PlanList)
    planning = await services.ask(matching.GetPlanningStatus(tenant_id=caller.tenant_id),
                                matching.PlanningStatus)
    page = api.Page(items=found.plans, total=found.total, limit=PAGE, offset=offset)
    return await render(request, "admin/plans.html", caller, page=page, planning=planning,
                        href=lambda at: f"/plans?offset={at}")


@router.get("/admin/dead-letters", response_class=HTMLResponse)
async def dead_letters(request: Request, caller: Admin, services: Services,
                       after: int = Query(0, ge=0, le=2**63 - 1)) -> HTMLResponse:
    page = await services.dead_letters(caller.tenant_id, after, PAGE)
    return await render(request, "admin/dead_letters.html", caller, page=page)
