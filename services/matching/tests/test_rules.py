"""The matching rules, one behaviour per test. Pure functions over contract snapshots: no I/O."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

import pytest

from guiyan_contracts.models import ChainLink, ChainRole, Park, ParkKind, Project, SubsidyPolicy
from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_matching.adapters.policies import load_policy
from guiyan_matching.domain.rules import (
    RuleContext,
    accepted_by_park_kind,
    capacity,
    chain_role,
    fee_subsidy_yuan,
    hazardous_only_in_certified_chemical_parks,
    incubator_entry_window,
    ineligibility,
    meets_investment_intensity,
    meets_tax_per_mu,
    not_forbidden,
    one_off_subsidy_yuan,
    rent_subsidy_yuan,
    required_facilities_present,
    resource_use,
    score_terms,
    sector_accepted,
    space_of_the_right_kind,
    subsidy_by_year,
    subsidy_items,
)
from guiyan_matching.domain.support import is_innovative, support_tiers

TAXONOMY = load_taxonomy("heze")
TODAY = date(2024, 6, 15)
POLICY = load_policy("heze")
WEIGHTS = POLICY.weights
CONTEXT = RuleContext(POLICY, TODAY, TAXONOMY)
CREATED = datetime(2024, 1, 1, tzinfo=UTC)


def make_park(**overrides: Any) -> Park:
    fields: dict[str, Any] = {
        "id": "park-1", "tenant_id": "heze", "created_at": CREATED,
        "name": "曹县返乡创业园", "kind": ParkKind.return_home_park, "county": "caoxian",
        "sectors": ["wood_furniture"], "floor_m2": 10_000,
    }
    fields.update(overrides)
    return Park(**fields)


def make_project(**overrides: Any) -> Project:
    fields: dict[str, Any] = {
        "id": "project-1", "tenant_id": "heze", "submitted_by": "staff-1", "submitted_at": CREATED,
        "name": "木门厂", "founder": "张三", "source": "杭州站", "hometown_county": "juye",
        "sector": "wood_furniture", "chain": "wood", "link": "furniture_doors",
        "floor_m2": 200, "investment_yuan": 1_000_000, "jobs": 3,
        "registered_on": date(2023, 11, 1),
    }
    fields.update(overrides)
    return Project(**fields)


def hosting(*links: str, chain: str = "wood") -> list[ChainLink]:
    return [ChainLink(chain=chain, link=link) for link in links]


# --- eligibility -------------------------------------------------------------------------------

def test_a_park_only_takes_projects_in_its_sectors() -> None:
    park = make_park(sectors=["wood_furniture"])
    assert sector_accepted(make_project(), park, CONTEXT) is None
    reason = sector_accepted(make_project(sector="biomedicine", chain="pharma", link="tcm"), park, CONTEXT)
    assert reason is not None and reason.rule == "sector"
    assert "(Biomedicine)" in reason.en and "（生物医药）" in reason.zh  # by name, never by code


def test_hazardous_processes_only_enter_certified_chemical_parks() -> None:
    chemicals = {"sectors": ["high_end_chemicals"]}
    project = make_project(sector="high_end_chemicals", chain="fine_chemicals",
                           link="chemical_intermediates", hazardous_process=True)
    certified = make_park(kind=ParkKind.chemical_park, chemical_park_certified=True, **chemicals)
    uncertified = make_park(kind=ParkKind.chemical_park, **chemicals)
    cluster = make_park(kind=ParkKind.industrial_cluster, **chemicals)

    assert hazardous_only_in_certified_chemical_parks(project, certified, CONTEXT) is None
    for park in (uncertified, cluster):
        reason = hazardous_only_in_certified_chemical_parks(project, park, CONTEXT)
        assert reason is not None and reason.rule == "chemical_park"
        assert ineligibility(project, park, CONTEXT) == reason
    safe = project.model_copy(update={"hazardous_process": False})
    assert hazardous_only_in_certified_chemical_parks(safe, cluster, CONTEXT) is None


def test_land_projects_below_the_parks_investment_intensity_are_excluded() -> None:
    park = make_park(land_mu=500, min_investment_yuan_per_mu=1_000_000)
    below = make_project(floor_m2=0, land_mu=50, investment_yuan=49_999_999)  # 999,999.98 / mu
    at_floor = make_project(floor_m2=0, land_mu=50, investment_yuan=50_000_000)

    reason = meets_investment_intensity(below, park, CONTEXT)
    assert reason is not None and reason.rule == "investment_intensity"
    assert "1,000,000 yuan/mu" in reason.en
    assert meets_investment_intensity(at_floor, park, CONTEXT) is None


def test_investment_intensity_does_not_apply_to_floor_projects_or_parks_without_a_floor() -> None:
    strict = make_park(land_mu=500, min_investment_yuan_per_mu=2_400_000)
    floor_project = make_project(floor_m2=300, investment_yuan=1)
    assert meets_investment_intensity(floor_project, strict, CONTEXT) is None
    lenient = make_park(land_mu=500)
    poor_land_project = make_project(floor_m2=0, land_mu=100, investment_yuan=1)
    assert meets_investment_intensity(poor_land_project, lenient, CONTEXT) is None


def test_incubators_take_only_businesses_registered_within_24_months() -> None:
    incubator = make_park(kind=ParkKind.incubator, incubator_slots=50)
    exactly_24 = make_project(registered_on=date(2022, 6, 15))
    months_25 = make_project(registered_on=date(2022, 5, 15))

    assert incubator_entry_window(exactly_24, incubator, CONTEXT) is None
    reason = incubator_entry_window(months_25, incubator, CONTEXT)
    assert reason is not None and reason.rule == "incubator_window"
    assert "May 15, 2022" in reason.en and "2022年5月15日" in reason.zh and "24个月" in reason.zh


def test_a_business_without_a_registration_date_is_not_taken_for_new_by_incubators() -> None:
    incubator = make_park(kind=ParkKind.incubator, incubator_slots=50)
    registered = make_project(registered_on=date(2024, 1, 15))
    not_registered = make_project(registered_on=None)

    assert incubator_entry_window(registered, incubator, CONTEXT) is None
    reason = incubator_entry_window(not_registered, incubator, CONTEXT)
    assert reason is not None and reason.rule == "incubator_window"
    assert "registration date" in reason.en and "注册日期" in reason.zh
    assert incubator_entry_window(not_registered, make_park(), CONTEXT) is None


def test_the_24_month_window_only_applies_to_incubators() -> None:
    old = make_project(registered_on=date(2010, 1, 1))
    assert incubator_entry_window(old, make_park(), CONTEXT) is None


def test_a_business_registered_24_months_and_30_days_ago_is_outside_the_window() -> None:
    incubator = make_park(kind=ParkKind.incubator, incubator_slots=50)
    project = make_project(registered_on=date(2022, 6, 1))
    assert incubator_entry_window(project, incubator, RuleContext(POLICY, date(2024, 6, 30), TAXONOMY)) is not None


def test_a_project_needs_the_kind_of_space_it_asks_for() -> None:
    floor_only = make_park(floor_m2=5_000, land_mu=0)
    land_only = make_park(floor_m2=0, land_mu=300)
    land_project = make_project(floor_m2=0, land_mu=30, investment_yuan=60_000_000)
    floor_project = make_project(floor_m2=200)

    assert space_of_the_right_kind(land_project, floor_only, CONTEXT).rule == "space_kind"
    assert space_of_the_right_kind(floor_project, land_only, CONTEXT).rule == "space_kind"
    assert space_of_the_right_kind(land_project, land_only, CONTEXT) is None
    assert space_of_the_right_kind(floor_project, floor_only, CONTEXT) is None


def test_ineligibility_reports_the_first_failing_rule_in_order() -> None:
    park = make_park(sectors=["biomedicine"], floor_m2=0, land_mu=10)
    project = make_project(hazardous_process=True)  # wrong sector, not certified, needs floor
    assert ineligibility(project, park, CONTEXT).rule == "sector"
    assert ineligibility(make_project(), make_park(), CONTEXT) is None


# --- chain role --------------------------------------------------------------------------------

def test_a_missing_middle_link_is_fill_gap() -> None:
    park = make_park(hosted_links=hosting("logs", "wood_crafts"))  # positions 0 and 3
    assert chain_role(make_project(link="furniture_doors"), park, TAXONOMY) is ChainRole.fill_gap
    assert chain_role(make_project(link="veneer_panels"), park, TAXONOMY) is ChainRole.fill_gap


def test_a_link_beyond_the_hosted_ones_extends_the_chain() -> None:
    park = make_park(hosted_links=hosting("veneer_panels", "furniture_doors"))  # positions 1 and 2
    assert chain_role(make_project(link="logs"), park, TAXONOMY) is ChainRole.extend
    assert chain_role(make_project(link="ecommerce_export"), park, TAXONOMY) is ChainRole.extend


def test_next_to_a_single_hosted_link_extends_the_chain() -> None:
    park = make_park(hosted_links=hosting("veneer_panels"))
    assert chain_role(make_project(link="furniture_doors"), park, TAXONOMY) is ChainRole.extend


def test_a_hosted_link_is_strengthen() -> None:
    park = make_park(hosted_links=hosting("logs", "furniture_doors", "ecommerce_export"))
    assert chain_role(make_project(link="furniture_doors"), park, TAXONOMY) is ChainRole.strengthen
    assert chain_role(make_project(link="logs"), park, TAXONOMY) is ChainRole.strengthen


def test_without_hosted_links_on_the_projects_chain_the_role_is_same_sector() -> None:
    textiles = {"sectors": ["textiles_apparel"]}
    project = make_project(sector="textiles_apparel", chain="hanfu", link="embroidery")
    no_links = make_park(**textiles)
    other_chain = make_park(hosted_links=hosting("raw_hair", "hair_export", chain="hair_products"),
                            **textiles)
    unknown_link = make_park(hosted_links=hosting("not_a_link", chain="hanfu"), **textiles)
    assert chain_role(project, no_links, TAXONOMY) is ChainRole.same_sector
    assert chain_role(project, other_chain, TAXONOMY) is ChainRole.same_sector
    assert chain_role(project, unknown_link, TAXONOMY) is ChainRole.same_sector


# --- subsidy, use and capacity -----------------------------------------------------------------

PLAIN = support_tiers(make_project(), ChainRole.same_sector, POLICY.support)  # each item ×1


def test_subsidy_cost_follows_the_park_policy() -> None:
    park = make_park(annual_subsidy_budget_yuan=20_000_000)  # default SubsidyPolicy
    project = make_project(floor_m2=200, jobs=10)
    # Rent 20 yuan/m²/month on 200 m²: year 1 at 100%, years 2–3 at 50%.
    rent = 20 * 200 * 12 * 1.0 + 20 * 200 * 12 * 0.5 * 2  # 96,000
    # Fees 3 yuan/m²/month, half subsidised, 3,600 a year (under the 20,000 cap), for 3 years.
    fees = min(3 * 200 * 12 * 0.5, 20_000) * 3  # 10,800
    one_off = 30_000  # more than 5 hires
    per_job = 2_000 * 10
    assert sum(rent_subsidy_yuan(project, park)) == pytest.approx(96_000)
    assert sum(fee_subsidy_yuan(project, park)) == pytest.approx(10_800)
    assert one_off_subsidy_yuan(project, park) == (30_000,)
    items = subsidy_items(project, park, PLAIN)
    assert items == pytest.approx({"rent": rent, "fees": fees, "one_off": one_off, "per_job": per_job})
    assert sum(items.values()) == pytest.approx(156_800)


def test_each_year_is_charged_its_own_share() -> None:
    park = make_park(annual_subsidy_budget_yuan=20_000_000)
    project = make_project(floor_m2=200, jobs=10)
    # Year 1: rent at 100%, fees, the one-off and the per-job subsidy; years 2–3: half the rent, fees.
    assert subsidy_by_year(project, park, PLAIN) == pytest.approx(
        (48_000 + 3_600 + 30_000 + 20_000, 24_000 + 3_600, 24_000 + 3_600))


def test_subsidies_respect_the_area_rent_and_fee_caps() -> None:
    policy = SubsidyPolicy(rent_yuan_per_m2_month=100, rent_subsidy_cap_yuan_per_m2_month=80,
                           rent_subsidy_area_cap_m2=1_000, rent_subsidy_pct_by_year=[100],
                           fee_yuan_per_m2_month=10, fee_subsidy_pct=50,
                           fee_subsidy_cap_yuan_per_year=20_000)
    park = make_park(subsidy_policy=policy, annual_subsidy_budget_yuan=1e7)
    project = make_project(floor_m2=3_000, jobs=2)
    assert rent_subsidy_yuan(project, park) == pytest.approx((80 * 1_000 * 12,))
    assert fee_subsidy_yuan(project, park) == pytest.approx((20_000,))  # 180,000 capped


def test_free_premises_months_are_charged_at_the_full_rent() -> None:
    policy = SubsidyPolicy(free_premises_months=6, rent_subsidy_pct_by_year=[50])
    park = make_park(subsidy_policy=policy, annual_subsidy_budget_yuan=1e7)
    project = make_project(floor_m2=100)
    assert rent_subsidy_yuan(project, park) == pytest.approx((20 * 100 * 6 + 20 * 100 * 6 * 0.5,))


def test_free_months_beyond_the_first_year_are_charged_to_the_years_they_fall_in() -> None:
    policy = SubsidyPolicy(free_premises_months=18, rent_subsidy_pct_by_year=[50])
    park = make_park(subsidy_policy=policy, annual_subsidy_budget_yuan=1e7)
    project = make_project(floor_m2=100)
    assert rent_subsidy_yuan(project, park) == pytest.approx((20 * 100 * 12, 20 * 100 * 6))


def test_the_one_off_subsidy_rises_only_above_the_hires_threshold() -> None:
    park = make_park(annual_subsidy_budget_yuan=1e6)
    assert one_off_subsidy_yuan(make_project(jobs=5), park) == (12_000,)
    assert one_off_subsidy_yuan(make_project(jobs=6), park) == (30_000,)


def test_a_park_without_budget_charges_no_subsidy() -> None:
    park = make_park(annual_subsidy_budget_yuan=0)
    project = make_project(floor_m2=500, jobs=20)
    assert subsidy_items(project, park, PLAIN) == {}
    assert resource_use(project, park, PLAIN, 2027) == {"floor_m2": 500}
    assert capacity(park, 2027) == {"floor_m2": 10_000, "land_mu": 0}


def test_resource_use_charges_each_budget_year_from_the_first() -> None:
    budgeted = make_park(land_mu=100, annual_subsidy_budget_yuan=1e6)
    floor_use = resource_use(make_project(floor_m2=200, jobs=0), budgeted, PLAIN, 2027)
    assert floor_use == {"floor_m2": 200, "subsidy_yuan:2027": pytest.approx(48_000 + 3_600 + 12_000),
                         "subsidy_yuan:2028": pytest.approx(24_000 + 3_600),
                         "subsidy_yuan:2029": pytest.approx(24_000 + 3_600)}
    land_use = resource_use(make_project(floor_m2=0, land_mu=20, jobs=0), budgeted, PLAIN, 2027)
    assert land_use == {"land_mu": 20, "subsidy_yuan:2027": 12_000}  # nothing charged after year 1


def test_an_incubator_place_uses_one_slot() -> None:
    incubator = make_park(kind=ParkKind.incubator, incubator_slots=40)
    assert resource_use(make_project(floor_m2=150), incubator, PLAIN, 2027) == {"floor_m2": 150,
                                                                                 "slots": 1}
    assert capacity(incubator, 2027) == {"floor_m2": 10_000, "land_mu": 0, "slots": 40}


def test_capacity_has_the_annual_budget_for_each_year_a_commitment_may_charge() -> None:
    park = make_park(floor_m2=8_000, land_mu=200, annual_subsidy_budget_yuan=5_000_000)
    assert capacity(park, 2027) == {"floor_m2": 8_000, "land_mu": 200, "subsidy_yuan:2027": 5_000_000,
                                    "subsidy_yuan:2028": 5_000_000, "subsidy_yuan:2029": 5_000_000}
    assert capacity(make_park(floor_m2=8_000), 2027) == {"floor_m2": 8_000, "land_mu": 0}


# --- tiers of support (项目评价机制) -------------------------------------------------------------

def test_a_projects_tier_follows_its_chain_role_at_the_park() -> None:
    project = make_project()  # wood: not a high-tech sector in Heze's policy
    for role in ChainRole:
        tiers = support_tiers(project, role, POLICY.support)
        assert {tier.name for tier in tiers.values()} == {role.value}
    assert support_tiers(project, ChainRole.fill_gap, POLICY.support)["one_off"].multiplier == 1.5
    assert support_tiers(project, ChainRole.same_sector, POLICY.support)["one_off"].multiplier == 1.0


def test_an_innovative_project_gets_the_innovative_tier_where_it_pays_more() -> None:
    drugs = make_project(sector="biomedicine", chain="pharma")
    assert is_innovative(drugs, POLICY.support)
    strengthening = support_tiers(drugs, ChainRole.strengthen, POLICY.support)
    assert {item: tier.name for item, tier in strengthening.items()} == dict.fromkeys(
        ["rent", "fees", "one_off", "per_job"], "innovative")
    gap = support_tiers(drugs, ChainRole.fill_gap, POLICY.support)  # as much: the chain role stays
    assert {tier.name for tier in gap.values()} == {"fill_gap"}


def test_a_project_outside_the_high_tech_sectors_and_chains_is_not_innovative() -> None:
    assert not is_innovative(make_project(), POLICY.support)
    listed = POLICY.support.model_copy(update={"innovative_chains": ["wood"]})
    assert is_innovative(make_project(), listed)


def test_each_subsidy_item_is_paid_at_the_projects_tier() -> None:
    park = make_park(annual_subsidy_budget_yuan=20_000_000)
    project = make_project(floor_m2=200, jobs=10)
    plain = subsidy_items(project, park, PLAIN)
    gap = subsidy_items(project, park, support_tiers(project, ChainRole.fill_gap, POLICY.support))
    assert gap == pytest.approx({"rent": plain["rent"] * 1.2, "fees": plain["fees"] * 1.2,
                                 "one_off": plain["one_off"] * 1.5, "per_job": plain["per_job"] * 1.5})


# --- score -------------------------------------------------------------------------------------

def score(project: Project, park: Park, role: ChainRole) -> float:
    return sum(score_terms(project, park, role, WEIGHTS).values())


def test_heze_scores_order_chain_role_before_every_other_term() -> None:
    park = make_park(id="home", county="caoxian", land_mu=1_000)
    best_other_terms = make_project(hometown_county="caoxian", jobs=5_000, floor_m2=0, land_mu=1,
                                    investment_yuan=1e9, expected_tax_yuan_per_year=1e8,
                                    preferred_park_ids=["home"])
    worst = make_project(hometown_county="juye", jobs=0)
    roles = [ChainRole.fill_gap, ChainRole.extend, ChainRole.strengthen, ChainRole.same_sector]
    for better, worse in itertools.pairwise(roles):
        assert score(worst, park, better) > score(best_other_terms, park, worse)


def test_score_terms_are_named_and_weighted_by_the_policy() -> None:
    park = make_park(id="home", county="caoxian", land_mu=1_000)
    project = make_project(hometown_county="caoxian", jobs=30, floor_m2=0, land_mu=20,
                           investment_yuan=40_000_000, expected_tax_yuan_per_year=6_000_000,
                           preferred_park_ids=["other", "home"])
    assert score_terms(project, park, ChainRole.extend, WEIGHTS) == {
        "chain_role": 30_000,
        "hometown": 3_000,
        "jobs": 300,  # 10 a job
        "investment_intensity": pytest.approx(600),  # 2,000,000 yuan/mu at 300 per million
        "tax_per_mu": 1_200,  # 300,000 yuan/mu at 60 per 10,000: 1,800, capped
        "preference": 1_500,  # the second of two choices gets half
    }


def test_zero_terms_are_left_out_and_jobs_are_capped() -> None:
    terms = score_terms(make_project(jobs=1_000), make_park(), ChainRole.same_sector, WEIGHTS)
    assert terms == {"chain_role": 10_000, "jobs": 1_500}


# --- rules added with the policy ---------------------------------------------------------------

def test_a_park_kind_can_exclude_sectors_whatever_the_park_lists() -> None:
    incubator = make_park(kind=ParkKind.incubator, incubator_slots=10, sectors=["high_end_chemicals"])
    chemicals = make_project(sector="high_end_chemicals", chain="fine_chemicals",
                             link="fine_chemical_products")
    reason = accepted_by_park_kind(chemicals, incubator, CONTEXT)
    assert reason is not None and reason.rule == "park_kind"
    assert (reason.zh, reason.en) == ("此类园区（孵化基地）不承接高端化工产业",
                                      "this kind of park (incubator) does not take the sector High-end chemicals")
    assert accepted_by_park_kind(chemicals, make_park(sectors=["high_end_chemicals"]), CONTEXT) is None


def test_a_rejected_pair_is_forbidden() -> None:
    context = RuleContext(POLICY, TODAY, TAXONOMY, frozenset({("project-1", "park-1")}))
    reason = not_forbidden(make_project(), make_park(), context)
    assert reason is not None and reason.rule == "forbidden"
    assert ineligibility(make_project(), make_park(), context) == reason
    assert not_forbidden(make_project(id="project-2"), make_park(), context) is None


def test_land_projects_must_meet_the_parks_tax_per_mu() -> None:
    park = make_park(land_mu=500, min_tax_yuan_per_mu_year=200_000)
    meets = make_project(floor_m2=0, land_mu=10, investment_yuan=1e8, expected_tax_yuan_per_year=2e6)
    short = meets.model_copy(update={"expected_tax_yuan_per_year": 1_999_999})
    unstated = meets.model_copy(update={"expected_tax_yuan_per_year": 0})
    assert meets_tax_per_mu(meets, park, CONTEXT) is None
    for project in (short, unstated):
        reason = meets_tax_per_mu(project, park, CONTEXT)
        assert reason is not None and reason.rule == "tax_per_mu" and "200,000" in reason.en
    assert meets_tax_per_mu(make_project(floor_m2=100), park, CONTEXT) is None


def test_required_facilities_must_all_be_present() -> None:
    project = make_project(required_facilities=["wastewater_treatment", "steam_supply"])
    partial = make_park(facilities=["steam_supply"])
    reason = required_facilities_present(project, partial, CONTEXT)
    assert reason is not None and reason.rule == "facilities"
    assert reason.en.endswith(": Central wastewater treatment") and reason.zh.endswith("：污水集中处理")
    full = make_park(facilities=["steam_supply", "wastewater_treatment", "dual_power"])
    assert required_facilities_present(project, full, CONTEXT) is None


def test_the_incubator_window_comes_from_the_policy() -> None:
    short_window = POLICY.model_copy(update={"thresholds": POLICY.thresholds.model_copy(
        update={"incubator_entry_window_months": 6})})
    incubator = make_park(kind=ParkKind.incubator, incubator_slots=50)
    project = make_project(registered_on=date(2023, 6, 15))  # 12 months before TODAY
    assert incubator_entry_window(project, incubator, CONTEXT) is None
    reason = incubator_entry_window(project, incubator, RuleContext(short_window, TODAY, TAXONOMY))
    assert reason is not None and "6个月" in reason.zh
