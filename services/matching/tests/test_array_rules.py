"""The array path weighs exactly as `rules.py` does pair by pair, on generated cities that reach
every rule and every score term."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from guiyan_contracts.models import ChainLink, ParkKind, SubsidyPolicy
from guiyan_matching.domain.array_rules import RULE_READS, TERM_READS
from guiyan_matching.domain.pair_by_pair import weigh_each_pair
from guiyan_matching.domain.planning import PlanInputs, pairings
from guiyan_matching.domain.policy import KindRules, Policy
from guiyan_matching.domain.rules import (
    ELIGIBILITY_RULES,
    SCORE_TERMS,
    RuleContext,
    sector_accepted,
)

from .test_planning import POLICY, TAXONOMY, TODAY, make_park, make_project

COUNTIES = sorted(TAXONOMY.county_codes())
FACILITIES = [*sorted(TAXONOMY.facility_codes()), "no_such_facility"]
CHAINS = [(sector.code, chain) for sector in TAXONOMY.sectors for chain in sector.chains]
POLICIES = [SubsidyPolicy(), SubsidyPolicy(free_premises_months=36),
            SubsidyPolicy(rent_subsidy_pct_by_year=[100, 50], per_job_subsidy_yuan=3_000)]


def generated_city(rng: random.Random, park_count: int, project_count: int) -> PlanInputs:
    parks = [generated_park(rng, f"k{i}") for i in range(park_count)]
    projects = [generated_project(rng, f"p{i}", [p.id for p in parks]) for i in range(project_count)]
    forbidden = {(rng.choice(projects).id, rng.choice(parks).id) for _ in range(project_count)}
    placed = {park.id: frozenset((chain.code, rng.choice(chain.links)[0])
                                 for _, chain in rng.sample(CHAINS, 2))
              for park in rng.sample(parks, park_count // 4)}
    return PlanInputs(parks=parks, open_projects=projects, held={}, forbidden=frozenset(forbidden),
                      today=TODAY, placed=placed)


def generated_park(rng: random.Random, park_id: str) -> Any:
    kind = rng.choice(list(ParkKind))
    sectors = rng.sample([s.code for s in TAXONOMY.sectors], rng.randint(1, 3))
    chains = [chain for sector, chain in CHAINS if sector in sectors]
    hosted = [ChainLink(chain=chain.code, link=rng.choice(chain.links)[0])
              for chain in rng.sample(chains, min(len(chains), rng.randint(0, 3)))]
    floor, land = rng.choice([(0, 300), (5_000, 0), (20_000, 200), (800, 0)])
    return make_park(park_id, kind=kind, county=rng.choice(COUNTIES), sectors=sectors,
                     hosted_links=hosted, floor_m2=floor, land_mu=land,
                     incubator_slots=rng.choice([0, 5, 30]),
                     chemical_park_certified=kind is ParkKind.chemical_park and rng.random() < 0.7,
                     min_investment_yuan_per_mu=rng.choice([0, 1_000_000, 2_400_000]),
                     min_tax_yuan_per_mu_year=rng.choice([0, 0, 200_000]),
                     facilities=rng.sample(FACILITIES, rng.randint(0, 4)),
                     annual_subsidy_budget_yuan=rng.choice([0, 2_000_000, 5_000_000]),
                     subsidy_policy=rng.choice(POLICIES))


def generated_project(rng: random.Random, project_id: str, park_ids: list[str]) -> Any:
    sector, chain = rng.choice(CHAINS)
    land = rng.choice([0, 0, 20, 50])
    return make_project(
        project_id, sector=sector, chain=chain.code, link=rng.choice(chain.links)[0],
        hometown_county=rng.choice(COUNTIES), floor_m2=0 if land else rng.choice([120, 600, 2_500]),
        land_mu=land, investment_yuan=(land or 1) * rng.choice([0.5e6, 1.2e6, 3e6]),
        expected_tax_yuan_per_year=land * rng.choice([0, 1e5, 3e5]),
        jobs=rng.choice([0, 4, 8, 60, 400]), hazardous_process=rng.random() < 0.2,
        registered_on=rng.choice([None, TODAY - timedelta(days=rng.randint(0, 1200))]),
        required_facilities=rng.sample(FACILITIES, rng.choice([0, 0, 1, 2])),
        preferred_park_ids=[*rng.sample(park_ids, rng.choice([0, 0, 1, 3])), "no-such-park"][
            :rng.choice([0, 1, 4])])


def each_pair(inputs: PlanInputs, policy: Policy) -> tuple[list[Any], dict[str, list[Any]]]:
    context = RuleContext(policy, inputs.today, TAXONOMY, inputs.forbidden)
    eligible, excluded = [], {}
    for project in inputs.open_projects:
        pairs, refused = weigh_each_pair(project, inputs.parks, context, TAXONOMY, policy,
                                         inputs.placed)
        eligible += pairs
        if refused:
            excluded[project.id] = refused
    return eligible, excluded


STRICT = POLICY.model_copy(update={"park_kinds": {
    **POLICY.park_kinds, ParkKind.return_home_park: KindRules(excluded_chains=["olefins", "wood"])}})


@pytest.mark.parametrize(("seed", "policy"), [(231, POLICY), (7, STRICT), (2024, POLICY)])
def test_the_array_path_pairs_scores_and_refuses_as_each_pair_does(seed: int, policy: Policy) -> None:
    inputs = generated_city(random.Random(seed), park_count=60, project_count=300)
    eligible, excluded = pairings(inputs, TAXONOMY, policy)
    expected_eligible, expected_excluded = each_pair(inputs, policy)

    assert list(eligible) == expected_eligible  # roles, terms and uses, in the same order
    candidates = [(c.project, c.park, c.score, c.use) for c in eligible.candidates({})]
    assert candidates == [(x.project.id, x.park.id, x.score, x.use) for x in expected_eligible]
    assert dict(excluded) == expected_excluded  # every reason, park by park
    for project_id, refused in expected_excluded.items():
        assert list(excluded.by_rules(project_id)) == [(park, reason) for park, reason in refused
                                                      if reason.rule != "sector"]
    # The city reaches every rule and every term, so none is compared vacuously.
    assert {reason.rule for refused in expected_excluded.values() for _, reason in refused} == {
        "sector", "park_kind", "forbidden", "chemical_park", "investment_intensity",
        "tax_per_mu", "incubator_window", "facilities", "space_kind"}
    assert {name for x in expected_eligible for name in x.terms} == set(SCORE_TERMS)


def test_the_best_pairs_are_ranked_as_sorting_by_score_ranks_them() -> None:
    inputs = generated_city(random.Random(5), park_count=40, project_count=50)
    eligible, _ = pairings(inputs, TAXONOMY, POLICY)
    for project in inputs.open_projects:
        own = [x for x in eligible if x.project.id == project.id]
        assert eligible.best(project.id, 6) == sorted(own, key=lambda x: -x.score)[:6]


def test_every_rule_and_term_says_what_it_reads_of_a_park() -> None:
    assert set(RULE_READS) == set(ELIGIBILITY_RULES) - {sector_accepted}
    assert set(TERM_READS) == set(SCORE_TERMS)


def test_a_project_of_a_sector_no_park_takes_is_refused_by_every_park() -> None:
    inputs = PlanInputs(parks=[make_park("k")], held={}, forbidden=frozenset(), today=TODAY,
                        open_projects=[make_project("p", sector="biomedicine", chain="pharma",
                                                    link="tcm", registered_on=date(2024, 1, 1))])
    eligible, excluded = pairings(inputs, TAXONOMY, POLICY)
    assert list(eligible) == [] and [r.rule for _, r in excluded["p"]] == ["sector"]
    assert list(excluded.by_rules("p")) == []


def test_a_pair_the_rules_refuse_cannot_be_read_as_one() -> None:
    inputs = PlanInputs(parks=[make_park("k"), make_park("m", sectors=["biomedicine"])], held={},
                        forbidden=frozenset(), today=TODAY, open_projects=[make_project("p")])
    eligible, _ = pairings(inputs, TAXONOMY, POLICY)
    assert eligible.at("p", "k").park.id == "k"
    with pytest.raises(KeyError):
        eligible.at("p", "m")
