"""The project list and the proposals inbox: the API's own searches, shown as pages whose
filters live in the address, so that a filtered list can be bookmarked and shared."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from guiyan_contracts import registry
from guiyan_contracts.matching import ProjectSort, ProposalSort
from guiyan_contracts.models import ProjectStatus, ProposalStatus, Role
from guiyan_contracts.taxonomy import load_taxonomy

from ..access import Caller, CityReader, ProposalParks, Services
from ..auth import Principal
from ..routes import projects as project_api
from ..routes import proposals as proposal_api
from ..stations import city_stations
from .rendering import render, translator

router = APIRouter(include_in_schema=False)
PAGE = 25
# A filter's text. Each parameter takes its own copy of the `Query` inside `Annotated`: one
# `Query(...)` shared as the default of several parameters would answer to the first one's name.
Text = Annotated[str | None, Query(max_length=100)]


def paged(path: str, filters: dict[str, str | None]):  # type: ignore[no-untyped-def]
    """The address of another page of the same list."""
    kept = {key: value for key, value in filters.items() if value}
    return lambda offset: f"{path}?{urlencode(kept | ({'offset': offset} if offset else {}))}"


def choices(words: dict[str, Any], caller: Principal) -> dict[str, Any]:
    name, taxonomy = words["name"], load_taxonomy(caller.tenant_id)
    return {
        "sectors": [(s.code, name("sector", s.code)) for s in taxonomy.sectors],
        "chains": [(name("sector", s.code), [(c.code, name("chain", c.code, sector=s.code))
                                             for c in s.chains]) for s in taxonomy.sectors],
        "counties": [(code, name("county", code)) for code, *_ in taxonomy.counties],
    }


@router.get("/projects", response_class=HTMLResponse)
async def project_list(request: Request, caller: CityReader, services: Services,
                       q: Text = None, status: Text = None,
                       sector: Text = None, chain: Text = None,
                       county: Text = None, source: Text = None,
                       park_id: Text = None, sort: ProjectSort = ProjectSort.newest,
                       offset: int = Query(0, ge=0, le=1_000_000)) -> HTMLResponse:
    page = await project_api.list_projects(
        caller, services, q=q, status=[status] if status else [], sector=sector, chain=chain,
        county=county, source=source, park_id=park_id or None, sort=sort, limit=PAGE,
        offset=offset)
    words = translator(request, caller)
    name, _ = words["name"], words["_"]
    parks = await services.ask(registry.ListParks(tenant_id=caller.tenant_id, limit=1000),
                               registry.ParkList)
    filters = {"q": q, "status": status, "sector": sector, "chain": chain, "county": county,
               "source": source, "park_id": park_id, "sort": sort.value}
    options = choices(words, caller) | {
        "statuses": [(s.value, name("project_status", s.value)) for s in ProjectStatus],
        "parks": [(p.id, p.name) for p in parks.parks],
        "stations": [(s.id, s.name) for s in await city_stations(services, caller.tenant_id)],
        "sorts": [(ProjectSort.newest.value, _("Newest first")),
                  (ProjectSort.oldest.value, _("Oldest first")),
                  (ProjectSort.name.value, _("Name")),
                  (ProjectSort.most_investment.value, _("Largest investment")),
                  (ProjectSort.most_jobs.value, _("Most jobs")),
                  (ProjectSort.status.value, _("Status"))]}
    return await render(request, "projects/list.html", caller, page=page, filters=filters,
                        options=options, href=paged("/projects", filters))


@router.get("/proposals", response_class=HTMLResponse)
async def proposal_list(request: Request, caller: Caller, services: Services,
                        parks: ProposalParks, q: Text = None, status: Text = None,
                        sort: ProposalSort = ProposalSort.newest,
                        offset: int = Query(0, ge=0, le=1_000_000)) -> HTMLResponse:
    page = await proposal_api.list_proposals(
        caller, services, parks, q=q, status=[status] if status else [], sector=None,
        chain=None, county=None, sort=sort, limit=PAGE, offset=offset)
    words = translator(request, caller)
    name, _ = words["name"], words["_"]
    city = await services.ask(registry.ListParks(tenant_id=caller.tenant_id, limit=1000),
                              registry.ParkList)
    mine = [p for p in city.parks if caller.role is not Role.park_manager
            or p.id in (caller.managed_park_ids or [])]
    park_id = request.query_params.get("park_id")
    filters = {"q": q, "status": status, "park_id": park_id, "sort": sort.value}
    options = {
        "statuses": [(s.value, name("proposal_status", s.value)) for s in ProposalStatus],
        "parks": [(p.id, p.name) for p in mine],
        "sorts": [(ProposalSort.newest.value, _("Newest first")),
                  (ProposalSort.lapsing_first.value, _("Lapsing soonest")),
                  (ProposalSort.best_score.value, _("Best fit first")),
                  (ProposalSort.project_name.value, _("Project name")),
                  (ProposalSort.park_name.value, _("Park name")),
                  (ProposalSort.oldest.value, _("Oldest first"))]}
    return await render(request, "proposals/list.html", caller, page=page, filters=filters,
                        options=options, pending=page.counts.get(ProposalStatus.offered, 0),
                        href=paged("/proposals", filters))
