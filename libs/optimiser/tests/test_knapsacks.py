"""The bound with whole projects: never below the best plan, and below the LP where the LP packs
fractions."""

from __future__ import annotations

import pytest
from guiyan_optimiser import Candidate, Instance, ParkCapacity, knapsacks
from guiyan_optimiser.knapsacks import park_bound
from guiyan_optimiser.lp import relax
from hypothesis import HealthCheck, given, settings

from .test_lagrange import best_objective, one_resource
from .test_solve import _without_forbidden, brute_force, instances


def three_for_two_places() -> Instance:
    """Room for one whole project: the LP takes one and two thirds."""
    return Instance([ParkCapacity("k", {"floor_m2": 10})], ["a", "b", "c"],
                    [Candidate(p, "k", 10, {"floor_m2": 6}) for p in ("a", "b", "c")])


def test_the_bound_packs_whole_projects_where_the_lp_packs_fractions() -> None:
    instance = three_for_two_places()
    assert relax(instance).bound == pytest.approx(10 / 6 * 10)
    assert park_bound(instance, seconds=2) == pytest.approx(10, abs=0.05)  # hundredths round up


def test_the_bound_counts_a_project_once_however_many_parks_want_it() -> None:
    instance = Instance([ParkCapacity("k", {"floor_m2": 10}), ParkCapacity("l", {"floor_m2": 10})],
                        ["a"], [Candidate("a", park, 10, {"floor_m2": 6}) for park in ("k", "l")])
    assert park_bound(instance, seconds=2) == pytest.approx(10, abs=0.1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_bound_is_never_below_the_best_plan(instance: Instance) -> None:
    best = brute_force(_without_forbidden(instance))
    bound = park_bound(instance, seconds=0.5)
    if best is not None:
        assert bound >= best[0] - 1e-6


def test_a_knapsack_cut_off_before_its_first_packing_still_gives_a_valid_bound(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(knapsacks, "PARK_SECONDS", 1e-9)
    assert park_bound(three_for_two_places(), seconds=1) >= 10 - 1e-6


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_resource())
def test_the_bound_counts_move_penalties_and_pins_and_rounds_towards_the_relaxation(
        instance: Instance) -> None:
    best = best_objective(instance)  # uses of three decimal places: the scaling rounds
    if best is not None:
        assert park_bound(instance, seconds=0.5) >= best - 1e-6
