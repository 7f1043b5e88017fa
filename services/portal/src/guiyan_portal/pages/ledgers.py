"""Staff's import pages, for a ledger of projects and an archive of people: uploaded as a dry
run first, the report row by row in the page's language, then imported; the same code as
`POST /api/v1/projects/import` and `POST /api/v1/people/import`."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from guiyan_contracts.registry import ImportMode
from guiyan_contracts.taxonomy import locale_language

from ..access import Services, Settings, StaffOrAdmin
from ..auth import Principal
from ..i18n import request_locale
from ..ledgers.columns import PEOPLE, PROJECTS, Layout
from ..ledgers.importing import import_ledger
from ..presentation.names import N_
from .actions import new_key
from .rendering import render, translator

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class ImportPage:
    """What differs between the import pages: the ledger's kind, where it is sent, its template,
    and where its records are listed."""

    layout: Layout
    path: str  # the page's own, where the file is sent
    template: str  # the empty ledger to fill in
    listed: str  # the records imported
    heading: str
    see: str  # the link to them, after an import


PAGES = {
    "projects": ImportPage(PROJECTS, "/projects/import", "/api/v1/projects/import-template.xlsx",
                           "/projects", N_("Import a ledger"), N_("See the projects")),
    "people": ImportPage(PEOPLE, "/people/import", "/api/v1/people/import-template.xlsx",
                         "/people", N_("Import an archive"), N_("See the people")),
}


async def show(request: Request, caller: Principal, ledger: ImportPage, status: int = 200,
               **context: object) -> HTMLResponse:
    _ = translator(request, caller)["_"]
    return await render(request, "ledgers/import.html", caller, status=status,
                        ledger=ledger, heading=_(ledger.heading), see=_(ledger.see),
                        idempotency_key=new_key(), **{"report": None, "errors": {}, **context})


async def imported(request: Request, caller: StaffOrAdmin, services: Services,
                   config: Settings, ledger: ImportPage) -> HTMLResponse:
    form = await request.form()
    upload = form.get("file")
    dry_run = form.get("action") != "import"
    if not isinstance(upload, UploadFile) or not upload.filename:
        _ = translator(request, caller)["_"]
        return await show(request, caller, ledger, status=422,
                          errors={"file": _("Choose a file")})
    report = await import_ledger(
        services, caller.tenant_id, caller.user_id, upload.filename or "", await upload.read(),
        dry_run=dry_run, mode=ImportMode(form.get("mode") or ImportMode.all_or_nothing),
        timeout=config.ledger_timeout_seconds, layout=ledger.layout)
    return await show(request, caller, ledger, report=report, dry_run=dry_run,
                      language=locale_language(request_locale(request)))


@router.get("/projects/import", response_class=HTMLResponse)
async def import_page(request: Request, caller: StaffOrAdmin) -> HTMLResponse:
    return await show(request, caller, PAGES["projects"])


@router.post("/projects/import", response_class=HTMLResponse)
async def import_ledger_page(request: Request, caller: StaffOrAdmin, services: Services,
                             config: Settings) -> HTMLResponse:
    return await imported(request, caller, services, config, PAGES["projects"])


@router.get("/people/import", response_class=HTMLResponse)
async def people_import_page(request: Request, caller: StaffOrAdmin) -> HTMLResponse:
    return await show(request, caller, PAGES["people"])


@router.post("/people/import", response_class=HTMLResponse)
async def import_people_page(request: Request, caller: StaffOrAdmin, services: Services,
                             config: Settings) -> HTMLResponse:
    return await imported(request, caller, services, config, PAGES["people"])
