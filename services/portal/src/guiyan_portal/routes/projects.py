from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from guiyan_contracts import api, matching, registry
from guiyan_contracts.matching import ProjectSort
from guiyan_contracts.models import Id, ProjectFields, ProjectStatus

from ..access import Caller, CityReader, IdempotencyKey, Services, StaffOrAdmin, VisibleProject
from ..errors import answers
from ..filters import Code, Search, Station, Statuses, given, one_of
from ..paging import Limit, Offset

router = APIRouter(prefix="/api/v1", tags=["projects"])


@router.post("/projects", response_model=api.ProjectAccepted, status_code=202,
             responses=answers(401, 403, 409, 413, 422, 502, 503))
async def submit_project(body: api.NewProject, caller: StaffOrAdmin, services: Services,
                         key: IdempotencyKey) -> Any:
    """Submit a project (staff, admins): 202 with its id; matching will place it."""
    project = await services.ask(registry.SubmitProject(
        tenant_id=caller.tenant_id, project_id=body.id, submitted_by=caller.user_id,
        project=body.model_dump(exclude={"id", "contact_id"}), contact_id=body.contact_id,
        idempotency_key=key), registry.Project)
    return api.ProjectAccepted(id=project.id)


@router.get("/projects", response_model=api.Page[matching.ProjectListing],
            responses=answers(401, 403, 422, 502, 503))
async def list_projects(caller: CityReader, services: Services, q: Search = None,
                        status: Statuses(ProjectStatus) = [],  # noqa: B006 (FastAPI copies it)
                        sector: Code = None, chain: Code = None, county: Code = None,
                        source: Station = None, park_id: Id | None = None,
                        sort: ProjectSort = ProjectSort.newest, limit: Limit(1000) = 200,
                        offset: Offset = 0) -> Any:
    """Projects newest first, each with where it stands and the park it is offered to or placed
    in. `q` looks in the name and the founder's; `park_id` keeps those offered to or placed in
    that park. `total` counts every match. A project just submitted is listed once matching has
    recorded it (`GET /api/v1/projects/{id}` finds it at once); an unplaced one's reasons per
    park are in `GET /api/v1/projects/{id}`."""
    page = await services.ask(matching.ListProjects(
        tenant_id=caller.tenant_id, q=given(q), statuses=one_of(ProjectStatus, "status", status),
        sector=given(sector), chain=given(chain), county=given(county), source=given(source),
        park_ids=[park_id] if park_id else None, sort=sort, limit=limit, offset=offset),
        matching.ProjectPage)
    return api.Page[matching.ProjectListing](items=page.items, total=page.total, limit=limit,
                                             offset=offset)


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
