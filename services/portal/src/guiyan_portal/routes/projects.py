from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from guiyan_contracts import api, matching, registry
from guiyan_contracts.models import Id, Placement, ProjectFields, ProjectStatus

from ..access import Caller, IdempotencyKey, Services, StaffOrAdmin, VisibleProject
from ..errors import answers
from ..paging import Limit, Offset
from ..placements import placements

router = APIRouter(prefix="/api/v1", tags=["projects"])


@router.post("/projects", response_model=api.ProjectAccepted, status_code=202,
             responses=answers(401, 403, 409, 413, 422, 502, 503))
async def submit_project(body: api.NewProject, caller: StaffOrAdmin, services: Services,
                         key: IdempotencyKey) -> Any:
    """Submit a project (staff, admins): 202 with its id; matching will place it."""
    project = await services.ask(registry.SubmitProject(
        tenant_id=caller.tenant_id, project_id=body.id, submitted_by=caller.user_id,
        project=body.model_dump(exclude={"id"}), idempotency_key=key), registry.Project)
    return api.ProjectAccepted(id=project.id)


@router.get("/projects", response_model=api.Page[api.ProjectView],
            responses=answers(401, 403, 422, 502, 503))
async def list_projects(caller: StaffOrAdmin, services: Services, limit: Limit(1000) = 200,
                        offset: Offset = 0) -> Any:
    """Projects newest first, each with its placement; an unplaced one's reasons per park are
    in `GET /api/v1/projects/{id}`."""
    page = await services.ask(registry.ListProjects(tenant_id=caller.tenant_id, limit=limit,
                                                    offset=offset), registry.ProjectList)
    found = await placements(services, caller.tenant_id, [p.id for p in page.projects],
                             with_reasons=False)
    return api.Page[api.ProjectView](total=page.total, limit=limit, offset=offset, items=[
        api.ProjectView(project=p, placement=found.get(p.id) or Placement(
            project_id=p.id, status=ProjectStatus.submitted)) for p in page.projects])


@router.get("/projects/{project_id}", response_model=api.ProjectView,
            responses=answers(401, 403, 404, 422, 502, 503))
async def get_project(project: VisibleProject) -> Any:
    return project


@router.put("/projects/{project_id}", response_model=registry.Project,
            responses=answers(401, 403, 404, 409, 413, 422, 502, 503))
async def update_project(project_id: Id, body: ProjectFields, caller: StaffOrAdmin,
                         services: Services) -> Any:
    """The project's new fields (staff, admins). A pending offer of the old project is
    withdrawn and the project planned again."""
    return await services.ask(registry.UpdateProject(
        tenant_id=caller.tenant_id, project_id=project_id, updated_by=caller.user_id,
        project=body), registry.Project)


@router.post("/projects/{project_id}/withdraw", response_model=registry.Project,
             responses=answers(401, 403, 404, 413, 422, 502, 503))
async def withdraw_project(project_id: Id, body: api.Withdrawal, caller: StaffOrAdmin,
                           services: Services, key: IdempotencyKey) -> Any:
    """Its offer or placement is withdrawn and the park's room comes back (staff, admins)."""
    return await services.ask(registry.WithdrawProject(
        tenant_id=caller.tenant_id, project_id=project_id, withdrawn_by=caller.user_id,
        reason=body.reason, idempotency_key=key), registry.Project)


@router.get("/projects/{project_id}/history", response_model=matching.ProjectHistory,
            responses=answers(401, 403, 404, 422, 502, 503))
async def project_history(project_id: Id, caller: Caller, services: Services,
                          _: VisibleProject) -> Any:
    """Submitted, each offer, each decision, expiry and withdrawal, with times and actors."""
    return await services.ask(matching.GetProjectHistory(tenant_id=caller.tenant_id,
                                                         project_id=project_id),
                              matching.ProjectHistory)
