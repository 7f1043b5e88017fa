"""A park's chain-gap leads (招商线索): for each link it lacks or could extend to, the consenting
people working in that link elsewhere, best first, each with why. Matching ranks them by id;
the names come from registry, in one logged read, to staff and admins only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from guiyan_contracts import api, matching, people, registry
from guiyan_contracts.models import Id, Park

from ..access import Services, StaffOrAdmin
from ..errors import answers
from ..leads import lead_views

router = APIRouter(prefix="/api/v1", tags=["leads"])
PEOPLE_PER_READ = 1000  # as many as one `GetPeople` names


@router.get("/parks/{park_id}/leads", response_model=api.ParkLeadsView,
            responses=answers(401, 403, 404, 422, 502, 503))
async def park_leads(park_id: Id, caller: StaffOrAdmin, services: Services,
                     per_link: Annotated[int, Query(ge=1, le=200, description=(
                         "At most this many people per link"))] = 10) -> Any:
    """Per link the park lacks (补链, `fill_gap`) or could extend to (延链, `extend`), the people
    to approach, ranked by enterprise scale, influence, hometown closeness to the park's county
    and recent contact (staff, admins). Only people who consented to be contacted are leads; an
    erased person is never one. `computed_at` is none until matching has weighed the park."""
    park = await services.ask(registry.GetPark(tenant_id=caller.tenant_id, park_id=park_id),
                              Park)
    try:
        leads = await services.ask(matching.GetParkLeads(
            tenant_id=caller.tenant_id, park_id=park_id, per_link=per_link), matching.ParkLeads)
    except HTTPException as error:
        if error.status_code != 404:
            raise
        return api.ParkLeadsView(park_id=park.id, park_name=park.name, computed_at=None,
                                 links=[])
    ids = list(dict.fromkeys(lead.person_id for link in leads.links for lead in link.leads))
    found: list[people.Person] = []
    for start in range(0, len(ids), PEOPLE_PER_READ):  # many links × `per_link` people
        found += (await services.ask(people.GetPeople(
            tenant_id=caller.tenant_id, person_ids=ids[start:start + PEOPLE_PER_READ],
            read_by=caller.user_id, purpose="leads"), people.PersonList)).people
    return lead_views(leads, found)
