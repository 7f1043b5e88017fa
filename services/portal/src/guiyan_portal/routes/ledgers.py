"""Ledgers (台账): the import templates, importing a ledger of projects or an archive of
people, and the city's records as workbooks. Every export is recorded in registry (who, when, what, how many rows), and admins
read the record at `GET /api/v1/exports`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response

from guiyan_contracts import api, matching, people, registry
from guiyan_contracts.matching import ProjectSort, ProposalSort
from guiyan_contracts.models import Id, Project, ProjectStatus, Proposal, ProposalStatus
from guiyan_contracts.people import Person
from guiyan_contracts.registry import ImportMode
from guiyan_contracts.taxonomy import load_taxonomy

from ..access import (
    Admin,
    Caller,
    CityReader,
    Principal,
    ProposalParks,
    Services,
    Settings,
    StaffOrAdmin,
)
from ..errors import answers
from ..filters import Code, Search, Station, Statuses, given, one_of
from ..gateway import Gateway
from ..ledgers.columns import PEOPLE
from ..ledgers.exports import (
    parks_workbook,
    people_workbook,
    plans_workbook,
    projects_workbook,
    proposals_workbook,
)
from ..ledgers.importing import city_parks, import_ledger, vocabulary
from ..ledgers.template import template_workbook
from ..ledgers.writer import XLSX, attachment
from ..paging import Limit, Offset
from .people import PeopleFilters

router = APIRouter(prefix="/api/v1", tags=["ledgers"])
IMPORT_PATH = "/api/v1/projects/import"
PEOPLE_IMPORT_PATH = "/api/v1/people/import"
LedgerFile = Annotated[UploadFile, File(description=".xlsx, or .csv in UTF-8 or GBK")]
DryRun = Annotated[bool, Form(description="Check every row and report, writing nothing")]
Mode = Annotated[ImportMode, Form(description=(
    "all_or_nothing: one bad row imports nothing; valid_rows: the others are imported"))]
XLSX_ANSWER = {200: {"content": {XLSX: {}}, "description": "An .xlsx workbook"}}


async def recorded(services: Gateway, caller: Principal, what: str, rows: int,
                   filters: dict[str, str | None]) -> None:
    await services.ask(registry.RecordExport(
        tenant_id=caller.tenant_id, exported_by=caller.user_id, what=what, rows=rows,
        filters={key: value for key, value in filters.items() if value}), registry.ExportRecord)


@router.get("/projects/import-template.xlsx", response_class=Response,
            responses={**XLSX_ANSWER, **answers(401, 403, 502, 503)})
async def import_template(caller: StaffOrAdmin, services: Services) -> Response:
    """An empty ledger with Chinese headers, a sheet of instructions, and drop-down lists of
    the city's counties, sectors, chains, links, facilities and parks (staff, admins)."""
    words = await vocabulary(services, caller.tenant_id)
    return attachment(template_workbook(words), "项目台账导入模板.xlsx")


@router.post(IMPORT_PATH.removeprefix("/api/v1"), response_model=api.LedgerImport,
             responses=answers(401, 403, 413, 422, 502, 503))
async def import_projects(caller: StaffOrAdmin, services: Services, config: Settings,
                          file: LedgerFile, dry_run: DryRun = False,
                          mode: Mode = ImportMode.all_or_nothing) -> Any:
    """Import a ledger (staff, admins): each row is checked as a submitted project is. With
    `all_or_nothing` one bad row imports nothing; with `valid_rows` the others are imported.
    A row with the ledger's project number (项目编号) of an imported project, or else with its
    name, founder and source, updates it when changed (it is planned again); the same ledger
    imported again changes nothing. `dry_run` reports without writing."""
    return await import_ledger(services, caller.tenant_id, caller.user_id,
                               file.filename or "", await file.read(), dry_run=dry_run,
                               mode=mode, timeout=config.ledger_timeout_seconds)


@router.get("/people/import-template.xlsx", response_class=Response,
            responses={**XLSX_ANSWER, **answers(401, 403, 502, 503)})
async def people_template(caller: StaffOrAdmin, services: Services) -> Response:
    """An empty archive of people with Chinese headers, a sheet of instructions, and drop-down
    lists of the city's counties, sectors, chains, links and stations, of provinces and of
    each choice (staff, admins)."""
    words = await vocabulary(services, caller.tenant_id)
    return attachment(template_workbook(words, PEOPLE), "人员档案导入模板.xlsx")


@router.post(PEOPLE_IMPORT_PATH.removeprefix("/api/v1"), response_model=api.LedgerImport,
             responses=answers(401, 403, 413, 422, 502, 503))
async def import_people(caller: StaffOrAdmin, services: Services, config: Settings,
                        file: LedgerFile, dry_run: DryRun = False,
                        mode: Mode = ImportMode.all_or_nothing) -> Any:
    """Import an archive of people (staff, admins), on the project ledger's importer: each row
    is checked as a recorded person is, a station named by its name or id, a province in
    Chinese or by its code; the modes and `dry_run` are the project ledger's. A row with the
    archive's number (档案编号) of an imported person, or else with their name, hometown and
    current city, updates them when changed; the same archive imported again changes
    nothing."""
    return await import_ledger(services, caller.tenant_id, caller.user_id,
                               file.filename or "", await file.read(), dry_run=dry_run,
                               mode=mode, timeout=config.ledger_timeout_seconds, layout=PEOPLE)


@router.get("/people/export.xlsx", response_class=Response,
            responses={**XLSX_ANSWER, **answers(401, 403, 422, 502, 503)})
async def export_people(caller: StaffOrAdmin, services: Services,
                        filters: PeopleFilters) -> Response:
    """The people `GET /api/v1/people` lists with the same filters, every page, as an archive
    that imports again unchanged (staff, admins). Registry logs the read as `people.export`,
    and the export is recorded as every export is."""
    found: list[Person] = []
    while True:
        page = await services.ask(people.ListPeople(
            tenant_id=caller.tenant_id, read_by=caller.user_id, purpose="people.export",
            **filters, limit=1000, offset=len(found)), people.PersonList)
        found += page.people
        if not page.people or len(found) >= page.total:
            break
    words = await vocabulary(services, caller.tenant_id)
    await recorded(services, caller, "people", len(found), {
        key: str(value) for key, value in filters.items() if value is not None})
    return attachment(people_workbook(found, words), "人员档案.xlsx")


@router.get("/projects/export.xlsx", response_class=Response,
            responses={**XLSX_ANSWER, **answers(401, 403, 422, 502, 503)})
async def export_projects(caller: CityReader, services: Services, q: Search = None,
                          status: Statuses(ProjectStatus) = [],  # noqa: B006 (FastAPI copies it)
                          sector: Code = None, chain: Code = None, county: Code = None,
                          source: Station = None, park_id: Id | None = None,
                          sort: ProjectSort = ProjectSort.newest) -> Response:
    """The projects `GET /api/v1/projects` lists with the same filters, every page, as a
    ledger that imports again unchanged (staff, admins)."""
    statuses = one_of(ProjectStatus, "status", status)
    listings: list[matching.ProjectListing] = []
    while True:
        page = await services.ask(matching.ListProjects(
            tenant_id=caller.tenant_id, q=given(q), statuses=statuses, sector=given(sector),
            chain=given(chain), county=given(county), source=given(source),
            park_ids=[park_id] if park_id else None, sort=sort, limit=1000,
            offset=len(listings)), matching.ProjectPage)
        listings += page.items
        if not page.items or len(listings) >= page.total:
            break
    words = await vocabulary(services, caller.tenant_id)
    await recorded(services, caller, "projects", len(listings), {
        "q": given(q), "status": ",".join(statuses), "sector": given(sector),
        "chain": given(chain), "county": given(county), "source": given(source),
        "park_id": park_id})
    return attachment(projects_workbook(listings, words), "项目台账.xlsx")


@router.get("/proposals/export.xlsx", response_class=Response,
            responses={**XLSX_ANSWER, **answers(401, 403, 422, 502, 503)})
async def export_proposals(caller: Caller, services: Services, parks: ProposalParks,
                           q: Search = None,
                           status: Statuses(ProposalStatus) = [],  # noqa: B006 (FastAPI copies it)
                           sector: Code = None, chain: Code = None, county: Code = None,
                           sort: ProposalSort = ProposalSort.newest) -> Response:
    """The proposals `GET /api/v1/proposals` lists with the same filters, every page, placements
    (accepted proposals) among them; a manager's only their parks'."""
    statuses = one_of(ProposalStatus, "status", status)
    proposals: list[Proposal] = []
    while True:
        page = await services.ask(matching.ListProposals(
            tenant_id=caller.tenant_id, q=given(q), statuses=statuses, park_ids=parks,
            sector=given(sector), chain=given(chain), county=given(county), sort=sort,
            limit=500, offset=len(proposals)), matching.ProposalList)
        proposals += page.proposals
        if not page.proposals or len(proposals) >= page.total:
            break
    await recorded(services, caller, "proposals", len(proposals), {
        "q": given(q), "status": ",".join(statuses), "sector": given(sector),
        "chain": given(chain), "county": given(county),
        "park_id": ",".join(parks) if parks else None})
    return attachment(proposals_workbook(
        proposals, await city_projects(services, caller.tenant_id),
        load_taxonomy(caller.tenant_id)), "提议与入驻.xlsx")


async def city_projects(services: Gateway, tenant_id: str) -> dict[str, Project]:
    """The city's projects by id, each as matching knows it, to say a proposal's project."""
    projects: dict[str, Project] = {}
    while True:
        page = await services.ask(matching.ListProjects(tenant_id=tenant_id, limit=1000,
                                                        offset=len(projects)),
                                  matching.ProjectPage)
        projects |= {listing.project.id: listing.project for listing in page.items}
        if not page.items or len(projects) >= page.total:
            return projects


@router.get("/parks/export.xlsx", response_class=Response,
            responses={**XLSX_ANSWER, **answers(401, 403, 502, 503)})
async def export_parks(caller: CityReader, services: Services) -> Response:
    """Every park of the city with its room and subsidy budget: capacity, what placements
    use, what offers hold and what is left (staff, admins)."""
    parks = await city_parks(services, caller.tenant_id)
    occupancy = [(park, await services.ask(matching.GetParkOccupancy(
        tenant_id=caller.tenant_id, park_id=park.id), matching.ParkOccupancy)) for park in parks]
    await recorded(services, caller, "parks", len(parks), {})
    return attachment(parks_workbook(occupancy, load_taxonomy(caller.tenant_id)),
                           "园区占用.xlsx")


@router.get("/plans/export.xlsx", response_class=Response,
            responses={**XLSX_ANSWER, **answers(401, 403, 502, 503)})
async def export_plans(caller: CityReader, services: Services) -> Response:
    """The plan audit: every plan of the city, newest first (staff, admins)."""
    plans: list = []
    while True:
        page = await services.ask(matching.ListPlans(tenant_id=caller.tenant_id, limit=500,
                                                     offset=len(plans)), matching.PlanList)
        plans += page.plans
        if not page.plans or len(plans) >= page.total:
            break
    await recorded(services, caller, "plans", len(plans), {})
    return attachment(plans_workbook(plans), "方案审计.xlsx")


@router.get("/exports", response_model=api.Page[registry.ExportRecord],
            responses=answers(401, 403, 422, 502, 503))
async def list_exports(caller: Admin, services: Services, limit: Limit(1000) = 200,
                       offset: Offset = 0) -> Any:
    """Who exported what from the city, when, and how many rows, newest first (admins)."""
    found = await services.ask(registry.ListExports(tenant_id=caller.tenant_id, limit=limit,
                                                    offset=offset), registry.ExportList)
    return api.Page[registry.ExportRecord](items=found.exports, total=found.total, limit=limit,
                                           offset=offset)
