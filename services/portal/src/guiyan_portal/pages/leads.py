"""A park's leads: for each link the park lacks (补链) or could extend to (延链), the people
working in it elsewhere who agreed to be contacted, best first, each with why in the page's
language, and a task to approach them."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from guiyan_contracts import api, matching
from guiyan_contracts import people as registry_people
from guiyan_contracts.models import Id, Park

from ..access import Services, StaffOrAdmin, visible_park
from ..auth import Principal
from ..gateway import Gateway
from ..stations import city_stations
from .rendering import render

router = APIRouter(include_in_schema=False)


async def park_leads(services: Gateway, caller: Principal, park: Park) -> api.ParkLeadsView:
    """matching's leads for the park, each person named from registry (read as one logged bulk
    read); a person erased since is left out. Leads not computed yet are none."""
    try:
        found = await services.ask(matching.GetParkLeads(tenant_id=caller.tenant_id,
                                                         park_id=park.id), matching.ParkLeads)
    except HTTPException as refusal:
        if refusal.status_code != 404:
            raise
        return api.ParkLeadsView(park_id=park.id, park_name=park.name, computed_at=None,
                                 links=[])
    wanted = sorted({lead.person_id for link in found.links for lead in link.leads})
    people = {}
    if wanted:
        read = await services.ask(registry_people.GetPeople(
            tenant_id=caller.tenant_id, person_ids=wanted, read_by=caller.user_id,
            purpose="leads"), registry_people.PersonList)
        people = {person.id: api.PersonSummary.of(person) for person in read.people}
    return api.ParkLeadsView(
        park_id=park.id, park_name=found.park_name, computed_at=found.computed_at,
        links=[api.LinkLeadsView(
            **link.model_dump(exclude={"leads"}),
            leads=[api.LeadView(**lead.model_dump(), person=people[lead.person_id])
                   for lead in link.leads if lead.person_id in people])
               for link in found.links])


@router.get("/parks/{park_id}/leads", response_class=HTMLResponse)
async def leads_page(request: Request, park_id: Id, caller: StaffOrAdmin,
                     services: Services) -> HTMLResponse:
    park, _managed = await visible_park(park_id, caller, services)
    stations = await city_stations(services, caller.tenant_id)
    return await render(request, "parks/leads.html", caller, park=park,
                        leads=await park_leads(services, caller, park),
                        station_names={s.id: s.name for s in stations})
