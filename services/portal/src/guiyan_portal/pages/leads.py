"""A park's leads: for each link the park lacks (补链) or could extend to (延链), the people
working in it elsewhere who agreed to be contacted, best first, each with why in the page's
language, and a task to approach them. The API's own answer, shown as a page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from guiyan_contracts import registry
from guiyan_contracts.models import Id, Park

from ..access import Services, StaffOrAdmin
from ..routes import leads as lead_api
from .rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/parks/{park_id}/leads", response_class=HTMLResponse)
async def leads_page(request: Request, park_id: Id, caller: StaffOrAdmin,
                     services: Services) -> HTMLResponse:
    park = await services.ask(registry.GetPark(tenant_id=caller.tenant_id, park_id=park_id),
                              Park)
    return await render(request, "parks/leads.html", caller, park=park,
                        leads=await lead_api.park_leads(park_id, caller, services, per_link=10))
