"""One plan as pure functions: pairings → instance → offers and unplaced, with their reasons."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from guiyan_optimiser import Candidate, ParkCapacity, Solution, solve

from guiyan_contracts.models import ChainLink, ChainRole, Park, ParkKind, Project, Verdict
from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_matching.adapters.policies import load_policy
from guiyan_matching.domain.budgets import subsidy_total
from guiyan_matching.domain.pairs import Pairs, Refusals
from guiyan_matching.domain.planning import (
    PairingMemory,
    PlanInputs,
    decide,
    pairings,
    remaining,
    to_instance,
)
from guiyan_matching.domain.rules import subsidy_items
from guiyan_matching.domain.support import support_tiers

TAXONOMY = load_taxonomy("heze")
TODAY = date(2024, 6, 15)
POLICY = load_policy("heze")
CREATED = datetime(2024, 1, 1, tzinfo=UTC)


def make_park(id: str, **overrides: Any) -> Park:
    fields: dict[str, Any] = {
        "id": id, "tenant_id": "heze", "created_at": CREATED, "name": f"园区{id}",
        "kind": ParkKind.return_home_park, "county": "caoxian", "sectors": ["wood_furniture"],
        "floor_m2": 1_000,
    }
    fields.update(overrides)
    return Park(**fields)


def make_project(id: str, **overrides: Any) -> Project:
    fields: dict[str, Any] = {
        "id": id, "tenant_id": "heze", "submitted_by": "staff-1", "submitted_at": CREATED,
        "name": f"项目{id}", "founder": "李四", "source": "杭州站", "hometown_county": "juye",
        "sector": "wood_furniture", "chain": "wood", "link": "furniture_doors",
        "floor_m2": 200, "investment_yuan": 1_000_000, "jobs": 4,
        "registered_on": date(2023, 11, 1),
    }
    fields.update(overrides)
    return Project(**fields)


def make_inputs(parks: list[Park], projects: list[Project], *,
                held: dict[str, dict[str, float]] | None = None,
                forbidden: set[tuple[str, str]] = frozenset()) -> PlanInputs:
    return PlanInputs(parks=parks, open_projects=projects, held=held or {},
                      forbidden=frozenset(forbidden), today=TODAY)


def solution(assignments: dict[str, str]) -> Solution:
    return Solution("optimal", 0.0, 0.0, assignments, 0.01)


# --- pairings ----------------------------------------------------------------------------------

def test_pairings_pair_each_project_with_every_eligible_park() -> None:
    wood = make_park("wood", county="juye",
                     hosted_links=[ChainLink(chain="wood", link="logs"),
                                   ChainLink(chain="wood", link="ecommerce_export")])
    plain = make_park("plain")
    project = make_project("p1")
    eligible, excluded = pairings(make_inputs([wood, plain], [project]), TAXONOMY, POLICY)

    assert excluded == {}
    by_park = {x.park.id: x for x in eligible}
    assert set(by_park) == {"wood", "plain"}
    assert by_park["wood"].role is ChainRole.fill_gap
    assert by_park["wood"].terms == {"chain_role": 40_000, "hometown": 3_000, "jobs": 40}
    assert by_park["wood"].score == 43_040
    assert by_park["plain"].role is ChainRole.same_sector
    assert by_park["plain"].use == {"floor_m2": 200}


def test_pairings_exclude_rejected_pairs_and_ineligible_parks_with_reasons() -> None:
    accepting = make_park("accepting")
    rejected_before = make_park("rejected_before")
    pharma = make_park("pharma", sectors=["biomedicine"])
    project = make_project("p1")
    inputs = make_inputs([accepting, rejected_before, pharma], [project],
                         forbidden={("p1", "rejected_before")})
    eligible, excluded = pairings(inputs, TAXONOMY, POLICY)

    assert [(x.project.id, x.park.id) for x in eligible] == [("p1", "accepting")]
    reasons = {park.id: reason for park, reason in excluded["p1"]}
    assert set(reasons) == {"rejected_before", "pharma"}
    assert reasons["rejected_before"].rule == "forbidden"
    assert reasons["pharma"].rule == "sector"


def test_a_rejected_pair_is_excluded_even_if_otherwise_eligible_for_another_project() -> None:
    park = make_park("k")
    inputs = make_inputs([park], [make_project("p1"), make_project("p2")],
                         forbidden={("p1", "k")})
    eligible, excluded = pairings(inputs, TAXONOMY, POLICY)
    assert [(x.project.id, x.park.id) for x in eligible] == [("p2", "k")]
    assert list(excluded) == ["p1"]


def test_a_remembered_project_is_weighed_again_only_when_something_the_rules_read_changed() -> None:
    park, other = make_park("k"), make_park("m")
    incubator = make_park("i", kind=ParkKind.incubator, incubator_slots=5)
    registered = make_project("p3", registered_on=date(2023, 1, 1))
    memory = PairingMemory()

    def check(inputs: PlanInputs) -> tuple[Pairs, Refusals]:  # remembered or not, the same
        remembered = pairings(inputs, TAXONOMY, POLICY, memory)
        assert remembered == pairings(inputs, TAXONOMY, POLICY)
        return remembered

    check(make_inputs([park], [make_project("p1"), make_project("p2")]))
    kept = memory.by_project["p1"]
    check(make_inputs([park], [make_project("p1"), make_project("p2", jobs=40)]))
    assert memory.by_project["p1"] is kept  # unchanged: not weighed again
    assert memory.by_project["p2"].project.jobs == 40  # changed: weighed again
    check(make_inputs([park], [make_project("p1")], forbidden={("p1", "k")}))
    assert memory.by_project["p1"].barred == {"k"}  # rejected since: weighed again
    assert list(memory.by_project) == ["p1"]  # p2, not in this plan, is forgotten
    eligible, _ = check(make_inputs([park, other], [make_project("p1")]))  # a park more: all weighed again
    assert [x.park.id for x in eligible] == ["k", "m"]
    check(make_inputs([incubator], [registered]))
    _, excluded = check(PlanInputs(parks=[incubator], open_projects=[registered], held={},
                                   forbidden=frozenset(), today=date(2026, 6, 15)))  # out of its window now
    assert excluded["p3"][0][1].rule == "incubator_window"


# --- to_instance -------------------------------------------------------------------------------

def test_to_instance_subtracts_held_capacity() -> None:
    budgeted = make_park("budgeted", floor_m2=1_000, land_mu=50, annual_subsidy_budget_yuan=500_000)
    incubator = make_park("incubator", kind=ParkKind.incubator, incubator_slots=10, floor_m2=3_000)
    projects = [make_project("p1"), make_project("p2", floor_m2=150)]
    inputs = make_inputs([budgeted, incubator], projects,
                         held={"budgeted": {"floor_m2": 300, "subsidy_yuan:2024": 120_000},
                               "incubator": {"slots": 4, "floor_m2": 1_000}})
    eligible, _ = pairings(inputs, TAXONOMY, POLICY)
    instance = to_instance(inputs, eligible, POLICY)

    capacities = {p.id: p.capacity for p in instance.parks}
    assert capacities["budgeted"] == {"floor_m2": 700, "land_mu": 50, "subsidy_yuan:2024": 380_000,
                                      "subsidy_yuan:2025": 500_000, "subsidy_yuan:2026": 500_000}
    assert capacities["incubator"] == {"floor_m2": 2_000, "land_mu": 0, "slots": 6}
    assert instance.projects == ["p1", "p2"]
    assert {(c.project, c.park) for c in instance.candidates} == {
        ("p1", "budgeted"), ("p1", "incubator"), ("p2", "budgeted"), ("p2", "incubator")}
    for candidate, pairing in zip(instance.candidates, eligible, strict=True):
        assert candidate == Candidate(pairing.project.id, pairing.park.id, pairing.score, pairing.use)
    assert instance.required == frozenset() and instance.pinned == frozenset()


def test_remaining_ignores_held_resources_the_park_does_not_have() -> None:
    park = make_park("k", floor_m2=1_000)
    assert remaining(park, {"floor_m2": 250.5, "slots": 3}, 2024) == {"floor_m2": 749.5, "land_mu": 0}


def test_remaining_budget_years_start_at_the_plans_year() -> None:
    park = make_park("k", annual_subsidy_budget_yuan=100_000)
    held = {"subsidy_yuan:2023": 100_000, "subsidy_yuan:2024": 60_000, "subsidy_yuan:2025": 10_000}
    assert remaining(park, held, 2024) == {"floor_m2": 1_000, "land_mu": 0, "subsidy_yuan:2024": 40_000,
                                           "subsidy_yuan:2025": 90_000, "subsidy_yuan:2026": 100_000}


# --- decide ------------------------------------------------------------------------------------

def plan(parks: list[Park], projects: list[Project], assignments: dict[str, str],
         **inputs: Any) -> tuple[list[Any], list[Any]]:
    plan_inputs = make_inputs(parks, projects, **inputs)
    eligible, excluded = pairings(plan_inputs, TAXONOMY, POLICY)
    return decide(plan_inputs, eligible, excluded, solution(assignments), POLICY, TAXONOMY)


def test_an_offer_is_explained_in_both_languages() -> None:
    park = make_park("home", county="juye", annual_subsidy_budget_yuan=1_000_000,
                     hosted_links=[ChainLink(chain="wood", link="furniture_doors")])
    project = make_project("p1", jobs=8)
    offers, unplaced = plan([park], [project], {"p1": "home"})

    assert unplaced == []
    [offer] = offers
    assert offer.pairing.park.id == "home" and offer.pairing.role is ChainRole.strengthen
    # 强链 in Heze: the one-off and per-job subsidies at ×1.2, rent and fees as the park has them
    support = support_tiers(project, ChainRole.strengthen, POLICY.support)
    subsidy = sum(subsidy_items(project, park, support).values())
    assert subsidy == pytest.approx(96_000 + 10_800 + 30_000 * 1.2 + 16_000 * 1.2)
    assert offer.explanation_zh == ("强链：壮大园区已有环节；创业者家乡在园区所在县区（巨野县）；"
                                    "吸纳就业8人；预计补贴16.2万元，按强链项目档次扶持，"
                                    "计入2024年补贴预算10.7万元、2025年补贴预算2.8万元、"
                                    "2026年补贴预算2.8万元")
    assert offer.explanation_en == ("strengthens a link the park already hosts; "
                                    "the founder's hometown county is the park's (Juye County); "
                                    "8 jobs; estimated subsidy 162,000 yuan, at the tier for "
                                    "chain-strengthening projects, charged as 106,800 yuan of the "
                                    "2024 subsidy budget, 27,600 yuan of the 2025 subsidy budget, "
                                    "27,600 yuan of the 2026 subsidy budget")


def test_an_offers_explanation_breaks_down_score_and_subsidy() -> None:
    park = make_park("home", county="juye", annual_subsidy_budget_yuan=1_000_000)
    [offer], _ = plan([park], [make_project("p1", jobs=8, preferred_park_ids=["home"])],
                      {"p1": "home"})
    explanation = offer.explanation
    assert explanation.policy_version == POLICY.version
    terms = {t.term: t.points for t in explanation.score_terms}
    assert terms == {"chain_role": 10_000, "hometown": 3_000, "jobs": 80, "preference": 3_000}
    assert sum(terms.values()) == offer.pairing.score
    assert "第1意向园区" in explanation.score_terms[-1].zh
    lines = {line.item: line.yuan for line in explanation.subsidy_lines}
    assert lines == {"rent": 96_000, "fees": 10_800, "one_off": 30_000, "per_job": 16_000}
    assert sum(lines.values()) == pytest.approx(subsidy_total(offer.pairing.use))
    rent = explanation.subsidy_lines[0]
    assert "200m²" in rent.zh and "100%/50%/50%" in rent.en
    assert rent.zh.endswith("按一般项目扶持档次×1") and rent.en.endswith("at the tier for other projects, ×1")


def test_a_subsidy_line_names_the_tier_it_is_paid_at() -> None:
    park = make_park("home", annual_subsidy_budget_yuan=1_000_000,
                     hosted_links=[ChainLink(chain="wood", link="logs"),
                                   ChainLink(chain="wood", link="wood_crafts")])
    [offer], _ = plan([park], [make_project("p1", link="veneer_panels", jobs=8)], {"p1": "home"})
    lines = {line.item: line for line in offer.explanation.subsidy_lines}
    assert lines["one_off"].yuan == 30_000 * 1.5
    assert lines["one_off"].zh.endswith("按补链项目扶持档次×1.5")
    assert lines["one_off"].en.endswith("at the tier for chain gap-filling projects, ×1.5")
    assert "按补链项目档次扶持" in offer.explanation_zh


def test_an_offer_names_the_capacities_it_leaves_tight() -> None:
    park = make_park("k", floor_m2=1_000, annual_subsidy_budget_yuan=10_000_000)
    [offer], _ = plan([park], [make_project("p1", floor_m2=250)], {"p1": "k"},
                      held={"k": {"floor_m2": 700}})
    resources = {r.resource: r for r in offer.explanation.resources}
    floor = resources["floor_m2"]
    assert (floor.used, floor.remaining_before, floor.remaining_after, floor.tight) == (250, 300, 50, True)
    assert resources["subsidy_yuan:2024"].tight is False
    assert offer.explanation_en.endswith("the park's floor space will be nearly used up")
    assert offer.explanation_zh.endswith("此后园区场地面积余量紧张")


def test_runners_up_say_why_each_lost() -> None:
    chosen = make_park("chosen", county="juye")
    lower = make_park("lower")
    full = make_park("full", floor_m2=100)
    broke = make_park("broke", annual_subsidy_budget_yuan=50_000)
    chemical = make_park("chemical", kind=ParkKind.chemical_park, sectors=["wood_furniture"])
    pharma = make_park("pharma", sectors=["biomedicine"])
    project = make_project("p1", required_facilities=[])
    [offer], _ = plan([chosen, lower, full, broke, chemical, pharma], [project], {"p1": "chosen"})

    runners_up = {v.park_id: v for v in offer.explanation.runners_up}
    assert set(runners_up) == {"lower", "full", "broke", "chemical"}  # other sectors are no runner-up
    assert runners_up["lower"].verdict is Verdict.score
    assert runners_up["lower"].en == "scores 10,040, below 13,040 at 园区chosen"
    assert runners_up["full"].verdict is Verdict.capacity
    assert runners_up["full"].en == "not enough room left (needs 200 m² of floor space; 100 m² of floor space left)"
    assert runners_up["broke"].verdict is Verdict.budget
    # the first year's share is what does not fit: 71,600 of a 50,000 budget
    assert runners_up["broke"].zh.startswith("补贴预算不足（需2024年补贴预算7.2万元，剩2024年补贴预算5.0万元")
    assert runners_up["chemical"].verdict is Verdict.rule and runners_up["chemical"].rule == "park_kind"
    assert [v.park_id for v in offer.explanation.runners_up][-1] == "chemical"  # rules come last


def test_an_unplaced_project_that_fit_was_outbid_for_capacity() -> None:
    park = make_park("small", floor_m2=300)
    winner = make_project("winner", hometown_county="caoxian", floor_m2=200)
    loser = make_project("loser", floor_m2=200)
    offers, [missed] = plan([park], [winner, loser], {"winner": "small"})

    assert [o.pairing.project.id for o in offers] == ["winner"]
    assert missed.project.id == "loser"
    [verdict] = missed.verdicts
    assert verdict.verdict is Verdict.outbid and verdict.park_id == "small"
    assert missed.reason_en == ("No park can take it now. 园区small: outbid for its capacity by "
                                "better-fitting projects (needs 200 m² of floor space; "
                                "100 m² of floor space left)")
    assert missed.reason_zh == ("暂无可安置的园区。园区small：容量已优先给予得分更高的项目"
                                "（需场地面积200m²，剩场地面积100m²）")


def test_an_unplaced_project_larger_than_the_room_left_names_the_resource() -> None:
    park = make_park("full", floor_m2=1_000)
    _, [missed] = plan([park], [make_project("big", floor_m2=400)], {},
                       held={"full": {"floor_m2": 700}})
    assert missed.verdicts[0].verdict is Verdict.capacity
    assert missed.reason_en == ("No park can take it now. 园区full: not enough room left "
                                "(needs 400 m² of floor space; 300 m² of floor space left)")


def test_an_unplaced_project_over_a_parks_subsidy_budget_says_so() -> None:
    # 200 m², 4 jobs, year 1: 48,000 rent + 3,600 fees + 12,000 one-off + 8,000 per job = 71,600
    park = make_park("thrifty", annual_subsidy_budget_yuan=200_000, floor_m2=100)
    _, [missed] = plan([park], [make_project("p1")], {},
                       held={"thrifty": {"subsidy_yuan:2024": 150_000}})
    # short of floor too, but the budget is what is named
    assert missed.verdicts[0].verdict is Verdict.budget
    assert missed.reason_en == ("No park can take it now. 园区thrifty: over its subsidy budget "
                                "(needs 71,600 yuan of the 2024 subsidy budget; "
                                "50,000 yuan of the 2024 subsidy budget left)")
    assert missed.reason_zh == ("暂无可安置的园区。园区thrifty：补贴预算不足"
                                "（需2024年补贴预算7.2万元，剩2024年补贴预算5.0万元）")


def test_unplaced_reasons_name_each_park_and_group_parks_excluded_by_one_rule() -> None:
    parks = [
        make_park("outbid", floor_m2=250),
        make_park("pharma1", sectors=["biomedicine"]),
        make_park("pharma2", sectors=["biomedicine"]),
        make_park("rejecter"),
        make_park("old_incubator", kind=ParkKind.incubator, incubator_slots=5),
    ]
    winner = make_project("winner", hometown_county="caoxian", registered_on=date(2024, 1, 1))
    loser = make_project("loser", registered_on=date(2020, 1, 1))
    _, [missed] = plan(parks, [winner, loser], {"winner": "outbid"},
                       forbidden={("loser", "rejecter")})

    assert missed.project.id == "loser"
    verdicts = {v.park_id: (v.verdict, v.rule) for v in missed.verdicts}
    assert verdicts == {"outbid": (Verdict.outbid, None), "pharma1": (Verdict.rule, "sector"),
                        "pharma2": (Verdict.rule, "sector"), "rejecter": (Verdict.rule, "forbidden"),
                        "old_incubator": (Verdict.rule, "incubator_window")}
    en = missed.reason_en
    assert ("the park does not take the project's sector (Wood processing and furniture): "
            "园区pharma1, 园区pharma2") in en
    assert "the park rejected it before; never offered again: 园区rejecter" in en
    assert ("registered on January 1, 2020, but incubators take businesses registered within the last "
            "24 months: 园区old_incubator") in en
    zh = missed.reason_zh
    assert "园区不承接该项目所属产业（木材加工与家具）：园区pharma1、园区pharma2" in zh
    for park in parks:
        assert park.name in zh and park.name in en


def test_a_city_without_parks_says_so() -> None:
    offers, [missed] = plan([], [make_project("p1")], {})
    assert offers == [] and missed.verdicts == []
    assert missed.reason_en == "No park can take it now. the city has no parks yet"
    assert missed.reason_zh == "暂无可安置的园区。本市暂无园区"


def test_a_plan_end_to_end_prefers_the_better_chain_fit() -> None:
    # One park with room for one of two projects: the 补链 project wins over the same-sector one.
    park = make_park("k", floor_m2=300, hosted_links=[ChainLink(chain="wood", link="logs"),
                                                      ChainLink(chain="wood", link="wood_crafts")])
    gap = make_project("gap", link="veneer_panels", jobs=1)
    other = make_project("other", sector="wood_furniture", link="logs", hometown_county="caoxian",
                         jobs=500)
    inputs = make_inputs([park], [other, gap])
    eligible, excluded = pairings(inputs, TAXONOMY, POLICY)
    result = solve(to_instance(inputs, eligible, POLICY), time_limit_seconds=2)
    assert result.status == "optimal"
    assert result.assignments == {"gap": "k"}
    offers, [missed] = decide(inputs, eligible, excluded, result, POLICY, TAXONOMY)
    assert offers[0].explanation_en.startswith("fills a missing link")
    assert missed.project.id == "other" and "outbid" in missed.reason_en


def test_instance_parks_match_capacity_objects() -> None:
    park = make_park("k", floor_m2=500)
    inputs = make_inputs([park], [])
    assert to_instance(inputs, pairings(inputs, TAXONOMY, POLICY)[0], POLICY).parks == [
        ParkCapacity("k", {"floor_m2": 500, "land_mu": 0})]


def test_an_unplaced_reason_names_at_most_five_eligible_parks_but_judges_all() -> None:
    parks = [make_park(f"k{i}", floor_m2=250) for i in range(7)]
    winners = [make_project(f"w{i}", hometown_county="caoxian") for i in range(7)]
    _, [missed] = plan(parks, [*winners, make_project("loser")], {f"w{i}": f"k{i}" for i in range(7)})
    assert missed.project.id == "loser"
    assert missed.reason_en.count("outbid for its capacity") == 5
    assert len(missed.verdicts) == 7


def test_an_over_held_park_has_no_room_rather_than_negative_room() -> None:
    park = make_park("k", floor_m2=1_000)
    assert remaining(park, {"floor_m2": 1_200}, 2024)["floor_m2"] == 0
