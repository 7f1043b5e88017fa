"""The optimiser against an independent checker and an exhaustive brute force on small instances."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from guiyan_optimiser import Bonus, Candidate, Instance, ParkCapacity, Solution, Stop, solve
from guiyan_optimiser.greedy import greedy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EPS = 1e-6
SOLVER_SECONDS = 2.0


def violations(instance: Instance, assignments: dict[str, str], *,
               complete: bool = True) -> list[str]:
    """Every way `assignments` breaks the instance. `complete=False` skips required and pinned."""
    found: list[str] = []
    candidates = {(c.project, c.park): c for c in instance.candidates}
    projects = set(instance.projects)
    used: dict[tuple[str, str], float] = {}
    for project, park in assignments.items():
        if project not in projects:
            found.append(f"{project} is not a project of the instance")
        candidate = candidates.get((project, park))
        if candidate is None:
            found.append(f"{project}→{park} is not a candidate")
            continue
        if (project, park) in instance.forbidden:
            found.append(f"{project}→{park} is forbidden")
        for resource, amount in candidate.use.items():
            used[(park, resource)] = used.get((park, resource), 0.0) + amount
    for park in instance.parks:
        for resource, limit in park.capacity.items():
            if used.get((park.id, resource), 0.0) > limit + EPS:
                found.append(f"{park.id} over its {resource}: {used[(park.id, resource)]} > {limit}")
    if complete:
        for project in instance.required:
            if project not in assignments:
                found.append(f"required {project} is not assigned")
        for project, park in instance.pinned:
            if assignments.get(project) != park:
                found.append(f"pinned {project}→{park} is not kept")
    return found


def objective(instance: Instance, assignments: dict[str, str]) -> float:
    """Σ chosen scores, and each bonus once where any of its pairs is chosen."""
    scores = {(c.project, c.park): c.score for c in instance.candidates}
    chosen = set(assignments.items())
    return (sum(scores[pair] for pair in chosen)
            + sum(bonus.value for bonus in instance.bonuses if bonus.pairs & chosen))


def assert_valid_solution(instance: Instance, result: Solution) -> None:
    assert violations(instance, result.assignments) == []
    assert result.objective == pytest.approx(objective(instance, result.assignments), abs=0.01)
    assert result.bound >= result.objective - 0.01


def brute_force(instance: Instance) -> tuple[float, dict[str, str]] | None:
    """The best feasible assignment by enumerating every choice per project; None if infeasible."""
    options: list[list[str | None]] = []
    for project in instance.projects:
        parks: list[str | None] = [c.park for c in instance.candidates if c.project == project]
        if project not in instance.required:
            parks.append(None)
        options.append(parks)
    best: tuple[float, dict[str, str]] | None = None
    for choice in itertools.product(*options):
        assignments = {p: k for p, k in zip(instance.projects, choice, strict=True) if k is not None}
        if violations(instance, assignments):
            continue
        value = objective(instance, assignments)
        if best is None or value > best[0]:
            best = (value, assignments)
    return best


# --- random small instances ---------------------------------------------------------------------

HALVES = st.integers(min_value=0, max_value=16).map(lambda n: n / 2)  # 0, 0.5, …, 8


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    projects = [f"p{i}" for i in range(draw(st.integers(1, 6)))]
    park_ids = [f"k{i}" for i in range(draw(st.integers(1, 3)))]
    resources = draw(st.sampled_from([["floor_m2"], ["land_mu"], ["floor_m2", "subsidy_yuan"]]))
    parks = [ParkCapacity(k, {r: draw(HALVES) for r in resources
                              if draw(st.booleans()) or r == resources[0]})
             for k in park_ids]
    candidates: list[Candidate] = []
    for project in projects:
        for park in park_ids:
            if draw(st.integers(0, 3)) == 0:
                continue  # about a quarter of the pairs are not candidates
            use = {r: u for r in resources if (u := draw(HALVES.map(lambda x: x / 2))) > 0}
            candidates.append(Candidate(project, park, draw(st.integers(0, 50_000)), use))
    pairs = [(c.project, c.park) for c in candidates]
    pinned: set[tuple[str, str]] = set()
    for project in projects:  # at most one pinned park per project
        mine = [pair for pair in pairs if pair[0] == project]
        if mine and draw(st.integers(0, 5)) == 0:
            pinned.add(draw(st.sampled_from(mine)))
    forbidden = {pair for pair in pairs if pair not in pinned and draw(st.integers(0, 4)) == 0}
    forbidden |= set(draw(st.lists(st.tuples(st.sampled_from(projects), st.sampled_from(park_ids)),
                                   max_size=2))) - pinned
    required = frozenset(p for p in projects if draw(st.integers(0, 9)) == 0)
    # A missing link several projects could fill at a park: its points are earned once.
    bonuses = tuple(Bonus(f"b{i}", draw(st.integers(0, 30_000)),
                          frozenset(draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=4))))
                    for i in range(draw(st.integers(0, 2)) if pairs else 0))
    return Instance(parks, projects, candidates, required, frozenset(pinned), frozenset(forbidden),
                    bonuses=bonuses)


def _without_forbidden(instance: Instance) -> Instance:
    """The brute force's view: forbidden pairs are simply not candidates."""
    return Instance(instance.parks, instance.projects,
                    [c for c in instance.candidates if (c.project, c.park) not in instance.forbidden],
                    instance.required, instance.pinned, instance.forbidden, bonuses=instance.bonuses)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_solve_matches_the_brute_force_optimum(instance: Instance) -> None:
    best = brute_force(_without_forbidden(instance))
    result = solve(instance, time_limit_seconds=SOLVER_SECONDS, workers=1)
    if best is None:
        assert result.status == "infeasible"
        assert result.assignments == {}
        return
    assert result.status == "optimal"
    assert_valid_solution(instance, result)
    assert result.objective == pytest.approx(best[0], abs=0.01)


@settings(max_examples=60, deadline=None)
@given(instances())
def test_greedy_is_always_feasible(instance: Instance) -> None:
    chosen = greedy(instance)
    assert violations(instance, chosen, complete=False) == []
    pinned_alone = Instance(instance.parks, instance.projects,
                            [c for c in instance.candidates if (c.project, c.park) in instance.pinned])
    if not violations(pinned_alone, {p: k for p, k in instance.pinned}, complete=False):
        # pinned pairs that fit together are all kept
        assert all(chosen.get(project) == park for project, park in instance.pinned)


# --- specific cases -----------------------------------------------------------------------------

def test_checker_catches_each_kind_of_violation() -> None:
    instance = Instance(
        parks=[ParkCapacity("a", {"floor_m2": 10})],
        projects=["x", "y", "z"],
        candidates=[Candidate("x", "a", 5, {"floor_m2": 6}), Candidate("y", "a", 5, {"floor_m2": 6}),
                    Candidate("z", "a", 1, {"floor_m2": 1})],
        required=frozenset({"z"}), pinned=frozenset({("x", "a")}),
        forbidden=frozenset({("y", "a")}))
    found = violations(instance, {"y": "a", "w": "a"})
    assert any("forbidden" in v for v in found)
    assert any("not a candidate" in v for v in found)
    assert any("required z" in v for v in found)
    assert any("pinned x" in v for v in found)
    assert any("over its floor_m2" in v for v in violations(instance, {"x": "a", "y": "a"}))
    assert violations(instance, {"x": "a", "z": "a"}) == []


def test_pinned_and_forbidden_pairs_are_honoured() -> None:
    parks = [ParkCapacity("a", {"floor_m2": 100}), ParkCapacity("b", {"floor_m2": 100})]
    candidates = [
        Candidate("low", "a", 1, {"floor_m2": 100}),
        Candidate("high", "a", 100, {"floor_m2": 100}),
        Candidate("high", "b", 90, {"floor_m2": 100}),
        Candidate("banned", "b", 1_000, {"floor_m2": 10}),
    ]
    free = solve(Instance(parks, ["low", "high", "banned"], candidates), SOLVER_SECONDS)
    assert free.assignments == {"high": "a", "banned": "b"}

    instance = Instance(parks, ["low", "high", "banned"], candidates,
                        pinned=frozenset({("low", "a")}), forbidden=frozenset({("banned", "b")}))
    result = solve(instance, SOLVER_SECONDS)
    assert result.status == "optimal"
    assert result.assignments == {"low": "a", "high": "b"}
    assert result.objective == pytest.approx(91)
    assert_valid_solution(instance, result)
    assert greedy(instance) == {"low": "a", "high": "b"}


def test_a_required_project_without_usable_candidates_is_infeasible() -> None:
    instance = Instance([ParkCapacity("a", {"floor_m2": 100})], ["x"],
                        [Candidate("x", "a", 10, {"floor_m2": 1})], required=frozenset({"x"}),
                        forbidden=frozenset({("x", "a")}))
    assert solve(instance, SOLVER_SECONDS).status == "infeasible"


def test_a_required_project_displaces_a_better_one() -> None:
    instance = Instance([ParkCapacity("a", {"slots": 1})], ["best", "must"],
                        [Candidate("best", "a", 100, {"slots": 1}),
                         Candidate("must", "a", 1, {"slots": 1})], required=frozenset({"must"}))
    result = solve(instance, SOLVER_SECONDS)
    assert result.status == "optimal" and result.assignments == {"must": "a"}


def fill_gap_twice() -> Instance:
    """Two identical 预制菜 projects could fill a missing link at 牡丹区 (补链 points, once) or go
    to 曹县, where their link is strengthened (强链)."""
    parks = [ParkCapacity("mudan", {"slots": 2}), ParkCapacity("caoxian", {"slots": 2})]
    candidates = [Candidate(p, k, 20_000, {"slots": 1})
                  for p in ("a", "b") for k in ("mudan", "caoxian")]
    gap = Bonus("mudan/prepared_food/processing", 20_000, frozenset({("a", "mudan"), ("b", "mudan")}))
    return Instance(parks, ["a", "b"], candidates, bonuses=(gap,))


def test_a_missing_link_is_credited_once() -> None:
    instance = fill_gap_twice()
    both_there = {"a": "mudan", "b": "mudan"}
    assert objective(instance, both_there) == 60_000  # 补链 once, 强链 twice
    result = solve(instance, SOLVER_SECONDS)
    assert result.status == "optimal" and result.objective == 60_000
    assert result.bound == pytest.approx(60_000)


def test_the_bonus_goes_where_it_is_earned_only_once() -> None:
    # With room for one at 牡丹区, one project fills the gap there and the other goes to 曹县.
    instance = fill_gap_twice()
    instance = Instance([ParkCapacity("mudan", {"slots": 1}), ParkCapacity("caoxian", {"slots": 2})],
                        instance.projects, instance.candidates, bonuses=instance.bonuses)
    result = solve(instance, SOLVER_SECONDS)
    assert sorted(result.assignments.values()) == ["caoxian", "mudan"]
    assert result.objective == 60_000


def test_no_candidates_gives_an_empty_optimal_plan() -> None:
    result = solve(Instance([ParkCapacity("a", {"floor_m2": 1})], ["x", "y"], []), SOLVER_SECONDS)
    assert result.status == "optimal"
    assert result.assignments == {} and result.objective == 0


def test_decimal_uses_are_respected() -> None:
    # 1.0 mu holds two 0.5 mu projects, never three.
    halves = Instance([ParkCapacity("a", {"land_mu": 1.0})], ["x", "y", "z"],
                      [Candidate(p, "a", s, {"land_mu": 0.5}) for p, s in (("x", 3), ("y", 2), ("z", 1))])
    result = solve(halves, SOLVER_SECONDS)
    assert result.assignments == {"x": "a", "y": "a"}
    assert_valid_solution(halves, result)
    assert greedy(halves) == {"x": "a", "y": "a"}

    # 0.6 + 0.5 mu does not fit in 1.0 mu: a solver that rounded uses down to whole mu would say yes.
    tight = Instance([ParkCapacity("a", {"land_mu": 1.0})], ["x", "y"],
                     [Candidate("x", "a", 5, {"land_mu": 0.6}), Candidate("y", "a", 4, {"land_mu": 0.5})])
    assert solve(tight, SOLVER_SECONDS).assignments == {"x": "a"}

    # 0.25 + 0.75 fills 1.0 exactly, and 0.1 + 0.2 fills 0.3 (despite binary floating point).
    exact = Instance([ParkCapacity("a", {"land_mu": 1.0}), ParkCapacity("b", {"land_mu": 0.3})],
                     ["x", "y", "u", "v"],
                     [Candidate("x", "a", 1, {"land_mu": 0.25}), Candidate("y", "a", 1, {"land_mu": 0.75}),
                      Candidate("u", "b", 1, {"land_mu": 0.1}), Candidate("v", "b", 1, {"land_mu": 0.2})])
    result = solve(exact, SOLVER_SECONDS)
    assert result.assignments == {"x": "a", "y": "a", "u": "b", "v": "b"}
    assert result.objective == pytest.approx(4)


def test_decimal_scores_keep_two_places() -> None:
    instance = Instance([ParkCapacity("a", {"slots": 1})], ["x", "y"],
                        [Candidate("x", "a", 10.26, {"slots": 1}), Candidate("y", "a", 10.25, {"slots": 1})])
    result = solve(instance, SOLVER_SECONDS)
    assert result.assignments == {"x": "a"}
    assert result.objective == pytest.approx(10.26)


def test_a_resource_a_park_does_not_list_is_unconstrained() -> None:
    instance = Instance([ParkCapacity("a", {"floor_m2": 10})], ["x", "y"],
                        [Candidate("x", "a", 1, {"floor_m2": 5, "subsidy_yuan": 1e6}),
                         Candidate("y", "a", 1, {"floor_m2": 5, "subsidy_yuan": 1e6})])
    assert solve(instance, SOLVER_SECONDS).assignments == {"x": "a", "y": "a"}
    assert greedy(instance) == {"x": "a", "y": "a"}


def test_a_park_with_no_room_left_takes_nothing_that_uses_the_resource() -> None:
    # The domain clamps an over-held park's room at zero (see test_planning); other resources stay usable.
    instance = Instance([ParkCapacity("a", {"floor_m2": 0, "land_mu": 5})], ["floor", "land"],
                        [Candidate("floor", "a", 9, {"floor_m2": 1}), Candidate("land", "a", 1, {"land_mu": 5})])
    result = solve(instance, SOLVER_SECONDS)
    assert result.assignments == {"land": "a"}
    assert greedy(instance) == {"land": "a"}
    assert not math.isinf(result.bound)


def test_the_greedy_plan_stands_when_the_solver_runs_out_of_time() -> None:
    instance = Instance([ParkCapacity("a", {"floor_m2": 100})], ["x", "y"],
                        [Candidate("x", "a", 5, {"floor_m2": 60}),
                         Candidate("y", "a", 4, {"floor_m2": 60})])
    assert greedy(instance) == {"x": "a"}
    result = solve(instance, time_limit_seconds=0.0)
    assert result.assignments == {"x": "a"}
    assert result.status == "feasible" and result.objective == pytest.approx(5)


def tight(projects: int, parks: int, seed: int = 5) -> Instance:
    """Every project fits every park and the parks hold about four fifths of them: far from
    proven within the time limit below."""
    rng = random.Random(seed)
    candidates = [Candidate(f"p{j}", f"k{i}", rng.randint(10, 50), {"floor_m2": rng.randint(5, 25)})
                  for j in range(projects) for i in range(parks)]
    room = 0.8 * 15 * projects / parks
    return Instance([ParkCapacity(f"k{i}", {"floor_m2": room}) for i in range(parks)],
                    [f"p{j}" for j in range(projects)], candidates)


@pytest.mark.parametrize("projects", [150, 800])  # with the tabu search beside CP-SAT; without
def test_a_stop_ends_the_solve_with_the_best_plan_so_far(projects: int) -> None:
    instance, stop = tight(projects, 12), Stop()
    found: list[float] = []

    def improved(_seconds: float, objective: float) -> None:
        found.append(objective)
        if len(found) == 3:
            stop.set()

    result = solve(instance, time_limit_seconds=300, on_improvement=improved, stop=stop)
    assert result.seconds < 150  # well before the limit: stopped, not timed out
    assert_valid_solution(instance, result)
    assert result.status == "feasible" and result.objective == pytest.approx(max(found))


def test_a_solve_stopped_before_it_begins_still_gives_the_greedy_plan() -> None:
    instance, stop = tight(40, 4), Stop()
    stop.set()
    result = solve(instance, time_limit_seconds=300, stop=stop)
    assert_valid_solution(instance, result)
    assert result.objective >= objective(instance, greedy(instance)) - EPS
