"""The Lagrangian relaxation: exact knapsacks, a bound no plan exceeds, starts the search can use."""

from __future__ import annotations

import itertools
import math
import time

import numpy as np
import pytest
from guiyan_optimiser import Candidate, Instance, ParkCapacity, lagrange
from guiyan_optimiser.dense import NEVER, arrays
from guiyan_optimiser.instance import objective, usable
from guiyan_optimiser.solve import fixed_worth
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from .test_solve import violations


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(-20, 50), st.integers(0, 12)), max_size=8),
       st.integers(0, 30))
def test_the_knapsack_is_the_brute_force_best(items: list[tuple[int, int]], room: int) -> None:
    profit = np.array([p for p, _ in items], dtype=float)
    weight = np.array([w for _, w in items], dtype=float)
    value, chosen = lagrange.knapsack(profit, weight, room)
    best = max(sum(profit[list(subset)]) for size in range(len(items) + 1)
               for subset in itertools.combinations(range(len(items)), size)
               if sum(weight[list(subset)]) <= room)
    assert value == pytest.approx(best)
    assert profit[chosen].sum() == pytest.approx(value)
    assert weight[chosen].sum() <= room


THOUSANDTHS = st.integers(min_value=0, max_value=4_000).map(lambda n: n / 1000)  # 0 … 4, 3 places


@st.composite
def one_resource(draw: st.DrawFn) -> Instance:
    """The relaxation's shape, with everything the solver's objective counts: pins, forbidden
    pairs, required projects, and previous pairs with a move penalty; uses that really round."""
    projects = [f"p{i}" for i in range(draw(st.integers(1, 6)))]
    parks = [ParkCapacity(f"k{i}", {"floor_m2": draw(THOUSANDTHS)} if draw(st.integers(0, 5)) else {})
             for i in range(draw(st.integers(1, 3)))]
    candidates = [Candidate(p, k.id, draw(st.integers(0, 100)), {"floor_m2": draw(THOUSANDTHS)})
                  for p in projects for k in parks if draw(st.integers(0, 3))]
    pairs = [(c.project, c.park) for c in candidates]
    chosen = st.sampled_from(pairs) if pairs else st.nothing()
    pinned = {draw(chosen)} if pairs and draw(st.integers(0, 4)) == 0 else set()
    forbidden = {pair for pair in pairs if pair not in pinned and draw(st.integers(0, 5)) == 0}
    previous: dict[str, tuple[str, str]] = {}  # the plan in force: one park per project
    for pair in pairs:
        if draw(st.integers(0, 3)) == 0:
            previous.setdefault(pair[0], pair)
    return Instance(parks, projects, candidates,
                    required=frozenset(p for p in projects if draw(st.integers(0, 3)) == 0),
                    pinned=frozenset(pinned), forbidden=frozenset(forbidden),
                    previous=frozenset(previous.values()),
                    move_penalty=draw(st.sampled_from([0.0, 3.0, 17.5])))


def best_objective(instance: Instance) -> float | None:
    """The best feasible plan's objective (move penalties included), by enumeration."""
    options = [[c.park for c in usable(instance) if c.project == p]
               + ([None] if p not in instance.required else []) for p in instance.projects]
    best = None
    for choice in itertools.product(*options):
        plan = {p: k for p, k in zip(instance.projects, choice, strict=True) if k is not None}
        if not violations(instance, plan):
            best = max(best if best is not None else -math.inf, objective(instance, plan))
    return best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_resource())
def test_no_plan_beats_the_bound_and_the_starts_are_allowed(instance: Instance) -> None:
    dense = arrays(instance)
    assume(dense is not None)
    relaxation = lagrange.relax(dense, lower=-math.inf, until=time.monotonic() + 0.3,
                                stop=lambda: False)
    best = best_objective(instance)
    if relaxation is None:  # only where no plan exists
        assert best is None
        return
    if best is not None:
        assert relaxation.bound + fixed_worth(instance) >= best - 1e-6
    for start in relaxation.starts:
        assert np.all(dense.worth[np.arange(len(dense.projects)), start] > NEVER)


def single_resource(seed: int) -> Instance:
    """The tabu search's general instance on floor space alone, without pins or penalties."""
    from .test_tabu import general

    instance = general(seed)
    return Instance([ParkCapacity(k.id, {"floor_m2": 20}) for k in instance.parks],
                    instance.projects, [Candidate(c.project, c.park, c.score,
                                                  {"floor_m2": c.use["floor_m2"]})
                                        for c in instance.candidates])


def test_the_starts_are_distinct_and_the_best_comes_first() -> None:
    dense = arrays(single_resource(3))
    # The steps end on their own (the step size halves to its floor) long before the deadline.
    relaxation = lagrange.relax(dense, lower=-math.inf, until=time.monotonic() + 30.0,
                                stop=lambda: False)

    def key(at: np.ndarray) -> tuple[bool, float]:
        return bool(np.all(dense.load(at) <= dense.room + 1e-9)), dense.value_at(at)

    keys = [key(at) for at in relaxation.starts]
    assert 1 < len(keys) <= lagrange.STARTS
    assert keys == sorted(keys, reverse=True)
    assert len({tuple(at) for at in relaxation.starts}) == len(keys)


def test_a_relaxation_out_of_time_gives_nothing() -> None:
    dense = arrays(single_resource(0))
    assert lagrange.relax(dense, lower=-math.inf, until=time.monotonic() - 1,
                          stop=lambda: False) is None
    assert lagrange.relax(dense, lower=-math.inf, until=math.inf, stop=lambda: True) is None
    assert lagrange.relax(dense, lower=-math.inf, until=time.monotonic() + 0.2,
                          stop=lambda: False) is not None


def test_it_does_not_apply_to_several_capped_resources() -> None:
    from .test_tabu import general

    dense = arrays(general(0))
    assert dense is not None
    assert lagrange.relax(dense, lower=-math.inf, until=math.inf, stop=lambda: False) is None
