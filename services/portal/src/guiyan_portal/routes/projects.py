from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, HTTPException

from guiyan_contracts import api, matching, registry
from guiyan_contracts.models import Id, Placement, ProjectFields, ProjectStatus, Role

from ..access import Caller, IdempotencyKey, Services, managed_parks, require
from ..errors import answers
from ..gateway import Gateway
from ..paging import Limit, Offset

router = APIRouter(prefix="/api/v1", tags=["projects"])
PLACEMENTS_PER_REQUEST = 100


async def placements(services: Gateway, tenant_id: str, project_ids: list[str],
                     with_reasons: bool) -> dict[str, Placement]:
    # In pages: a thousand placements with their explanations outgrow one NATS message.
    pages = [project_ids[i:i + PLACEMENTS_PER_REQUEST]
             for i in range(0, len(project_ids), PLACEMENTS_PER_REQUEST)]
    found = await asyncio.gather(*(services.ask(
        matching.GetPlacements(tenant_id=tenant_id, project_ids=page, with_reasons=with_reasons),
        matching.PlacementList) for page in pages))
    return {p.project_id: p for answer in found for p in answer.placements}


@router.post("/projects", response_model=api.ProjectAccepted, status_code=202,
             responses=answers(401, 403, 409, 413, 422, 502, 503))
async def submit_project(body: api.NewProject, caller: Caller, services: Services,
                         key: IdempotencyKey) -> Any:
    """Submit a project (staff, admins): 202 with its id; matching will place it."""
    require(caller, Role.staff, Role.admin)
    project = await services.ask(registry.SubmitProject(
        tenant_id=caller.tenant_id, project_id=body.id, submitted_by=caller.user_id,
        project=body.model_dump(exclude={"id"}), idempotency_key=key), registry.Project)
    return api.ProjectAccepted(id=project.id)


@router.get("/projects", response_model=api.Page[api.ProjectView],
            responses=answers(401, 403, 422, 502, 503))
async def list_projects(caller: Caller, services: Services, limit: Limit(1000) = 200,
                        offset: Offset = 0) -> Any:
    """Projects newest first, each with its placement; an unplaced one's reasons per park are
    in `GET /api/v1/projects/{id}`."""
    require(caller, Role.staff, Role.admin)
    page = await services.ask(registry.ListProjects(tenant_id=caller.tenant_id, limit=limit,
                                                    offset=offset), registry.ProjectList)
    found = await placements(services, caller.tenant_id, [p.id for p in page.projects],
                             with_reasons=False)
    return api.Page[api.ProjectView](total=page.total, limit=limit, offset=offset, items=[
        api.ProjectView(project=p, placement=found.get(p.id) or Placement(
            project_id=p.id, status=ProjectStatus.submitted)) for p in page.projects])


async def visible_project(services: Gateway, caller: Caller, project_id: str) -> api.ProjectView:
    """Staff and admins see every project of the city; a manager only those proposed to (or
    placed in) a park of theirs."""
    project = await services.ask(registry.GetProject(tenant_id=caller.tenant_id,
                                                     project_id=project_id), registry.Project)
    placement = (await placements(services, caller.tenant_id, [project_id], True))[project_id]
    parks = await managed_parks(services, caller)
    if parks is not None and (placement.proposal is None or placement.proposal.park_id not in parks):
        raise HTTPException(403, "this project is not proposed to a park you manage")
    return api.ProjectView(project=project, placement=placement)


@router.get("/projects/{project_id}", response_model=api.ProjectView,
            responses=answers(401, 403, 404, 422, 502, 503))
async def get_project(project_id: Id, caller: Caller, services: Services) -> Any:
    return await visible_project(services, caller, project_id)


@router.put("/projects/{project_id}", response_model=registry.Project,
            responses=answers(401, 403, 404, 409, 413, 422, 502, 503))
async def update_project(project_id: Id, body: ProjectFields, caller: Caller,
                         services: Services) -> Any:
    """The project's new fields (staff, admins). A pending offer of the old project is
    withdrawn and the project planned again."""
    require(caller, Role.staff, Role.admin)
    return await services.ask(registry.UpdateProject(
        tenant_id=caller.tenant_id, project_id=project_id, updated_by=caller.user_id,
        project=body), registry.Project)


@router.post("/projects/{project_id}/withdraw", response_model=registry.Project,
             responses=answers(401, 403, 404, 413, 422, 502, 503))
async def withdraw_project(project_id: Id, body: api.Withdrawal, caller: Caller,
                           services: Services, key: IdempotencyKey) -> Any:
    """Its offer or placement is withdrawn and the park's room comes back (staff, admins)."""
    require(caller, Role.staff, Role.admin)
    return await services.ask(registry.WithdrawProject(
        tenant_id=caller.tenant_id, project_id=project_id, withdrawn_by=caller.user_id,
        reason=body.reason, idempotency_key=key), registry.Project)


@router.get("/projects/{project_id}/history", response_model=matching.ProjectHistory,
            responses=answers(401, 403, 404, 422, 502, 503))
async def project_history(project_id: Id, caller: Caller, services: Services) -> Any:
    """Submitted, each offer, each decision, expiry and withdrawal, with times and actors."""
    await visible_project(services, caller, project_id)
    return await services.ask(matching.GetProjectHistory(tenant_id=caller.tenant_id,
                                                         project_id=project_id),
                              matching.ProjectHistory)
