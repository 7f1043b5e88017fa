"""People and their chain-gap leads on a real database (SQLite, and PostgreSQL when configured):
registry's person events handled as the running service handles them, the leads a park's query
gets, what `LeadsComputed` announces and when, and erasure leaving nothing of the person."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlmodel import select

from guiyan_contracts.matching import AcceptProposal, GetParkLeads, LeadsComputed, ParkLeads
from guiyan_contracts.models import ChainLink
from guiyan_contracts.people import (
    PersonErased,
    PersonFacts,
    PersonRegistered,
    PersonUpdated,
)
from guiyan_contracts.refusals import NotFound
from guiyan_contracts.registry import (
    ParkRegistered,
    ParkUpdated,
    ProjectSubmitted,
    ProjectWithdrawn,
)
from guiyan_eventing.errors import Rejected
from guiyan_eventing.outbox import OutboxMessage
from guiyan_matching.config import MatchingSettings
from guiyan_matching.service_layer import handlers, leads, people
from guiyan_matching.service_layer.planner import Planner

from .conftest import answer, live_proposals, park, project

CONSUMER = "matching_from_registry"


def hanfu_park(park_id: str = "a", county: str = "caoxian") -> Any:
    """Hosts weaving and sewing of the hanfu chain: design is missing (补链), embroidery and
    e-commerce would extend it (延链)."""
    return park(park_id, 1000, county).model_copy(update={"hosted_links": [
        ChainLink(chain="hanfu", link="jacquard_weaving"),
        ChainLink(chain="hanfu", link="cutting_sewing")]})


def facts(person_id: str, **overrides: Any) -> PersonFacts:
    fields: dict[str, Any] = {
        "id": person_id, "status": "away", "hometown_county": "juye",
        "current_province": "zhejiang", "sector": "textiles_apparel", "chain": "hanfu",
        "link": "design_pattern", "role": "manager", "enterprise_scale": "medium",
        "influence": "general", "station_id": None, "contact_consent": True,
        "last_contact_on": None}
    return PersonFacts(**fields | overrides)


def handle(uow, *events, batch: bool = False) -> None:
    """Each event in its own transaction (or all in one, as a fetched batch is), claimed by
    matching's consumer as the service does."""
    route = {ParkRegistered: leads.park_registered, ParkUpdated: leads.park_updated,
             ProjectSubmitted: handlers.record_project, ProjectWithdrawn: leads.project_withdrawn,
             PersonRegistered: people.record_person,
             PersonUpdated: people.record_person, PersonErased: people.erase_person}
    for transaction in [events] if batch else [[event] for event in events]:
        with uow() as unit:
            unit.preload_claims(CONSUMER, [str(event.event_id) for event in transaction])
            for event in transaction:
                if unit.claim(CONSUMER, str(event.event_id)):
                    route[type(event)](event, unit)
            unit.commit()


def registered(person: PersonFacts) -> PersonRegistered:
    return PersonRegistered(producer="registry", tenant_id="heze", person=person)


def updated(person: PersonFacts) -> PersonUpdated:
    return PersonUpdated(producer="registry", tenant_id="heze", person=person)


def park_leads(uow, park_id: str = "a", per_link: int = 10) -> ParkLeads:
    return answer(uow, leads.get_park_leads,
                  GetParkLeads(tenant_id="heze", park_id=park_id, per_link=per_link))


def on_link(found: ParkLeads, link: str) -> list[str]:
    return [lead.person_id for lead in next(x for x in found.links if x.link == link).leads]


def announced(uow) -> list[ParkLeads]:
    with uow() as unit:
        rows = unit.session.exec(select(OutboxMessage).where(
            OutboxMessage.subject == LeadsComputed.SUBJECT).order_by(OutboxMessage.position))
        return [LeadsComputed.model_validate_json(row.payload).leads for row in rows]


@pytest.fixture
def city(uow):
    """Park a with its design link missing; on it, a large and a medium enterprise's people who
    agreed to be contacted, one who did not, and one already back home."""
    handle(uow, ParkRegistered(producer="t", tenant_id="heze", park=hanfu_park()),
           registered(facts("p-large", enterprise_scale="large")), registered(facts("p-medium")),
           registered(facts("p-no-consent", enterprise_scale="large", contact_consent=False)),
           registered(facts("p-home", status="returned")),
           registered(facts("p-embroiderer", link="embroidery")))
    return uow


def test_a_parks_missing_link_lists_its_consenting_people_best_first(city) -> None:
    found = park_leads(city)
    assert [(link.link, link.role.value) for link in found.links] == [
        ("design_pattern", "fill_gap"), ("embroidery", "extend"), ("apparel_ecommerce", "extend")]
    assert on_link(found, "design_pattern") == ["p-large", "p-medium"]
    assert on_link(found, "embroidery") == ["p-embroiderer"]
    everyone = {lead.person_id for link in found.links for lead in link.leads}
    assert "p-no-consent" not in everyone and "p-home" not in everyone
    assert found.links[0].leads[0].why.zh.startswith("在浙江省从事汉服产业链的「设计制版」环节")


def test_a_query_asks_for_as_many_as_it_wants_and_the_total_counts_them_all(city) -> None:
    (design, *_) = park_leads(city, per_link=1).links
    assert [lead.person_id for lead in design.leads] == ["p-large"] and design.total == 2


def test_an_unknown_park_or_one_of_another_city_is_not_found(city, jining) -> None:
    with pytest.raises(NotFound):
        answer(city, leads.get_park_leads, GetParkLeads(tenant_id="heze", park_id="nowhere"))
    with pytest.raises(NotFound):
        answer(city, leads.get_park_leads, GetParkLeads(tenant_id="jining", park_id="a"))


def test_a_person_update_moves_them_to_their_new_link(city) -> None:
    handle(city, updated(facts("p-medium", link="embroidery", enterprise_scale="large")))
    found = park_leads(city)
    assert on_link(found, "design_pattern") == ["p-large"]
    assert on_link(found, "embroidery") == ["p-medium", "p-embroiderer"]


def test_withdrawn_consent_ends_a_lead(city) -> None:
    handle(city, updated(facts("p-large", enterprise_scale="large", contact_consent=False)))
    assert on_link(park_leads(city), "design_pattern") == ["p-medium"]


def test_leads_are_announced_once_per_real_change(city) -> None:
    before = len(announced(city))
    # The same facts again, a person nobody may contact, and one on no link of the park: no change.
    handle(city, updated(facts("p-medium")),
           registered(facts("p-silent", contact_consent=False)),
           registered(facts("p-elsewhere", chain="hair_products", link="wigs")))
    park_leads(city)  # computed today already: answered from the store
    assert len(announced(city)) == before
    handle(city, updated(facts("p-medium", enterprise_scale="large", influence="key")))
    (*_, latest) = announced(city)
    assert len(announced(city)) == before + 1
    assert [lead.person_id for lead in latest.links[0].leads] == ["p-medium", "p-large"]


def test_a_batch_of_changes_to_a_parks_leads_announces_them_once(city) -> None:
    before = len(announced(city))
    handle(city, registered(facts("p-new", enterprise_scale="large", influence="key")),
           updated(facts("p-medium", enterprise_scale="micro")),
           updated(facts("p-embroiderer", link="design_pattern")), batch=True)
    assert len(announced(city)) == before + 1
    assert on_link(announced(city)[-1], "design_pattern") == [
        "p-new", "p-large", "p-embroiderer", "p-medium"]


def test_a_park_update_that_fills_its_gap_takes_the_link_from_its_leads(city) -> None:
    filled = hanfu_park().model_copy(update={"hosted_links": [
        *hanfu_park().hosted_links, ChainLink(chain="hanfu", link="design_pattern")]})
    handle(city, ParkUpdated(producer="t", tenant_id="heze", park=filled, updated_by="staff"))
    assert "design_pattern" not in [link.link for link in announced(city)[-1].links]
    assert "design_pattern" not in [link.link for link in park_leads(city).links]


async def test_an_accepted_placement_fills_the_missing_link_until_it_is_withdrawn(city) -> None:
    handle(city, ProjectSubmitted(producer="t", tenant_id="heze", project=project("p1", 200)))
    await Planner(city, MatchingSettings(solver_time_limit_seconds=2)).plan("heze")
    (offer,) = live_proposals(city)
    answer(city, leads.accept_proposal,
           AcceptProposal(tenant_id="heze", proposal_id=offer.id, decided_by="mgr-a"))
    latest = announced(city)[-1]
    assert "design_pattern" not in [link.link for link in latest.links]

    withdrawn = project("p1", 200)
    handle(city, ProjectWithdrawn(producer="t", tenant_id="heze", withdrawn_by="staff",
                                  project=withdrawn.model_copy(update={
                                      "withdrawn_at": withdrawn.submitted_at,
                                      "withdrawn_reason": "gone elsewhere"})))
    assert on_link(announced(city)[-1], "design_pattern") == ["p-large", "p-medium"]


def dump(uow) -> str:
    """Every row of every table in matching's database, as text."""
    with uow() as unit:
        tables = inspect(unit.session.get_bind()).get_table_names()
        return "\n".join(str(row) for table in tables
                         for row in unit.session.execute(text(f'SELECT * FROM "{table}"')))


def test_erasure_leaves_no_trace_of_the_person_in_any_table(city) -> None:
    person_id = f"erased-{uuid.uuid4().hex}"
    handle(city, registered(facts(person_id, enterprise_scale="large", influence="key")))
    assert on_link(park_leads(city), "design_pattern")[0] == person_id
    assert person_id in dump(city)
    handle(city, PersonErased(producer="registry", tenant_id="heze", person_id=person_id))
    assert person_id not in dump(city)
    assert on_link(announced(city)[-1], "design_pattern") == ["p-large", "p-medium"]
    assert on_link(park_leads(city), "design_pattern") == ["p-large", "p-medium"]


def test_an_update_from_before_the_erasure_arriving_after_it_does_not_bring_the_person_back(
        city) -> None:
    late = updated(facts("p-large", enterprise_scale="large"))
    handle(city, PersonErased(producer="registry", tenant_id="heze", person_id="p-large"), late)
    assert "p-large" not in dump(city)
    assert on_link(park_leads(city), "design_pattern") == ["p-medium"]


def test_erasing_a_person_twice_or_one_never_heard_of_changes_nothing_more(city) -> None:
    handle(city, PersonErased(producer="registry", tenant_id="heze", person_id="p-medium"))
    before = len(announced(city))
    handle(city, PersonErased(producer="registry", tenant_id="heze", person_id="p-medium"),
           PersonErased(producer="registry", tenant_id="heze", person_id="p-stranger"))
    assert len(announced(city)) == before
    assert on_link(park_leads(city), "design_pattern") == ["p-large"]


def test_a_person_recorded_in_another_city_is_refused(city, jining) -> None:
    with pytest.raises(Rejected, match="recorded in heze"):
        handle(city, PersonUpdated(producer="registry", tenant_id="jining",
                                   person=facts("p-medium")))


def test_a_recorded_contact_earns_its_lead_points_for_it(city) -> None:
    def contact_points() -> float:
        medium = next(lead for lead in park_leads(city).links[0].leads
                      if lead.person_id == "p-medium")
        return {term.term: term.points for term in medium.terms}["recent_contact"]

    assert contact_points() == 0
    handle(city, updated(facts("p-medium", last_contact_on=date(2026, 10, 1))))
    assert contact_points() > 0
