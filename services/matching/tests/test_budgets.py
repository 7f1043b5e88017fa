"""Subsidy budgets by year: a commitment charges each year its share, and budgets renew yearly."""

from __future__ import annotations

from datetime import date

import pytest
from guiyan_optimiser import solve

from guiyan_contracts.models import ChainRole, SubsidyPolicy
from guiyan_matching.domain.budgets import (
    budgets,
    charges,
    legacy_charges,
    programme_years,
    starting_in,
)
from guiyan_matching.domain.planning import PlanInputs, decide, pairings, to_instance
from guiyan_matching.domain.rules import resource_use
from guiyan_matching.domain.support import support_tiers

from .test_planning import POLICY, TAXONOMY, make_park, make_project

PLAIN = support_tiers(make_project("p"), ChainRole.same_sector, POLICY.support)


def test_a_three_year_commitment_charges_each_of_the_three_years_its_share() -> None:
    park = make_park("k", annual_subsidy_budget_yuan=1_000_000)
    use = resource_use(make_project("p", floor_m2=200, jobs=4), park, PLAIN, 2027)
    # year 1: rent at 100%, fees, one-off, per job; years 2 and 3: rent at 50%, fees
    assert {r: yuan for r, yuan in use.items() if r.startswith("subsidy_yuan")} == pytest.approx({
        "subsidy_yuan:2027": 48_000 + 3_600 + 12_000 + 8_000,
        "subsidy_yuan:2028": 24_000 + 3_600, "subsidy_yuan:2029": 24_000 + 3_600})


def test_a_budget_used_up_in_2027_is_there_again_in_2028_for_the_next_commitment() -> None:
    park = make_park("k", annual_subsidy_budget_yuan=80_000)
    project = make_project("p", floor_m2=200, jobs=4)  # charges 71,600 in its first year
    held = {"k": {"subsidy_yuan:2027": 80_000}}  # a one-year commitment took all of 2027's

    def offered_in(year: int) -> list[str]:
        inputs = PlanInputs(parks=[park], open_projects=[project], held=held,
                            forbidden=frozenset(), today=date(year, 3, 1))
        eligible, excluded = pairings(inputs, TAXONOMY, POLICY)
        result = solve(to_instance(inputs, eligible, POLICY), time_limit_seconds=2)
        offers, _ = decide(inputs, eligible, excluded, result, POLICY, TAXONOMY)
        return [offer.pairing.project.id for offer in offers]

    assert offered_in(2027) == []
    assert offered_in(2028) == ["p"]


def test_each_budget_year_a_commitment_may_charge_has_the_annual_budget() -> None:
    park = make_park("k", annual_subsidy_budget_yuan=500_000)
    assert budgets(park, 2028) == {"subsidy_yuan:2028": 500_000, "subsidy_yuan:2029": 500_000,
                                   "subsidy_yuan:2030": 500_000}
    assert budgets(make_park("poor"), 2028) == {}


def test_free_months_beyond_the_rent_shares_lengthen_the_programme() -> None:
    longer = SubsidyPolicy(free_premises_months=30, rent_subsidy_pct_by_year=[50])
    assert programme_years(make_park("k", subsidy_policy=longer)) == 3
    assert programme_years(make_park("k", subsidy_policy=SubsidyPolicy(rent_subsidy_pct_by_year=[]))) == 1


def test_a_year_charged_nothing_before_a_charged_one_stays_named() -> None:
    assert charges((0.0, 500.0, 0.0), 2027) == {"subsidy_yuan:2027": 0.0, "subsidy_yuan:2028": 500.0}
    assert charges((0.0, 0.0), 2027) == {}


def test_a_commitment_moved_to_a_later_year_keeps_its_shares_in_order() -> None:
    use = {"floor_m2": 200.0, "subsidy_yuan": 90.0, "subsidy_yuan:2027": 50.0, "subsidy_yuan:2028": 40.0}
    assert starting_in(use, 2028) == {"floor_m2": 200.0, "subsidy_yuan": 90.0,
                                      "subsidy_yuan:2028": 50.0, "subsidy_yuan:2029": 40.0}
    assert starting_in({"floor_m2": 200.0}, 2028) == {"floor_m2": 200.0}


def test_a_holding_stored_without_years_charges_its_whole_total_to_three_years() -> None:
    assert legacy_charges(120_000, 2026) == {"subsidy_yuan:2026": 120_000, "subsidy_yuan:2027": 120_000,
                                             "subsidy_yuan:2028": 120_000}
    assert legacy_charges(0, 2026) == {}
