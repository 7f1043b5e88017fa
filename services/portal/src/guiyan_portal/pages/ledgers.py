"""Staff's import page: a ledger uploaded as a dry run first, the report row by row in the
page's language, then imported; the same code as `POST /api/v1/projects/import`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from guiyan_contracts.registry import ImportMode
from guiyan_contracts.taxonomy import locale_language

from ..access import Services, Settings, StaffOrAdmin
from ..i18n import request_locale
from ..ledgers.importing import import_ledger
from .actions import new_key
from .rendering import render, translator

router = APIRouter(include_in_schema=False)


@router.get("/projects/import", response_class=HTMLResponse)
async def import_page(request: Request, caller: StaffOrAdmin) -> HTMLResponse:
    return await render(request, "projects/import.html", caller, report=None,
                        idempotency_key=new_key(), errors={})


@router.post("/projects/import", response_class=HTMLResponse)
async def import_ledger_page(request: Request, caller: StaffOrAdmin, services: Services,
                             config: Settings) -> HTMLResponse:
    form = await request.form()
    upload = form.get("file")
    dry_run = form.get("action") != "import"
    if not isinstance(upload, UploadFile) or not upload.filename:
        _ = translator(request, caller)["_"]
        return await render(request, "projects/import.html", caller, status=422, report=None,
                            idempotency_key=new_key(), errors={"file": _("Choose a file")})
    report = await import_ledger(
        services, caller.tenant_id, caller.user_id, upload.filename or "", await upload.read(),
        dry_run=dry_run, mode=ImportMode(form.get("mode") or ImportMode.all_or_nothing),
        timeout=config.ledger_timeout_seconds)
    return await render(request, "projects/import.html", caller, report=report,
                        dry_run=dry_run, idempotency_key=new_key(), errors={},
                        language=locale_language(request_locale(request)))
