"""The Lagrangian relaxation: exact knapsacks, a bound no plan exceeds, starts the search can use."""

from __future__ import annotations

import itertools
import math
import time

import numpy as np
import pytest
from guiyan_optimiser import Instance, lagrange
from guiyan_optimiser.solve import fixed_worth
from guiyan_optimiser.tabu import NEVER, arrays
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from .test_solve import _without_forbidden, brute_force, instances


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


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_bound_is_never_below_the_best_plan_and_the_start_is_allowed(instance: Instance) -> None:
    dense = arrays(instance)
    assume(dense is not None)
    relaxation = lagrange.relax(dense, -math.inf, time.monotonic() + 0.3, lambda: False)
    assume(relaxation is not None)  # several capped resources: it does not apply
    best = brute_force(_without_forbidden(instance))
    assume(best is not None)
    assert relaxation.bound + fixed_worth(instance) >= best[0] - 1e-6
    assert np.all(dense.worth[np.arange(len(dense.projects)), relaxation.start] > NEVER)


def test_it_does_not_apply_to_several_capped_resources() -> None:
    from .test_tabu import general

    dense = arrays(general(0))
    assert dense is not None and lagrange.relax(dense, -math.inf, math.inf, lambda: False) is None
