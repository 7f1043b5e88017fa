"""A missing link is filled once: two projects that would both fill it at one park earn the 补链
points once, in the instance, in the solve and in the offers' explanations."""

from __future__ import annotations

from guiyan_optimiser import solve
from guiyan_optimiser.instance import objective

from guiyan_contracts.models import ChainLink, ChainRole
from guiyan_matching.domain.links import bonuses, credited_once, shared
from guiyan_matching.domain.planning import decide, pairings, to_instance

from .test_planning import POLICY, TAXONOMY, TODAY, make_inputs, make_park, make_project

GAP_PARK = {"hosted_links": [ChainLink(chain="wood", link="logs"),
                             ChainLink(chain="wood", link="ecommerce_export")],
            "floor_m2": 1_000, "county": "juye"}


def twins() -> tuple[list, list]:
    """Two identical furniture-door projects; 菏泽 park `gap` lacks the link, `plain` does not."""
    parks = [make_park("gap", **GAP_PARK), make_park("plain")]
    projects = [make_project("p1"), make_project("p2")]
    return parks, projects


def test_a_link_two_projects_could_fill_is_one_bonus_and_their_pairs_score_as_strengthening() -> None:
    parks, projects = twins()
    eligible, _ = pairings(make_inputs(parks, projects), TAXONOMY, POLICY)
    scores, once = bonuses(eligible, POLICY)
    weights = POLICY.weights.chain_role
    assert [(b.id, b.value) for b in once] == [("gap/wood/furniture_doors",
                                                weights.fill_gap - weights.strengthen)]
    assert once[0].pairs == {("p1", "gap"), ("p2", "gap")}
    at_gap = next(x for x in eligible if (x.project.id, x.park.id) == ("p1", "gap"))
    assert scores["p1"]["gap"] == at_gap.score - (weights.fill_gap - weights.strengthen)


def test_a_link_only_one_project_could_fill_needs_no_bonus() -> None:
    parks, projects = twins()
    eligible, _ = pairings(make_inputs(parks, projects[:1]), TAXONOMY, POLICY)
    assert shared(eligible) == {}
    assert bonuses(eligible, POLICY) == ({}, ())


def test_the_plan_offering_both_to_the_park_credits_the_link_once() -> None:
    parks, projects = twins()
    inputs = make_inputs(parks, projects)
    eligible, excluded = pairings(inputs, TAXONOMY, POLICY)
    instance = to_instance(inputs, eligible, POLICY)
    both_at_gap = {"p1": "gap", "p2": "gap"}
    scores = {(x.project.id, x.park.id): x.score for x in eligible}
    weights = POLICY.weights.chain_role
    assert objective(instance, both_at_gap) == (scores[("p1", "gap")] + scores[("p2", "gap")]
                                                - (weights.fill_gap - weights.strengthen))
    result = solve(instance, time_limit_seconds=2)
    offers, _ = decide(inputs, eligible, excluded, result, POLICY, TAXONOMY)
    roles = sorted((o.pairing.park.id, o.pairing.role.value) for o in offers)
    # The park gains the link once: one project fills it, the other strengthens it (or goes on).
    assert roles.count(("gap", ChainRole.fill_gap.value)) == 1
    assert sum(o.pairing.score for o in offers) == result.objective


def test_the_second_offer_on_the_link_says_who_fills_it() -> None:
    parks, projects = twins()
    inputs = make_inputs(parks[:1], projects)  # only the park lacking the link, room for both
    eligible, excluded = pairings(inputs, TAXONOMY, POLICY)
    first, second = credited_once(list(eligible), POLICY, TODAY.year)
    assert first.role is ChainRole.fill_gap and first.filled_by is None
    assert second.role is ChainRole.strengthen and second.filled_by == first.project
    assert second.terms["chain_role"] == POLICY.weights.chain_role.strengthen
    result = solve(to_instance(inputs, eligible, POLICY), 1)
    offers, _ = decide(inputs, eligible, excluded, result, POLICY, TAXONOMY)
    texts = {o.pairing.project.id: o.explanation_zh for o in offers}
    assert "补链只计一次" in texts[second.project.id] and "项目p1" in texts[second.project.id]
    assert "补链只计一次" not in texts[first.project.id]
