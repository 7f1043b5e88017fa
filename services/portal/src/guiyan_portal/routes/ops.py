"""For whoever runs Guiyan: liveness, readiness and metrics of the portal itself, the system's
health, dead letters and each service's AsyncAPI document."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from guiyan_contracts import api
from guiyan_contracts.models import DeadLetter
from guiyan_contracts.system import (
    SERVICES,
    AsyncAPIDocument,
    Health,
    Liveness,
    Ping,
    Problem,
    Readiness,
    asyncapi_subject,
    health_subject,
)
from guiyan_eventing import readiness
from guiyan_eventing.metrics import exposition

from ..access import Admin, Services, Settings
from ..config import PortalSettings
from ..errors import answers
from ..gateway import Gateway
from ..paging import Limit

router = APIRouter(tags=["ops"])


async def health(services: Gateway, config: PortalSettings) -> tuple[api.HealthReport,
                                                                     list[Problem]]:
    """Whether NATS and each service answer, and the problems the services name."""

    async def answer(service: str) -> Health | None:
        try:
            return await services.ask(Ping(), Health, subject=health_subject(service),
                                      timeout=config.health_timeout_seconds)
        except HTTPException:  # any error the service answered, or none in time
            return None

    nats_ok = services.connected
    found = await asyncio.gather(*(answer(service) for service in SERVICES))
    problems = [problem for answered in found if answered for problem in answered.problems]
    up = nats_ok and all(found)
    return api.HealthReport(
        status="down" if not up else "degraded" if problems else "ok", nats=nats_ok,
        services={service: answered is not None
                  for service, answered in zip(SERVICES, found, strict=True)}), problems


@router.get("/healthz", response_model=Liveness)
async def healthz() -> Liveness:
    """Liveness: the portal answers. Whether the system as a whole is up: `/healthz/system`."""
    return Liveness()


@router.get("/readyz", response_model=Readiness,
            responses={503: {"model": Readiness, "description": "NATS is not connected"}})
async def readyz(services: Services) -> Any:
    """Readiness: the portal's own connections to NATS, through which it answers everything."""

    async def nats() -> str | None:
        return None if services.connected else "not connected"

    status, body = readiness.report(await readiness.findings({"nats": nats}))
    return JSONResponse(body.model_dump(mode="json"), status_code=status)


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(request: Request) -> Response:
    """The portal's Prometheus metrics, in Prometheus's text format."""
    body, content_type = exposition(request.app.state.metrics, request.headers.get("accept", ""))
    return Response(body, media_type=content_type)


@router.get("/healthz/system", response_model=api.HealthReport,
            responses={503: {"model": api.HealthReport,
                             "description": "NATS or a service does not answer"}})
async def system_health(services: Services, config: Settings) -> Any:
    """`ok`, or `degraded` (200) when a service set a record aside, or cannot plan a city, and goes
    on with the rest; `down` (503) when NATS or a service does not answer. Which records and
    cities: `GET /api/v1/health`, for each city's admins."""
    report, _ = await health(services, config)
    return JSONResponse(report.model_dump(mode="json"),
                        status_code=503 if report.status == "down" else 200)


@router.get("/api/v1/health", response_model=api.CityHealth,
            responses={**answers(401, 403), 503: {"model": api.CityHealth,
                                                  "description": "NATS or a service does not "
                                                                 "answer"}})
async def city_health(caller: Admin, services: Services, config: Settings) -> Any:
    """Health with what is set aside or failing in the caller's city, named (admins)."""
    report, problems = await health(services, config)
    mine = [problem for problem in problems if problem.city == caller.tenant_id]
    status = report.status if report.status == "down" else "degraded" if mine else "ok"
    shown = api.CityHealth(**report.model_dump(), problems=mine).model_copy(
        update={"status": status})
    return JSONResponse(shown.model_dump(mode="json"),
                        status_code=503 if status == "down" else 200)


@router.get("/api/v1/dead-letters", response_model=api.DeadLetterPage,
            responses=answers(401, 403, 422, 503))
async def dead_letters(caller: Admin, services: Services, limit: Limit(200) = 50,
                       after: Annotated[int, Query(ge=0, le=2**63 - 1, description=(
                           "Start after this stream sequence: the previous page's "
                           "`next_after`"))] = 0,
                       cityless: Annotated[bool, Query(description=(
                           "Instead, the letters too malformed to name a city: why each was "
                           "parked, without its payload"))] = False) -> Any:
    """Messages of the caller's city parked in the dead-letter stream, oldest first, with why
    (admins). Each payload is cut to its first 2,000 characters here."""
    return await services.dead_letters(None if cityless else caller.tenant_id, after, limit)


@router.get("/api/v1/dead-letters/{sequence}", response_model=DeadLetter,
            responses=answers(401, 403, 404, 422, 503))
async def dead_letter(caller: Admin, services: Services,
                      sequence: Annotated[int, Path(ge=1, le=2**63 - 1)]) -> Any:
    """One parked message of the caller's city, with its whole payload (admins)."""
    found = await services.dead_letter(caller.tenant_id, sequence)
    if found is None:
        raise HTTPException(404, f"no dead letter {sequence} of this city")
    return found


@router.get("/api/v1/asyncapi/{service}", responses=answers(401, 403, 422, 502, 503))
async def asyncapi(service: Literal["registry", "matching", "notification"], _: Admin,
                   services: Services) -> Any:
    """The AsyncAPI document a service serves: its subjects and their schemas (admins)."""
    document = await services.ask(Ping(), AsyncAPIDocument, subject=asyncapi_subject(service))
    return document.document
