"""Chain-gap leads, one behaviour per test: which links a park lacks, who may be a lead, and each
term of a lead's score as a pair, the better against the worse. Pure functions: no I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from guiyan_contracts.models import ChainLink, ChainRole, Park, ParkKind
from guiyan_contracts.people import EnterpriseScale, Influence, PersonFacts, PersonStatus
from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_matching.adapters.policies import load_policy
from guiyan_matching.domain.leads import (
    GapLink,
    LeadContext,
    best,
    fingerprint,
    gap_links,
    hometown_points,
    influence_points,
    lead,
    may_be_lead,
    park_leads,
    recent_contact_points,
    scale_points,
)

TAXONOMY = load_taxonomy("heze")
TODAY = date(2026, 11, 15)
CONTEXT = LeadContext(load_policy("heze").leads, TAXONOMY, TODAY)
NOW = datetime(2026, 11, 15, 2, tzinfo=UTC)
GAP = GapLink("textiles_apparel", "hanfu", "design_pattern", ChainRole.fill_gap)


def hanfu_park(**overrides: Any) -> Park:
    """Hosts the hanfu chain's weaving (1st link) and sewing (3rd): design (2nd) is its gap,
    embroidery and e-commerce (4th, 5th) would extend it."""
    fields: dict[str, Any] = {
        "id": "park-1", "tenant_id": "heze", "created_at": NOW, "name": "曹县汉服产业园",
        "kind": ParkKind.return_home_park, "county": "caoxian", "sectors": ["textiles_apparel"],
        "floor_m2": 10_000, "hosted_links": [ChainLink(chain="hanfu", link="jacquard_weaving"),
                                             ChainLink(chain="hanfu", link="cutting_sewing")]}
    return Park(**fields | overrides)


def person(**overrides: Any) -> PersonFacts:
    fields: dict[str, Any] = {
        "id": "person-1", "status": PersonStatus.away, "hometown_county": "juye",
        "current_province": "zhejiang", "sector": "textiles_apparel", "chain": "hanfu",
        "link": "design_pattern", "role": "manager", "enterprise_scale": EnterpriseScale.medium,
        "influence": Influence.general, "station_id": None, "contact_consent": True,
        "last_contact_on": None}
    return PersonFacts(**fields | overrides)


def points(term, **overrides: Any) -> float:
    return term(person(**overrides), hanfu_park(), CONTEXT)


# --- the park's gaps ---------------------------------------------------------------------------

def test_a_link_between_two_hosted_ones_is_missing_and_those_beyond_extend() -> None:
    gaps = [(gap.link, gap.role) for gap in gap_links(hanfu_park(), TAXONOMY)]
    assert gaps == [("design_pattern", ChainRole.fill_gap), ("embroidery", ChainRole.extend),
                    ("apparel_ecommerce", ChainRole.extend)]


def test_a_link_a_placement_brought_is_hosted_like_a_registered_one() -> None:
    gaps = gap_links(hanfu_park(), TAXONOMY, placed=frozenset({("hanfu", "apparel_ecommerce")}))
    assert [(gap.link, gap.role) for gap in gaps] == [
        ("design_pattern", ChainRole.fill_gap), ("embroidery", ChainRole.fill_gap)]


def test_a_park_hosting_nothing_of_a_chain_has_no_gaps_in_it() -> None:
    assert gap_links(hanfu_park(hosted_links=[]), TAXONOMY) == []


def test_only_chains_of_the_sectors_the_park_takes_have_gaps() -> None:
    park = hanfu_park(sectors=["wood_furniture"])
    assert gap_links(park, TAXONOMY) == []


# --- who may be a lead -------------------------------------------------------------------------

def test_a_person_who_agreed_to_be_contacted_may_be_a_lead() -> None:
    assert may_be_lead(person(contact_consent=True))


def test_a_person_without_consent_is_never_a_lead() -> None:
    assert not may_be_lead(person(contact_consent=False))
    leads = park_leads(hanfu_park(), [GAP], [person(contact_consent=False)], CONTEXT, NOW)
    assert leads.links[0].leads == [] and leads.links[0].total == 0


@pytest.mark.parametrize("status", [PersonStatus.returned, PersonStatus.founder])
def test_people_already_home_are_not_leads(status: PersonStatus) -> None:
    assert not may_be_lead(person(status=status))


def test_only_people_on_the_link_are_its_leads() -> None:
    on, off = person(id="on"), person(id="off", link="embroidery")
    (link,) = park_leads(hanfu_park(), [GAP], [on, off], CONTEXT, NOW).links
    assert [found.person_id for found in link.leads] == ["on"]


# --- the terms, each a pair --------------------------------------------------------------------

def test_a_larger_enterprise_scores_higher() -> None:
    ranked = [points(scale_points, enterprise_scale=scale) for scale in (
        EnterpriseScale.large, EnterpriseScale.medium, EnterpriseScale.small,
        EnterpriseScale.micro, None)]
    assert ranked == sorted(ranked, reverse=True) and len(set(ranked)) == 5


def test_an_unknown_scale_earns_nothing() -> None:
    assert points(scale_points, enterprise_scale=None) == 0


def test_a_key_figure_scores_higher_than_a_notable_one_and_a_notable_one_than_others() -> None:
    key, notable, general = (points(influence_points, influence=i) for i in (
        Influence.key, Influence.notable, Influence.general))
    assert key > notable > general


def test_a_hometown_in_the_parks_county_scores_higher_than_another_county() -> None:
    assert points(hometown_points, hometown_county="caoxian") > points(
        hometown_points, hometown_county="juye") > 0


def test_a_contact_within_six_months_scores_higher_than_an_older_one() -> None:
    assert points(recent_contact_points, last_contact_on=date(2026, 6, 1)) > points(
        recent_contact_points, last_contact_on=date(2026, 3, 1))


def test_an_older_contact_still_scores_higher_than_none() -> None:
    assert points(recent_contact_points, last_contact_on=date(2020, 1, 1)) > points(
        recent_contact_points, last_contact_on=None) == 0


def test_contacts_further_back_score_less() -> None:
    assert points(recent_contact_points, last_contact_on=date(2026, 1, 1)) > points(
        recent_contact_points, last_contact_on=date(2025, 1, 1))


# --- a lead and a park's leads -----------------------------------------------------------------

def test_a_leads_score_is_its_four_terms_and_its_why_names_everything_in_each_language() -> None:
    found = lead(person(hometown_county="caoxian", last_contact_on=date(2026, 10, 8),
                        influence=Influence.key), hanfu_park(), GAP, CONTEXT)
    assert [term.term for term in found.terms] == ["scale", "influence", "hometown",
                                                   "recent_contact"]
    assert found.score == pytest.approx(sum(term.points for term in found.terms))
    assert all(word in found.why.zh for word in ("浙江", "汉服", "设计制版", "补链", "中型企业",
                                                 "重点人士", "曹县", "2026年10月8日"))
    assert all(word in found.why.en for word in ("Zhejiang", "Hanfu", "Design and pattern making",
                                                 "medium", "key figure", "Cao County",
                                                 "October 8, 2026"))
    for code in ("design_pattern", "hanfu", "caoxian", "zhejiang", "fill_gap"):
        assert code not in found.why.zh and code not in found.why.en


def test_leads_are_best_first_and_best_keeps_the_total() -> None:
    people = [person(id=f"p{i}", enterprise_scale=scale) for i, scale in enumerate(
        (EnterpriseScale.micro, EnterpriseScale.large, EnterpriseScale.small))]
    leads = park_leads(hanfu_park(), [GAP], people, CONTEXT, NOW)
    assert [found.person_id for found in leads.links[0].leads] == ["p1", "p2", "p0"]
    (link,) = best(leads, 1).links
    assert [found.person_id for found in link.leads] == ["p1"] and link.total == 3


def test_the_same_leads_computed_later_have_the_same_fingerprint() -> None:
    first = park_leads(hanfu_park(), [GAP], [person()], CONTEXT, NOW)
    again = park_leads(hanfu_park(), [GAP], [person()], CONTEXT, datetime(2026, 11, 15, 9, tzinfo=UTC))
    moved = park_leads(hanfu_park(), [GAP], [person(influence=Influence.key)], CONTEXT, NOW)
    assert fingerprint(first) == fingerprint(again) != fingerprint(moved)


def test_a_change_below_the_published_best_leaves_the_fingerprint() -> None:
    people = [person(id=f"p{i:02}", enterprise_scale=EnterpriseScale.large) for i in range(10)]
    low = person(id="z", enterprise_scale=EnterpriseScale.micro)
    first = park_leads(hanfu_park(), [GAP], [*people, low], CONTEXT, NOW)
    moved = park_leads(hanfu_park(), [GAP], [*people, low.model_copy(
        update={"enterprise_scale": EnterpriseScale.small})], CONTEXT, NOW)
    assert fingerprint(first) == fingerprint(moved)
