"""The tabu search hands over only feasible plans that keep pins, required projects and forbidden
pairs, and its move values are the penalised value's true change."""

from __future__ import annotations

import random

import numpy as np
import pytest
from guiyan_optimiser import Candidate, Instance, ParkCapacity
from guiyan_optimiser.dense import NEVER, arrays
from guiyan_optimiser.greedy import greedy
from guiyan_optimiser.instance import objective
from guiyan_optimiser.lns import Lane
from guiyan_optimiser.tabu import Search

RESOURCES = ("floor_m2", "power_kw")


def general(seed: int) -> Instance:
    """Several resources (one a park may leave uncapped), optional and required projects, pins,
    forbidden pairs and a plan in force with a move penalty; tight enough to need the penalty."""
    rng = random.Random(seed)
    parks = [ParkCapacity(f"k{i}", {r: rng.randint(8, 20) for r in RESOURCES if rng.random() < 0.8})
             for i in range(5)]
    projects = [f"p{j}" for j in range(14)]
    candidates = [Candidate(p, k.id, rng.randint(1, 30), {r: rng.randint(1, 8) for r in RESOURCES})
                  for p in projects for k in parks if rng.random() < 0.8]
    pairs = [(c.project, c.park) for c in candidates]
    pinned = frozenset([pairs[0]])
    forbidden = frozenset(pair for pair in rng.sample(pairs, 6) if pair[0] != pairs[0][0])
    return Instance(parks, projects, candidates,
                    required=frozenset(rng.sample(projects[1:], 4)) - {p for p, _ in forbidden},
                    pinned=pinned, forbidden=forbidden,
                    previous=frozenset(rng.sample(pairs, 5)), move_penalty=4.0)


def violations(instance: Instance, plan: dict[str, str]) -> list[str]:
    use = {(c.project, c.park): c.use for c in instance.candidates}
    found = [f"{p}→{k} not allowed" for p, k in plan.items()
             if (p, k) not in use or (p, k) in instance.forbidden]
    for park in instance.parks:
        for resource, capacity in park.capacity.items():
            used = sum(use.get((p, k), {}).get(resource, 0.0) for p, k in plan.items() if k == park.id)
            if used > capacity + 1e-9:
                found.append(f"{park.id} over its {resource}")
    found += [f"required {p} left out" for p in instance.required if p not in plan]
    found += [f"pinned {p}→{k} moved" for p, k in instance.pinned if plan.get(p) != k]
    return found


@pytest.mark.parametrize("seed", range(12))
def test_every_plan_handed_over_is_feasible_and_better(seed: int) -> None:
    instance = general(seed)
    dense = arrays(instance)
    assert dense is not None
    search = Search(dense, greedy(instance), seed)
    value = -np.inf
    for _ in range(300):
        search.step()
        if (best := search.best()) is not None and objective(instance, best) != value:
            assert violations(instance, best) == []
            assert objective(instance, best) > value
            value = objective(instance, best)
    assert value > -np.inf


def test_the_search_moves_on_from_a_better_plan_it_is_given() -> None:
    instance = general(1)
    search = Search(arrays(instance), {}, 0)  # starts where every project may go, overfilled
    plan = greedy(instance)
    assert search.follow(plan, until=0.0) is None
    assert search.best() == plan


def test_the_search_keeps_to_its_own_start_past_a_plan_it_passed_over() -> None:
    instance = general(1)
    dense = arrays(instance)
    plan = greedy(instance)
    pinned = dict(instance.pinned)
    dropped = next(p for p in plan if p not in instance.required and p not in pinned)
    passed = {p: k for p, k in plan.items() if p != dropped}  # feasible, worth less than `plan`
    search = Search(dense, {}, 0)  # its own start, overfilled
    search.pass_over(passed)
    assert search.follow(passed, until=0.0) is None
    assert search.best() is None  # still at its own start
    assert search.follow(plan, until=0.0) is None
    assert search.best() == plan  # a plan better than the one passed over is taken up


def restarts(search: Search, monkeypatch: pytest.MonkeyPatch) -> list[tuple[np.ndarray, bool]]:
    """Where `search` starts over in 200 moves that stall after 5: each place, and whether it
    was the search's best plan then."""
    monkeypatch.setattr("guiyan_optimiser.tabu.STALL", 5)
    visits, go_to = [], search._go_to

    def visit(at: np.ndarray) -> None:
        visits.append((at.copy(), bool(np.array_equal(at, search.best_at))))
        go_to(at)

    monkeypatch.setattr(search, "_go_to", visit)
    for _ in range(200):
        search.step()
    return visits


def test_a_stalled_search_goes_back_to_its_best(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only there, without other starts."""
    instance = general(2)
    visits = restarts(Search(arrays(instance), greedy(instance), 0), monkeypatch)
    assert len(visits) > 3 and all(at_best for _, at_best in visits)


def test_a_stalled_search_starts_over_from_the_other_starts_in_turn(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every other time, from the next of them, so the restarts do not retrace one trajectory."""
    instance = general(2)
    dense = arrays(instance)
    others = [{}, greedy(instance)]
    assert not np.array_equal(dense.index(others[0]), dense.index(others[1]))
    visits = restarts(Search(dense, greedy(instance), 0, others=others), monkeypatch)
    assert len(visits) > 4
    first, _, second, _, third = (at for at, _ in visits[:5])
    assert np.array_equal(first, dense.index(others[0]))
    assert np.array_equal(second, dense.index(others[1]))
    assert np.array_equal(third, dense.index(others[0]))
    assert all(at_best for _, at_best in visits[1::2])


@pytest.mark.parametrize("seed", range(4))
def test_move_values_are_the_true_change_of_the_penalised_value(seed: int) -> None:
    instance = general(seed)
    search = Search(arrays(instance), greedy(instance), seed)
    for _ in range(60):
        search.step()
        shed, enter, eject = search._terms()
        base = search.penalised()

        def after(moves: list[tuple[int, int]], base: float = base) -> float:
            at = search.at.copy()
            for i, k in moves:
                search.at[i] = k
            search._recount()
            value = search.penalised()
            search.at = at
            search._recount()
            return value - base

        i, k = np.unravel_index(np.argmax(enter), enter.shape)
        if enter[i, k] > NEVER:
            assert after([(int(i), int(k))]) == pytest.approx(shed[i] + enter[i, k])
        swaps = eject + eject.T
        s, t = np.unravel_index(np.argmax(swaps), swaps.shape)
        if swaps[s, t] > NEVER:
            assert after([(int(s), int(search.at[t])), (int(t), int(search.at[s]))]) == \
                pytest.approx(swaps[s, t])
        chain, gain = search._chain(shed, enter, eject)
        if chain:
            assert after(chain) == pytest.approx(gain)


def test_pinned_projects_are_not_searched_and_their_use_is_taken_from_the_room() -> None:
    instance = general(0)
    dense = arrays(instance)
    (project, park), = instance.pinned
    assert project not in dense.projects and dense.plan(dense.index({}))[project] == park


def test_large_instances_are_left_to_the_neighbourhoods() -> None:
    parks = [ParkCapacity(f"k{i}", {"floor_m2": 10}) for i in range(50)]
    projects = [f"p{j}" for j in range(5000)]
    assert arrays(Instance(parks, projects, [Candidate("p0", "k0", 1, {})])) is None


def test_the_search_takes_more_projects_the_fewer_resources_they_use() -> None:
    """Its swap tables are projects² × resources: yagiura2004's 900 jobs on one resource get it,
    a city of 900 projects on four resources is left to the climb."""
    def city(resources: list[str]) -> Instance:
        parks = [ParkCapacity(f"k{i}", dict.fromkeys(resources, 10.0)) for i in range(10)]
        projects = [f"p{j}" for j in range(900)]
        return Instance(parks, projects, [Candidate(p, "k0", 1, {"floor_m2": 1}) for p in projects])

    assert arrays(city(["floor_m2"])) is not None
    assert arrays(city(["floor_m2", "land_mu", "slots", "budget"])) is None


def test_a_neighbourhood_result_is_not_merged_into_a_plan_that_moved_into_its_parks() -> None:
    parks = [ParkCapacity("a", {"floor_m2": 10}), ParkCapacity("b", {"floor_m2": 10})]
    sub = Instance([parks[0]], ["x"], [Candidate("x", "a", 1, {"floor_m2": 6})])
    lane = Lane(sub, {"x": "a", "y": "b"})
    assert lane.merged({"x": "a", "y": "b"}, {"x": "a"}) == {"x": "a", "y": "b"}
    assert lane.merged({"x": "b", "y": "a"}, {"x": "a"}) is None


def test_no_search_where_a_required_project_has_nowhere_to_go() -> None:
    """Else the search would put it at a park it may not go to, and hand that plan over."""
    instance = Instance([ParkCapacity("k", {"floor_m2": 10})], ["p", "q"],
                        [Candidate("p", "k", 5, {"floor_m2": 4}), Candidate("q", "k", 5, {})],
                        required=frozenset({"q"}), forbidden=frozenset({("q", "k")}))
    assert arrays(instance) is None
