"""The portal: Guiyan's only HTTP edge. Stateless; every answer comes from a service over NATS."""


import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import jwt
import nats
import uvicorn
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from faststream.nats import NatsBroker
from nats.errors import Error as NatsError
from pydantic import ValidationError

from guiyan_contracts import api, matching, notification, registry
from guiyan_contracts.envelope import field_errors_from_pydantic
from guiyan_contracts.models import (
    DeadLetter,
    Id,
    InboxItem,
    Park,
    ParkFields,
    Placement,
    Plan,
    ProjectFields,
    ProjectStatus,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from guiyan_contracts.system import (
    DLQ_STREAM,
    SERVICES,
    AsyncAPIDocument,
    Health,
    Ping,
    asyncapi_subject,
    health_subject,
)
from guiyan_contracts.taxonomy import Taxonomy, load_taxonomy
from guiyan_eventing.rpc import RemoteError, call
from guiyan_eventing.runtime import freeze_startup_objects

from ..auth import Principal, mint_token, read_token
from ..config import DEV_SECRET, PortalSettings
from ..gateway import Gateway
from .dead_letters import read_dead_letters

log = logging.getLogger(__name__)
PLACEMENTS_PER_REQUEST = 100


def create_app(settings: PortalSettings | None = None) -> FastAPI:
    settings = settings or PortalSettings()
    if settings.auth_secret == DEV_SECRET:
        log.warning("AUTH_SECRET is the development secret: anyone can mint tokens. Set your own.")
    broker = NatsBroker(settings.nats_url)
    gateway = Gateway(broker, settings.request_timeout_seconds)
    connection: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await broker.connect()
        connection["nats"] = await nats.connect(settings.nats_url)
        yield
        await connection["nats"].close()
        await broker.stop()

    app = FastAPI(title="Guiyan 归雁 portal", version="1.0.0", lifespan=lifespan,
                  description="Return-home entrepreneurship matching: parks, projects, proposals.")
    bearer = HTTPBearer(auto_error=False)

    @app.exception_handler(ValidationError)
    async def invalid_request(_: Request, error: ValidationError) -> JSONResponse:
        """A value that reached a contract unchecked: still the caller's mistake, never a 500."""
        return JSONResponse(status_code=422, content={"detail": [
            e.model_dump() for e in field_errors_from_pydantic(error.errors(include_url=False))]})

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=error)
        return JSONResponse(status_code=502, content={"detail": "internal error"})

    async def principal(credentials: Annotated[HTTPAuthorizationCredentials | None,
                                               Depends(bearer)]) -> Principal:
        """Async although it never awaits: FastAPI runs a plain `def` dependency in a worker
        thread, a thread hop on every request."""
        if credentials is None:
            raise HTTPException(401, "missing bearer token",
                                headers={"WWW-Authenticate": "Bearer"})
        try:
            return read_token(settings.auth_secret, credentials.credentials)
        except (jwt.InvalidTokenError, ValueError, KeyError):
            raise HTTPException(401, "invalid bearer token",
                                headers={"WWW-Authenticate": "Bearer"}) from None

    Caller = Annotated[Principal, Depends(principal)]

    def require(caller: Principal, *roles: Role) -> None:
        if caller.role not in roles:
            raise HTTPException(403, f"needs role {' or '.join(r.value for r in roles)}")

    async def managed_parks(caller: Principal) -> list[str] | None:
        """The parks a caller may see proposals of; None means every park of the city."""
        if caller.role is not Role.park_manager:
            return None
        try:
            view = await gateway.ask(registry.GetUser(tenant_id=caller.tenant_id,
                                                      user_id=caller.user_id), registry.UserView)
        except HTTPException as error:
            if error.status_code == 404:
                raise HTTPException(403, "this manager is not registered in the city") from None
            raise
        return view.managed_park_ids

    async def visible_proposal(caller: Principal, proposal_id: str) -> Proposal:
        proposal = await gateway.ask(matching.GetProposal(tenant_id=caller.tenant_id,
                                                          proposal_id=proposal_id), Proposal)
        parks = await managed_parks(caller)
        if parks is not None and proposal.park_id not in parks:
            raise HTTPException(403, "this proposal is for a park you do not manage")
        return proposal

    async def placements(caller: Principal, project_ids: list[str],
                         with_reasons: bool) -> dict[str, Placement]:
        # In pages: a thousand placements with their explanations outgrow one NATS message.
        pages = [project_ids[i:i + PLACEMENTS_PER_REQUEST]
                 for i in range(0, len(project_ids), PLACEMENTS_PER_REQUEST)]
        found = await asyncio.gather(*(gateway.ask(
            matching.GetPlacements(tenant_id=caller.tenant_id, project_ids=page,
                                   with_reasons=with_reasons),
            matching.PlacementList) for page in pages))
        return {p.project_id: p for answer in found for p in answer.placements}

    web_page = (Path(__file__).parents[1] / "web" / "index.html").read_text("utf-8")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def web_ui() -> str:
        return web_page

    @app.get("/api/v1/taxonomy", response_model=Taxonomy, tags=["parks"])
    async def taxonomy(caller: Caller) -> Any:
        """The caller's city's sectors, chains and links (upstream first) and counties."""
        try:
            return load_taxonomy(caller.tenant_id)
        except FileNotFoundError:
            raise HTTPException(404, f"no taxonomy for city {caller.tenant_id!r}") from None

    @app.get("/healthz", response_model=api.HealthReport, tags=["ops"])
    async def healthz() -> Any:
        async def answers(service: str) -> bool:
            try:
                await call(broker, Ping(), Health, timeout=settings.health_timeout_seconds,
                           subject=health_subject(service))
                return True
            except RemoteError:
                return False

        nats_ok = bool(connection.get("nats") and connection["nats"].is_connected)
        results = await asyncio.gather(*(answers(s) for s in SERVICES))
        report = api.HealthReport(ok=nats_ok and all(results), nats=nats_ok,
                                  services=dict(zip(SERVICES, results, strict=True)))
        if not report.ok:
            raise HTTPException(503, report.model_dump())
        return report

    @app.get("/api/v1/me", response_model=registry.UserView, tags=["users"])
    async def me(caller: Caller) -> Any:
        return await gateway.ask(registry.GetUser(tenant_id=caller.tenant_id,
                                                  user_id=caller.user_id), registry.UserView)

    @app.post("/api/v1/users", response_model=User, status_code=201, tags=["users"])
    async def create_user(body: api.NewUser, caller: Caller) -> Any:
        require(caller, Role.admin)
        fields = body.model_dump(exclude={"id"})
        return await gateway.ask(registry.RegisterUser(tenant_id=caller.tenant_id,
                                                       user_id=body.id, user=fields), User)

    @app.post("/api/v1/parks", response_model=Park, status_code=201, tags=["parks"])
    async def create_park(body: api.NewPark, caller: Caller) -> Any:
        require(caller, Role.admin)
        fields = body.model_dump(exclude={"id"})
        return await gateway.ask(registry.RegisterPark(tenant_id=caller.tenant_id,
                                                       park_id=body.id, park=fields), Park)

    @app.put("/api/v1/parks/{park_id}", response_model=Park, tags=["parks"])
    async def update_park(park_id: Id, body: ParkFields, caller: Caller) -> Any:
        """The park's whole new state. If it now holds more than it has, pending offers are
        withdrawn (lowest score first) and their managers told why. A capacity below what
        accepted placements use is refused (409)."""
        require(caller, Role.admin)
        # matching first, so that no accept lands between registry's commit and matching hearing
        # of it; a limit whose update then fails only makes the park promise less, never more.
        await gateway.ask(matching.LimitParkCapacity(
            tenant_id=caller.tenant_id, park_id=park_id, limited_by=caller.user_id,
            limit=matching.CapacityLimit.model_validate(body, from_attributes=True)),
            matching.ParkCommitments)
        return await gateway.ask(registry.UpdatePark(tenant_id=caller.tenant_id, park_id=park_id,
                                                     updated_by=caller.user_id, park=body), Park)

    @app.get("/api/v1/parks", response_model=list[Park], tags=["parks"])
    async def list_parks(caller: Caller) -> Any:
        found = await gateway.ask(registry.ListParks(tenant_id=caller.tenant_id), registry.ParkList)
        return found.parks

    @app.get("/api/v1/parks/{park_id}", response_model=Park, tags=["parks"])
    async def get_park(park_id: Id, caller: Caller) -> Any:
        return await gateway.ask(registry.GetPark(tenant_id=caller.tenant_id, park_id=park_id), Park)

    @app.post("/api/v1/projects", response_model=api.ProjectAccepted, status_code=202,
              tags=["projects"])
    async def submit_project(body: api.NewProject, caller: Caller) -> Any:
        require(caller, Role.staff, Role.admin)
        project = await gateway.ask(registry.SubmitProject(
            tenant_id=caller.tenant_id, project_id=body.id, submitted_by=caller.user_id,
            project=body.model_dump(exclude={"id"})), registry.Project)
        return api.ProjectAccepted(id=project.id)

    @app.get("/api/v1/projects", response_model=api.ProjectPage, tags=["projects"])
    async def list_projects(caller: Caller, limit: Annotated[int, Query(ge=1, le=1000)] = 200,
                            offset: Annotated[int, Query(ge=0)] = 0) -> Any:
        """Each project with its placement; an unplaced one's reasons per park are in
        `GET /api/v1/projects/{id}`."""
        require(caller, Role.staff, Role.admin)
        page = await gateway.ask(registry.ListProjects(tenant_id=caller.tenant_id, limit=limit,
                                                       offset=offset), registry.ProjectList)
        found = await placements(caller, [p.id for p in page.projects], with_reasons=False)
        return api.ProjectPage(total=page.total, projects=[
            api.ProjectView(project=p, placement=found.get(p.id) or Placement(
                project_id=p.id, status=ProjectStatus.submitted)) for p in page.projects])

    @app.get("/api/v1/projects/{project_id}", response_model=api.ProjectView, tags=["projects"])
    async def get_project(project_id: Id, caller: Caller) -> Any:
        project = await gateway.ask(registry.GetProject(tenant_id=caller.tenant_id,
                                                        project_id=project_id), registry.Project)
        placement = (await placements(caller, [project_id], with_reasons=True))[project_id]
        parks = await managed_parks(caller)
        if parks is not None and (placement.proposal is None
                                  or placement.proposal.park_id not in parks):
            raise HTTPException(403, "this project is not proposed to a park you manage")
        return api.ProjectView(project=project, placement=placement)

    @app.put("/api/v1/projects/{project_id}", response_model=registry.Project, tags=["projects"])
    async def update_project(project_id: Id, body: ProjectFields, caller: Caller) -> Any:
        """A pending offer of the old project is withdrawn and the project planned again."""
        require(caller, Role.staff, Role.admin)
        return await gateway.ask(registry.UpdateProject(
            tenant_id=caller.tenant_id, project_id=project_id, updated_by=caller.user_id,
            project=body), registry.Project)

    @app.post("/api/v1/projects/{project_id}/withdraw", response_model=registry.Project,
              tags=["projects"])
    async def withdraw_project(project_id: Id, body: api.Withdrawal, caller: Caller) -> Any:
        """Its offer or placement is withdrawn and the park's room comes back."""
        require(caller, Role.staff, Role.admin)
        return await gateway.ask(registry.WithdrawProject(
            tenant_id=caller.tenant_id, project_id=project_id, withdrawn_by=caller.user_id,
            reason=body.reason), registry.Project)

    @app.get("/api/v1/projects/{project_id}/history", response_model=matching.ProjectHistory,
             tags=["projects"])
    async def project_history(project_id: Id, caller: Caller) -> Any:
        """Submitted, each offer, each decision, expiry and withdrawal, with times and actors."""
        await get_project(project_id, caller)  # the same visibility as the project
        return await gateway.ask(matching.GetProjectHistory(tenant_id=caller.tenant_id,
                                                            project_id=project_id),
                                 matching.ProjectHistory)

    @app.get("/api/v1/plans", response_model=list[Plan], tags=["plans"])
    async def list_plans(caller: Caller,
                         limit: Annotated[int, Query(ge=1, le=500)] = 50) -> Any:
        """The city's plans, newest first, each with its triggers, input fingerprint, solver
        statistics and resulting proposals."""
        require(caller, Role.staff, Role.admin)
        found = await gateway.ask(matching.ListPlans(tenant_id=caller.tenant_id, limit=limit),
                                  matching.PlanList)
        return found.plans

    @app.get("/api/v1/plans/current", response_model=matching.PlanningStatus, tags=["plans"])
    async def planning_status(caller: Caller) -> Any:
        """The plan being solved right now, with its best objective and bound so far, and how
        many changes wait for the next one."""
        require(caller, Role.staff, Role.admin)
        return await gateway.ask(matching.GetPlanningStatus(tenant_id=caller.tenant_id),
                                 matching.PlanningStatus)

    @app.post("/api/v1/plans/preview", response_model=matching.PlanPreview, tags=["plans"])
    async def preview_plan(body: api.WhatIf, caller: Caller) -> Any:
        """What if these parks had these capacities? The next plan as the city is and as it would
        be, with the offers gained and lost; nothing is stored or offered. Managers may try only
        the parks they manage."""
        require(caller, Role.park_manager, Role.admin)
        parks = await managed_parks(caller)
        if parks is not None and (foreign := {c.park_id for c in body.changes} - set(parks)):
            raise HTTPException(403, f"you do not manage {', '.join(sorted(foreign))}")
        return await gateway.ask(matching.PreviewPlan(tenant_id=caller.tenant_id,
                                                      changes=body.changes),
                                 matching.PlanPreview, timeout=settings.preview_timeout_seconds)

    @app.get("/api/v1/plans/{plan_id}", response_model=Plan, tags=["plans"])
    async def get_plan(plan_id: Id, caller: Caller) -> Any:
        require(caller, Role.staff, Role.admin)
        return await gateway.ask(matching.GetPlan(tenant_id=caller.tenant_id, plan_id=plan_id), Plan)

    @app.get("/api/v1/proposals", response_model=list[Proposal], tags=["proposals"])
    async def list_proposals(caller: Caller, park_id: Id | None = None,
                             status: ProposalStatus | None = None) -> Any:
        parks = await managed_parks(caller)
        if park_id is not None:
            if parks is not None and park_id not in parks:
                raise HTTPException(403, "you do not manage this park")
            parks = [park_id]
        found = await gateway.ask(matching.ListProposals(tenant_id=caller.tenant_id,
                                                         park_ids=parks, status=status),
                                  matching.ProposalList)
        return found.proposals

    @app.get("/api/v1/proposals/{proposal_id}", response_model=Proposal, tags=["proposals"])
    async def get_proposal(proposal_id: Id, caller: Caller) -> Any:
        return await visible_proposal(caller, proposal_id)

    @app.post("/api/v1/proposals/{proposal_id}/accept", response_model=Proposal,
              tags=["proposals"])
    async def accept(proposal_id: Id, caller: Caller) -> Any:
        require(caller, Role.park_manager, Role.admin)
        await visible_proposal(caller, proposal_id)
        return await gateway.ask(matching.AcceptProposal(
            tenant_id=caller.tenant_id, proposal_id=proposal_id, decided_by=caller.user_id),
            Proposal)

    @app.post("/api/v1/proposals/{proposal_id}/reject", response_model=Proposal,
              tags=["proposals"])
    async def reject(proposal_id: Id, body: api.Rejection, caller: Caller) -> Any:
        require(caller, Role.park_manager, Role.admin)
        await visible_proposal(caller, proposal_id)
        return await gateway.ask(matching.RejectProposal(
            tenant_id=caller.tenant_id, proposal_id=proposal_id, decided_by=caller.user_id,
            reason=body.reason), Proposal)

    @app.get("/api/v1/inbox", response_model=list[InboxItem], tags=["inbox"])
    async def inbox(caller: Caller, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Any:
        """The caller's newest items first."""
        found = await gateway.ask(notification.ListInbox(tenant_id=caller.tenant_id,
                                                         user_id=caller.user_id, limit=limit),
                                  notification.Inbox)
        return found.items

    @app.get("/api/v1/dead-letters", response_model=list[DeadLetter], tags=["ops"])
    async def dead_letters(caller: Caller,
                           limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> Any:
        require(caller, Role.admin)
        try:
            return await read_dead_letters(connection["nats"].jetstream(), DLQ_STREAM, limit)
        except (NatsError, TimeoutError) as error:
            raise HTTPException(503, f"the dead-letter stream did not answer: {error!r}") from None

    @app.get("/api/v1/asyncapi/{service}", tags=["ops"])
    async def asyncapi(service: str) -> Any:
        if service not in SERVICES:
            raise HTTPException(404, f"no service {service!r}; one of {', '.join(SERVICES)}")
        document = await gateway.ask(Ping(), AsyncAPIDocument, subject=asyncapi_subject(service))
        return document.document

    return app


def main() -> None:
    settings = PortalSettings()
    if sys.argv[1:2] == ["token"]:  # guiyan-portal token USER_ID ROLE [TENANT]
        user_id, role, *rest = sys.argv[2:]
        print(mint_token(settings.auth_secret, user_id, rest[0] if rest else "heze", Role(role)))
        return
    app = create_app(settings)
    freeze_startup_objects()
    uvicorn.run(app, host=settings.portal_host, port=settings.portal_port, log_level="info")
