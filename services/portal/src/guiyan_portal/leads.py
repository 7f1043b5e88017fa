"""A park's leads as staff read them: matching's ranking, each lead with the person's summary
from registry."""

from __future__ import annotations

from guiyan_contracts import api, matching
from guiyan_contracts.people import Person


def lead_views(leads: matching.ParkLeads, found: list[Person]) -> api.ParkLeadsView:
    """The leads of people registry still has and who consent now: matching may not yet have
    heard of an erasure or of consent withdrawn, and registry is the record."""
    summaries = {person.id: api.PersonSummary.of(person) for person in found
                 if person.contact_consent}
    return api.ParkLeadsView(
        park_id=leads.park_id, park_name=leads.park_name, computed_at=leads.computed_at,
        links=[api.LinkLeadsView(
            **link.model_dump(exclude={"leads"}),
            leads=[api.LeadView(**lead.model_dump(), person=summaries[lead.person_id])
                   for lead in link.leads if lead.person_id in summaries])
            for link in leads.links])
